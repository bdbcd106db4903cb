#!/usr/bin/env python3
"""Recompute memaudit's M_KL and M_label in PyTorch, independently of the Java scorer.

An equality test runs this on the probe tensors ``memaudit probes export`` writes and on the
PyTorch weights of the same checkpoint, and compares the result with the worker's scores: a second
implementation of the same formulas on a second inference engine. The probe arrays are float32
``[N, C, H, W]`` (``[N, H, W, C]`` for a manifest's NHWC layout), already normalised, and go into
the model as they are.

For clean outputs p_i, outputs q_i with a feature and r_i with a random patch (softmax of the
model's float32 logits, in float64; probabilities clipped to [1e-7, 1]):
M_KL = mean_i KL(p_i||q_i) - mean_i KL(p_i||r_i),
M_label = mean_i log q_i[y] - mean_i log r_i[y].
Prints {"mKl": ..., "mLabel": ... or null, "controlMKl": [...]} as one JSON object.
"""

import argparse
import importlib
import json
import sys
from pathlib import Path

import numpy as np
import torch

CLIP_MIN = 1e-7


def load_model(factory_spec, state_dict_path):
    """Calls ``module:function`` (any callable returning the nn.Module) and loads the weights."""
    module_name, _, attribute = factory_spec.partition(":")
    if not module_name or not attribute:
        raise ValueError(f"--model-factory: expected module:function, got {factory_spec!r}")
    factory = getattr(importlib.import_module(module_name), attribute)
    model = factory()
    model.load_state_dict(torch.load(state_dict_path, map_location="cpu"))
    return model.eval()


def load_probes(directory):
    """The manifest and its arrays: clean, random, then one per feature (the audited one first)."""
    manifest_path = directory / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    missing = [key for key in ("inputShape", "n", "featureIds", "files") if key not in manifest]
    missing += [f"files.{key}" for key in ("clean", "random", "features") if key not in manifest.get("files", {})]
    if missing:
        raise ValueError(f"{manifest_path}: missing {', '.join(missing)}")
    files = manifest["files"]
    if len(files["features"]) != len(manifest["featureIds"]):
        raise ValueError(f"{manifest_path}: {len(files['features'])} feature files for "
                         f"{len(manifest['featureIds'])} featureIds")
    channels, height, width = manifest["inputShape"]
    layout = manifest.get("layout", "NCHW")
    if layout not in ("NCHW", "NHWC"):
        raise ValueError(f"{manifest_path}: layout {layout!r}, expected NCHW or NHWC")
    # written in the model's layout, so they go into the model as they are
    n = manifest["n"]
    expected = (n, channels, height, width) if layout == "NCHW" else (n, height, width, channels)

    def load(name):
        array = np.load(directory / name)
        if array.shape != expected or array.dtype != np.float32:
            raise ValueError(f"{directory / name}: {array.dtype} {list(array.shape)}, the manifest says "
                             f"float32 {list(expected)}")
        return array

    return load(files["clean"]), load(files["random"]), [load(name) for name in files["features"]]


def clipped_probabilities(model, images, batch_size):
    """softmax(model(images)) in float64 from the float32 logits, clipped to [1e-7, 1]."""
    with torch.no_grad():
        logits = torch.cat([model(torch.from_numpy(images[start:start + batch_size]))
                            for start in range(0, len(images), batch_size)])
    return torch.softmax(logits.double(), dim=1).numpy().clip(CLIP_MIN, 1.0)


def mean_kl(p, q):
    """mean_i KL(p_i||q_i) of clipped (not renormalised) probabilities."""
    return float(np.mean(np.sum(p * (np.log(p) - np.log(q)), axis=1)))


def scores(model, clean, random, features, label=None, batch_size=256):
    """The audited feature's M_KL and M_label, and every control's M_KL."""
    p = clipped_probabilities(model, clean, batch_size)
    r = clipped_probabilities(model, random, batch_size)
    if label is not None and not 0 <= label < p.shape[1]:
        raise ValueError(f"--label: {label} is not a class of this {p.shape[1]}-class model")
    kl_random = mean_kl(p, r)
    m_kl, m_label = [], None
    for index, images in enumerate(features):
        q = clipped_probabilities(model, images, batch_size)
        m_kl.append(mean_kl(p, q) - kl_random)
        if index == 0 and label is not None:
            m_label = float(np.mean(np.log(q[:, label])) - np.mean(np.log(r[:, label])))
    return {"mKl": m_kl[0], "mLabel": m_label, "controlMKl": m_kl[1:]}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--state-dict", type=Path, required=True, help="torch.save(model.state_dict()) file")
    parser.add_argument("--model-factory", required=True, metavar="MODULE:FUNCTION",
                        help="callable returning the nn.Module, e.g. train_mnist_with_audit:SmallCnn")
    parser.add_argument("--pythonpath", action="append", default=[], metavar="DIR",
                        help="directory to import the factory's module from (repeatable)")
    parser.add_argument("--probes", type=Path, required=True, metavar="DIR",
                        help="directory written by `memaudit probes export` (manifest.json and .npy files)")
    parser.add_argument("--label", type=int, default=None, help="the feature's training label (enables mLabel)")
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--threads", type=int, default=2, help="torch CPU threads")
    args = parser.parse_args(argv)
    sys.path[:0] = [str(Path(p).resolve()) for p in args.pythonpath]
    torch.set_num_threads(args.threads)
    try:
        model = load_model(args.model_factory, args.state_dict)
        clean, random, features = load_probes(args.probes)
        result = scores(model, clean, random, features, args.label, args.batch_size)
    except (ValueError, OSError, ImportError, AttributeError) as e:
        print(f"pytorch_scores: error: {e}", file=sys.stderr)
        return 1
    print(json.dumps(result, allow_nan=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
