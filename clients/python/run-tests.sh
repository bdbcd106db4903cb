#!/usr/bin/env bash
# Runs the Python client's tests with the system interpreter (which has torch, onnx, confluent_kafka
# and jsonschema); exits non-zero when a test fails. Override the interpreter with PYTHON=...
set -euo pipefail
cd "$(dirname "$0")"
exec "${PYTHON:-/usr/bin/python3}" -m unittest discover -s tests -v
