#!/usr/bin/env bash
# Where an audit's time goes: `memaudit bench score` for the MLP under Linux perf (cpu-clock samples of
# every thread), summarised by shared object and by symbol. oneDNN's generated kernels are named
# through DNNL_JIT_PROFILE's perf map; JIT-compiled Java shows as unnamed code.
#
#   docs/perf/profile-score.sh [OUT_DIR]        (needs `perf`: apt-get install linux-perf)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-target/profile-score}
mkdir -p "$out"
jar=services/cli/target/memaudit.jar
[ -f "$jar" ] || ./memaudit --version >/dev/null
command -v perf >/dev/null || { echo "profile-score: perf is not installed (apt-get install linux-perf)" >&2; exit 127; }
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-2} DNNL_JIT_PROFILE=1
perf record -F 499 -g -o "$out/perf.data" -- java -jar "$jar" bench score --models mlp --repeats 5 --warmup 2 --json \
  > "$out/bench.json" 2> "$out/bench.log"
perf report -i "$out/perf.data" --no-children --sort dso --stdio 2>/dev/null | grep -v '^#' | grep -v '^$' | head -15 > "$out/by-dso.txt"
perf report -i "$out/perf.data" --no-children --sort dso,sym --stdio 2>/dev/null | grep -v '^#' | grep '%' | head -25 > "$out/by-symbol.txt"
cat "$out/bench.json"; echo; cat "$out/by-dso.txt"; echo; cat "$out/by-symbol.txt"
