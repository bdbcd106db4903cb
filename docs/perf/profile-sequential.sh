#!/usr/bin/env bash
# Where the worker's default audit spends its time: docs/perf/SequentialLoop.java (the sequential
# audit of a clean MLP checkpoint, N = 2000, K = 199, over and over) under Linux perf (cpu-clock
# samples of every thread), summarised by shared object and by symbol, as docs/perf/profile-score.sh
# does for the fixed audit. In the "[JIT]" object named symbols are Java (the JVM's perf map) and bare
# addresses are oneDNN's generated kernels. The warm-up audits (probe build included) are in the
# profile too; over the default 60 s they are a few per cent of it.
#
#   docs/perf/profile-sequential.sh [OUT_DIR] [SECONDS]     (needs `perf`: apt-get install linux-perf)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-target/profile-sequential}
seconds=${2:-60}
mkdir -p "$out"
jar=services/cli/target/memaudit.jar
[ -f "$jar" ] || ./memaudit --version >/dev/null
command -v perf >/dev/null || { echo "profile-sequential: perf is not installed (apt-get install linux-perf)" >&2; exit 127; }
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}
perf record -F 499 -o "$out/perf.data" -- java -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -Dai.djl.offline=true \
  -cp "$jar" docs/perf/SequentialLoop.java "$seconds" > "$out/loop.txt" 2> "$out/loop.log"
perf report -i "$out/perf.data" --no-children --sort dso --stdio 2>/dev/null | grep '%' > "$out/by-dso.txt" || true
perf report -i "$out/perf.data" --no-children --sort dso,sym --stdio 2>/dev/null | grep '%' > "$out/by-symbol.txt" || true
awk '/\[JIT\]/ { v = $1; sub("%", "", v); if ($NF ~ /^0x/) dnnl += v; else java += v }
     END { printf "[JIT] split: oneDNN generated kernels %.1f %%, Java %.1f %%\n", dnnl, java }' "$out/by-symbol.txt" > "$out/jit-split.txt"
tail -1 "$out/loop.txt"; echo; head -12 "$out/by-dso.txt"; echo; cat "$out/jit-split.txt"; echo
grep -v '\[JIT\].*0x' "$out/by-symbol.txt" | head -30
