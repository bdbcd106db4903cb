#!/usr/bin/env bash
# Where an audit's time goes: `memaudit bench score` for the MLP under Linux perf (cpu-clock samples of
# every thread), summarised by shared object and by symbol. The JVM writes a perf map of its compiled
# methods at exit (DumpPerfMapAtExit), so in the "[JIT]" object named symbols are Java and bare addresses
# are oneDNN's generated kernels (MXNet's fully-connected and convolution layers). The profile covers the
# whole benchmark: the rate measurements (OpenBLAS's sgemm is MXNet's matMul), probe build, full and bare
# audits; the full and bare audits are most of it.
#
#   docs/perf/profile-score.sh [OUT_DIR]        (needs `perf`: apt-get install linux-perf)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-target/profile-score}
mkdir -p "$out"
jar=services/cli/target/memaudit.jar
[ -f "$jar" ] || ./memaudit --version >/dev/null
command -v perf >/dev/null || { echo "profile-score: perf is not installed (apt-get install linux-perf)" >&2; exit 127; }
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}
perf record -F 499 -o "$out/perf.data" -- java -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -jar "$jar" bench score --models mlp --repeats 5 --warmup 2 --json \
  > "$out/bench.json" 2> "$out/bench.log"
perf report -i "$out/perf.data" --no-children --sort dso --stdio 2>/dev/null | grep '%' > "$out/by-dso.txt" || true
perf report -i "$out/perf.data" --no-children --sort dso,sym --stdio 2>/dev/null | grep '%' > "$out/by-symbol.txt" || true
# [JIT] samples: Java methods (named through the perf map) against bare addresses (oneDNN kernels)
awk '/\[JIT\]/ { v = $1; sub("%", "", v); if ($NF ~ /^0x/) dnnl += v; else java += v }
     END { printf "[JIT] split: oneDNN generated kernels %.1f %%, Java %.1f %%\n", dnnl, java }' "$out/by-symbol.txt" > "$out/jit-split.txt"
cat "$out/bench.json"; echo; head -12 "$out/by-dso.txt"; echo; cat "$out/jit-split.txt"; echo
grep -v '\[JIT\].*0x' "$out/by-symbol.txt" | head -25
