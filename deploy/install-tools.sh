#!/usr/bin/env bash
# Installs the tools the tests run, from Debian packages, when missing:
#   promtool        <- prometheus
#   amtool          <- prometheus-alertmanager
#   docker-compose  <- docker-compose (v1: validates compose files without a Docker engine)
#   kubectl         <- kubernetes-client (renders deploy/k8s with its kustomize, offline)
#   for /usr/bin/python3 (the PyTorch user path: clients/python and PyTorchAuditIT):
#   torch <- python3-torch, torchvision <- python3-torchvision, onnx <- python3-onnx,
#   confluent_kafka <- python3-confluent-kafka, jsonschema <- python3-jsonschema, PIL <- python3-pil,
#   boto3 <- python3-boto3 (the hook's upload to S3)
#   s3rver 3.7.1    <- npm, into $XDG_CACHE_HOME/memaudit/tools (the S3-compatible server of the S3 tests;
#                      they install it themselves too when it is missing)
# Non-interactive; does nothing for a tool already on PATH. Needs root (or sudo) to install.
set -euo pipefail

declare -A package=([promtool]=prometheus [amtool]=prometheus-alertmanager [docker-compose]=docker-compose
                    [kubectl]=kubernetes-client)
missing=()
for tool in promtool amtool docker-compose kubectl; do
  if command -v "$tool" >/dev/null 2>&1; then
    echo "install-tools: $tool found: $(command -v "$tool")"
  else
    echo "install-tools: $tool missing: will install Debian package ${package[$tool]}"
    missing+=("${package[$tool]}")
  fi
done
# Debian's torch is built for Debian's interpreter, which may not be the first python3 on PATH
declare -A module=([torch]=python3-torch [torchvision]=python3-torchvision [onnx]=python3-onnx
                   [confluent_kafka]=python3-confluent-kafka [jsonschema]=python3-jsonschema [PIL]=python3-pil
                   [boto3]=python3-boto3)
for m in torch torchvision onnx confluent_kafka jsonschema PIL boto3; do
  if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c "import $m" >/dev/null 2>&1; then
    echo "install-tools: python module $m found"
  else
    echo "install-tools: python module $m missing: will install Debian package ${module[$m]}"
    missing+=("${module[$m]}")
  fi
done
s3rver_dir="${XDG_CACHE_HOME:-$HOME/.cache}/memaudit/tools/s3rver-3.7.1"
if [ -x "$s3rver_dir/node_modules/.bin/s3rver" ]; then
  echo "install-tools: s3rver found: $s3rver_dir"
elif command -v npm >/dev/null 2>&1; then
  echo "install-tools: npm install s3rver@3.7.1 into $s3rver_dir"
  mkdir -p "$s3rver_dir"
  npm install --no-audit --no-fund --prefix "$s3rver_dir" s3rver@3.7.1 >/dev/null
else
  echo "install-tools: npm not found: the S3 tests will fail to start s3rver" >&2
fi
[ ${#missing[@]} -eq 0 ] && { echo "install-tools: nothing to install"; exit 0; }

command -v apt-get >/dev/null 2>&1 || {
  echo "install-tools: apt-get not found; install ${missing[*]} (or the tools they provide) by hand" >&2
  exit 1
}
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-tools: run as root to install ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
echo "install-tools: apt-get update"
$sudo apt-get update -q
echo "install-tools: apt-get install -y --no-install-recommends ${missing[*]}"
# the prometheus packages start their services when an init system runs; harmless in CI containers
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
for tool in promtool amtool docker-compose kubectl; do
  command -v "$tool" >/dev/null 2>&1 || { echo "install-tools: $tool still missing after install" >&2; exit 1; }
done
for m in torch torchvision onnx confluent_kafka jsonschema PIL; do
  /usr/bin/python3 -c "import $m" >/dev/null 2>&1 || { echo "install-tools: python module $m still missing after install" >&2; exit 1; }
done
echo "install-tools: done"
