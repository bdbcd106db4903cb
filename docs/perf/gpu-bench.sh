#!/usr/bin/env bash
# The scoring benchmark on a GPU machine, in one go (docs/PERFORMANCE.md, "On a GPU").
#
# Build the jar where Maven Central is reachable, with ONNX Runtime's CUDA build:
#   MEMAUDIT_MVN_ARGS=-Pgpu ./memaudit --version
# then, on the GPU machine (data sets fetched, or MEMAUDIT_DATA_DIR pointing at them):
#   docs/perf/gpu-bench.sh [OUT_DIR]
# It records the machine (nvidia-smi, CPU), then
#   - bench score --format onnx: the MLP exported to ONNX on ONNX Runtime's CUDA provider against the same
#     weights on the DJL path, with the GEMM rates measured in the same run;
#   - bench score --device gpu:0 for the MLP and the CNN, only when MXNET_LIBRARY_PATH points at an MXNet
#     CUDA build (MXNet's CUDA natives are not on Maven Central: deploy/GPU.md).
# Each result is one JSON object in OUT_DIR; the ratios to the floor are against the GPU's own measured rates.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${1:-target/gpu-bench}
mkdir -p "$out"
jar=services/cli/target/memaudit.jar
[ -f "$jar" ] || { echo "gpu-bench: $jar is missing; build it first (see the top of this script)" >&2; exit 2; }
{ nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv 2>&1; lscpu | grep 'Model name'; } > "$out/machine.txt"
cat "$out/machine.txt"
MEMAUDIT_ONNX_CUDA=0 timeout 900 java -jar "$jar" bench score --format onnx --json > "$out/onnx.json" 2> "$out/onnx.log"
echo "onnx: exit $? ($(wc -c < "$out/onnx.json") bytes)"
if [ -n "${MXNET_LIBRARY_PATH:-}" ]; then
  timeout 1200 java -jar "$jar" bench score --device gpu:0 --models mlp,cnn --json > "$out/mxnet-gpu.json" 2> "$out/mxnet-gpu.log"
  echo "mxnet gpu: exit $?"
else
  echo "mxnet gpu: skipped (MXNET_LIBRARY_PATH is not set; MXNet's CUDA natives are not on Maven Central)" | tee "$out/mxnet-gpu.skipped"
fi
