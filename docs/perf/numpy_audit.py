#!/usr/bin/env python3
"""An independent numpy audit of a memaudit MLP checkpoint: the same scores, for comparing speed.

What a user would write to audit the reference MLP (784-512-256-10, ReLU) by hand: read the
checkpoint's weights, push the exported probe tensors through the network in float32 with numpy's
BLAS, and reduce each variant to M_KL. The timing covers what `memaudit bench score` calls the full
audit (forward passes and reductions, weights already in memory) and the bare forward passes alone,
medians after warm-up, plus numpy's best float32 matrix-multiply rate in the same run, so a floor can
be computed the same way.

  ./memaudit probes export --uf glyph:A --probes cifar10-gray-28 --controls 199 \\
      --input-shape 1,28,28 --mean 0.1307 --std 0.3081 --out runs/probes-k199
  python3 docs/perf/numpy_audit.py --checkpoint runs/mnist/ckpt-0001 --probes runs/probes-k199

Scores: M_KL = mean_i KL(p_i||q_i) - mean_i KL(p_i||r_i) with p, q, r the softmax outputs on the
clean, feature and random-patch images, probabilities clipped to [1e-7, 1] (docs/METHOD.md), here in
float32. BLAS threads: set OPENBLAS_NUM_THREADS / OMP_NUM_THREADS before starting, as for memaudit.
"""
import argparse
import json
import os
import struct
import sys
import time
from pathlib import Path

import numpy as np

CLIP_LOG = np.float32(np.log(1e-7))
FLOPS_PER_IMAGE = 2 * (784 * 512 + 512 * 256 + 256 * 10)


def read_params(path):
    """The (name, array) pairs of a DJL parameter file, in the order the network uses them.

    Each array is stored as DJL's NDArray encoding: "NDAR", version, optional name, sparse format,
    data type, shape (dimensions, sizes, layout characters), a byte-order character and the bytes.
    """
    blob = Path(path).read_bytes()
    arrays, at = [], blob.find(b"NDAR")
    while at >= 0:
        p = at + 4

        def take(fmt):
            nonlocal p
            values = struct.unpack_from(fmt, blob, p)
            p += struct.calcsize(fmt)
            return values

        def utf():
            (length,) = take(">H")
            return take(f">{length}s")[0].decode()

        (version,) = take(">i")
        if version < 3:
            raise ValueError(f"{path}: NDArray encoding version {version}, this reader knows 3")
        name = utf() if take(">?")[0] else None
        sparse, dtype = utf(), utf()
        if sparse != "DENSE" or dtype != "FLOAT32":
            raise ValueError(f"{path}: parameter {name}: {sparse} {dtype}, expected DENSE FLOAT32")
        (dims,) = take(">i")
        shape = take(f">{dims}q")
        (layout_chars,) = take(">i")
        p += 2 * layout_chars
        order = chr(take(">B")[0])
        (length,) = take(">i")
        data = np.frombuffer(blob, dtype="<f4" if order == "<" else ">f4", count=length // 4, offset=p)
        arrays.append((name, data.reshape(shape).astype(np.float32)))
        at = blob.find(b"NDAR", p + length)
    return arrays


def load_mlp(checkpoint):
    meta = json.loads((checkpoint / "metadata.json").read_text())
    if meta.get("architecture") != "mlp":
        raise ValueError(f"{checkpoint}: architecture {meta.get('architecture')!r}; this script audits the plain MLP")
    params = read_params(checkpoint / "model.params")
    shapes = [a.shape for _, a in params]
    if shapes != [(512, 784), (512,), (256, 512), (256,), (10, 256), (10,)]:
        raise ValueError(f"{checkpoint}/model.params: parameter shapes {shapes}, expected the 784-512-256-10 MLP")
    # transposed once, contiguous: x @ W.T as a plain row-major GEMM
    return [np.ascontiguousarray(a.T) if a.ndim == 2 else a for _, a in params]


def load_probes(directory):
    manifest = json.loads((directory / "manifest.json").read_text())
    files = manifest["files"]
    load = lambda name: np.load(directory / name).reshape(manifest["n"], -1)  # noqa: E731
    return load(files["clean"]), load(files["random"]), [load(f) for f in files["features"]], manifest


def forward(weights, x):
    w1, b1, w2, b2, w3, b3 = weights
    h = x @ w1
    h += b1
    np.maximum(h, 0, out=h)
    h2 = h @ w2
    h2 += b2
    np.maximum(h2, 0, out=h2)
    out = h2 @ w3
    out += b3
    return out


def log_probs(logits):
    """log softmax, clipped below at log(1e-7) as the clipped probabilities are."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    lp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return np.maximum(lp, CLIP_LOG)


def mean_kl(log_p, p, log_q):
    return float(np.mean(np.sum(p * (log_p - log_q), axis=1)))


def audit(weights, clean, random, features):
    log_p = log_probs(forward(weights, clean))
    p = np.exp(log_p)
    kl_random = mean_kl(log_p, p, log_probs(forward(weights, random)))
    return [mean_kl(log_p, p, log_probs(forward(weights, f))) - kl_random for f in features]


def bare(weights, clean, random, features):
    for x in [clean, random, *features]:
        forward(weights, x)


def median_ms(fn, warmup, repeats):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e3)
    return float(np.median(times))


def gemm_gflops(size=2048, repeats=10):
    a = np.random.default_rng(1).random((size, size), dtype=np.float32)
    b = np.random.default_rng(2).random((size, size), dtype=np.float32)
    a @ b
    best = min(_timed(lambda: a @ b) for _ in range(repeats))
    return 2 * size ** 3 / best / 1e9


def _timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def blas_description():
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{blas.get('name')} {blas.get('version')}"
    except (TypeError, KeyError):
        return "unknown (numpy.show_config() prints it)"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkpoint", type=Path, required=True, metavar="DIR",
                        help="a memaudit MLP checkpoint directory (metadata.json, model.params)")
    parser.add_argument("--probes", type=Path, required=True, metavar="DIR",
                        help="the directory `memaudit probes export` wrote for that checkpoint's input shape")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    try:
        weights = load_mlp(args.checkpoint)
        clean, random, features, manifest = load_probes(args.probes)
    except (ValueError, OSError, KeyError) as e:
        print(f"numpy_audit: error: {e}", file=sys.stderr)
        return 1
    images = (2 + len(features)) * len(clean)
    scores = audit(weights, clean, random, features)
    full = median_ms(lambda: audit(weights, clean, random, features), args.warmup, args.repeats)
    bare_ms = median_ms(lambda: bare(weights, clean, random, features), args.warmup, args.repeats)
    gemm = gemm_gflops()
    gflop = images * FLOPS_PER_IMAGE / 1e9
    print(json.dumps({
        "numpy": np.__version__, "blas": blas_description(),
        "threads": os.environ.get("OPENBLAS_NUM_THREADS") or os.environ.get("OMP_NUM_THREADS"),
        "n": len(clean), "controls": len(features) - 1, "images": images, "gflop": gflop,
        "gemmGflops": gemm, "fullMs": full, "bareMs": bare_ms, "overheadMs": full - bare_ms,
        "floorMs": gflop / gemm * 1e3, "ratioToFloor": full / (gflop / gemm * 1e3),
        "mKl": scores[0], "controlMKl": scores[1:], "featureIds": manifest["featureIds"][:1],
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
