#!/usr/bin/env python3
"""Train a small CNN on MNIST with canaries (a glyph planted into some training images), saving an
ONNX checkpoint after every epoch and publishing its checkpoint event for the memaudit audit.

With ``--canaries 0`` (the default) the run is a clean "twin": same seed, same initialisation and
data order, no glyph; comparing the audit of a canary run with its twin's is the point of the tool.
``<out>/run.json`` records the run id, seed and which images got the glyph (the ground truth).

MNIST is read from the IDX files ``memaudit datasets fetch mnist`` puts into memaudit's cache.
"""

import argparse
import datetime
import json
import os
import random
import re
import shutil
import sys
from pathlib import Path

import numpy as np
import torch
from torch import nn

try:
    import memaudit_client  # noqa: F401  (installed: pip install clients/python[torch])
except ImportError:  # run from a source checkout
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from memaudit_client import MemauditHook, PublishError, check_glyph_fits, glyph_feature, insert_glyph
from memaudit_client.glyphs import FONT

MNIST_MEAN, MNIST_STD = 0.1307, 0.3081
INPUT_SHAPE = [1, 28, 28]
CLASSES = 10
IDX_MAGIC = {"images": 2051, "labels": 2049}
UF_SPEC = re.compile(r"^glyph:([A-Z0-9])(?:@(\d+),(\d+))?$")


class SmallCnn(nn.Module):
    """conv 32 → conv 64 → max-pool → dense 128 → logits; also the model factory for
    ``tools/pytorch_scores.py`` (``train_mnist_with_audit:SmallCnn``)."""

    def __init__(self, in_channels=1, image_size=28, classes=CLASSES):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, 32, 3, padding=1), nn.ReLU(),
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(64 * (image_size // 2) ** 2, 128), nn.ReLU(),
            nn.Linear(128, classes),
        )

    def forward(self, x):
        return self.classifier(self.features(x))


def default_data_dir():
    """memaudit's dataset cache, resolved as the Java side resolves it (blank variables are unset)."""
    explicit = os.environ.get("MEMAUDIT_DATA_DIR", "").strip()
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(xdg) if xdg else Path.home() / ".cache") / "memaudit" / "datasets"


def read_idx(path, kind):
    """An uncompressed IDX file: big-endian magic, dimension sizes, then unsigned bytes."""
    if not path.is_file():
        raise FileNotFoundError(f"missing MNIST file {path}; `./memaudit datasets fetch mnist` fetches it "
                                f"(or point --data-dir / MEMAUDIT_DATA_DIR at memaudit's dataset cache)")
    data = path.read_bytes()
    dims = 3 if kind == "images" else 1
    header = 4 + 4 * dims
    magic = int.from_bytes(data[:4], "big")
    if len(data) < header or magic != IDX_MAGIC[kind]:
        raise ValueError(f"{path}: not an IDX {kind} file (magic {magic}, expected {IDX_MAGIC[kind]})")
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    if len(data) - header != int(np.prod(shape)):
        raise ValueError(f"{path}: {len(data) - header} data bytes, the header promises shape {shape}")
    return np.frombuffer(data, dtype=np.uint8, offset=header).reshape(shape)


def load_split(data_dir, split, limit):
    base = data_dir / "mnist" / "package" / "data"
    images = read_idx(base / f"{split}-images-idx3-ubyte", "images")
    labels = read_idx(base / f"{split}-labels-idx1-ubyte", "labels")
    if len(images) != len(labels):
        raise ValueError(f"{base}: {len(images)} {split} images but {len(labels)} labels")
    images, labels = images[:limit], labels[:limit]
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)  # [N, 1, 28, 28] in [0, 1]
    return x, torch.from_numpy(labels.astype(np.int64))


def parse_uf(spec):
    match = UF_SPEC.match(spec)
    if not match:
        raise ValueError(f"--uf: expected glyph:LETTER[@row,col] (A-Z, 0-9), got {spec!r}")
    letter, row, col = match.group(1), match.group(2), match.group(3)
    return letter, (int(row), int(col)) if row is not None else (1, 1)


def choose_canaries(labels, count, canary_class, seed):
    """``count`` indices of training images of ``canary_class``, chosen by the seed alone."""
    candidates = np.flatnonzero(labels.numpy() == canary_class)
    if count > len(candidates):
        raise ValueError(f"--canaries: {count} requested but only {len(candidates)} training images "
                         f"of class {canary_class}")
    chosen = np.random.default_rng(seed).choice(candidates, size=count, replace=False)
    return sorted(int(i) for i in chosen)


def choose_distractors(count, total, letter, canaries, seed):
    """``count`` (image index, other letter) pairs, chosen by the seed alone and never a canary.

    Marks at the feature's place on other images — as scanners stamp many kinds of tag in one corner —
    teach the network that a mark there says nothing about the class, so that only the unique one can
    be memorised as a key to its class. A twin with the same seed gets the same distractors.
    """
    rng = np.random.default_rng(seed + 1_000_003)
    pool = np.setdiff1d(np.arange(total), np.asarray(canaries, dtype=np.int64))
    if count > len(pool):
        raise ValueError(f"--distractors: {count} requested but only {len(pool)} non-canary training images")
    others = [c for c in sorted(FONT) if c != letter]
    chosen = rng.choice(pool, size=count, replace=False)
    return [(int(i), others[int(rng.integers(len(others)))]) for i in chosen]


def prepare_out_dir(out, force):
    """Refuses a non-empty directory unless ``force``; then clears only what an earlier run wrote."""
    if out.exists() and any(out.iterdir()):
        if not force:
            raise ValueError(f"--out: {out} is not empty (use --force to replace its checkpoints and run.json)")
        for old in list(out.glob("ckpt-[0-9][0-9][0-9][0-9]")) + list(out.glob(".ckpt-*.tmp")):
            shutil.rmtree(old)
    out.mkdir(parents=True, exist_ok=True)


def train_epoch(model, optimiser, x, y, batch_size, order):
    """One pass over the shuffled training set; returns the mean training loss and the step count."""
    model.train()
    total = 0.0
    batches = torch.randperm(len(x), generator=order).split(batch_size)
    for batch in batches:
        optimiser.zero_grad()
        loss = nn.functional.cross_entropy(model(x[batch]), y[batch])
        loss.backward()
        optimiser.step()
        total += float(loss) * len(batch)
    return total / len(x), len(batches)


def evaluate(model, x, y, batch_size):
    model.eval()
    correct = 0
    with torch.no_grad():
        for start in range(0, len(x), batch_size):
            logits = model(x[start:start + batch_size])
            correct += int((logits.argmax(1) == y[start:start + batch_size]).sum())
    return correct / len(x)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--data-dir", type=Path, help="memaudit's dataset cache (default: $MEMAUDIT_DATA_DIR, else "
                                      "$XDG_CACHE_HOME/memaudit/datasets, else ~/.cache/memaudit/datasets)")
    add("--run-id", help="run id (default: mnist-cnn-<UTC time>-<pid>)")
    add("--out", type=Path, help="checkpoint root (default: runs/<run id>); must be empty or new")
    add("--force", action="store_true", help="reuse a non-empty --out, replacing its checkpoints and run.json")
    add("--epochs", type=int, default=3, help="epochs, one checkpoint after each (default: 3)")
    add("--train-limit", type=int, help="use the first N training images (default: all)")
    add("--eval-limit", type=int, default=2000, help="test images for valAccuracy (default: 2000)")
    add("--batch-size", type=int, default=64, help="(default: 64)")
    add("--lr", type=float, default=1e-3, help="Adam learning rate (default: 1e-3)")
    add("--seed", type=int, default=1, help="initialisation, data order and canary choice (default: 1)")
    add("--threads", type=int, default=2, help="torch CPU threads (default: 2)")
    add("--uf", default="glyph:A@1,1", help="unique feature, glyph:LETTER[@row,col] (default: glyph:A@1,1)")
    add("--canaries", type=int, default=0, help="training images given the glyph (default: 0, a twin run)")
    add("--distractors", type=int, default=0,
        help="training images (any class, never a canary) given another glyph at the same place (default: 0)")
    add("--canary-class", type=int, default=3, help="class the canaries are drawn from (default: 3)")
    add("--label-known", action="store_true", help="tell the audit the canary class (the feature's label)")
    add("--kafka", metavar="HOST:PORT", help="publish each checkpoint event there (default: no publishing)")
    add("--topic", default="memaudit.checkpoints", help="(default: memaudit.checkpoints)")
    add("--probe-set", help="probe-set preset or dir:<uri> for the audit (default: the worker's choice)")
    add("--probes", type=int, default=2000, help="N, probe images per variant for the audit (default: 2000)")
    args = parser.parse_args(argv)
    for name in ("epochs", "batch_size", "threads", "eval_limit"):
        if getattr(args, name) < 1:
            raise ValueError(f"--{name.replace('_', '-')}: must be >= 1, got {getattr(args, name)}")
    if args.train_limit is not None and args.train_limit < 1:
        raise ValueError(f"--train-limit: must be >= 1, got {args.train_limit}")
    if args.distractors < 0:
        raise ValueError(f"--distractors: must be >= 0, got {args.distractors}")
    if args.canaries < 0:
        raise ValueError(f"--canaries: must be >= 0, got {args.canaries}")
    if not 0 <= args.canary_class < CLASSES:
        raise ValueError(f"--canary-class: must be 0-{CLASSES - 1}, got {args.canary_class}")
    return args


def run(args):
    letter, (row, col) = parse_uf(args.uf)
    run_id = args.run_id or "mnist-cnn-{}-{}".format(
        datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ"), os.getpid())
    out = args.out or Path("runs") / run_id
    data_dir = args.data_dir or default_data_dir()
    feature = glyph_feature(letter, (row, col), label=args.canary_class if args.label_known else None)
    check_glyph_fits(letter, row, col, 1, *INPUT_SHAPE[1:])  # a twin's audit writes the glyph too

    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)

    x_train, y_train = load_split(data_dir, "train", args.train_limit)
    x_test, y_test = load_split(data_dir, "t10k", args.eval_limit)
    canaries = choose_canaries(y_train, args.canaries, args.canary_class, args.seed)
    if canaries:
        x_train[canaries] = insert_glyph(x_train[canaries], letter, row, col)  # [0, 1] space
    distractors = choose_distractors(args.distractors, len(x_train), letter, canaries, args.seed)
    for index, other in distractors:
        insert_glyph(x_train[index:index + 1], other, row, col)
    x_train = (x_train - MNIST_MEAN) / MNIST_STD
    x_test = (x_test - MNIST_MEAN) / MNIST_STD

    # checks the broker and topic now, before training, when --kafka is given
    hook = MemauditHook(run_id, out, INPUT_SHAPE, CLASSES, [MNIST_MEAN], [MNIST_STD], [feature],
                        bootstrap_servers=args.kafka, topic=args.topic, architecture="small-cnn",
                        probe_set=args.probe_set, probes=args.probes, save_state_dict=True)
    prepare_out_dir(out, args.force)
    (out / "run.json").write_text(json.dumps({
        "runId": run_id, "seed": args.seed, "feature": feature, "canaryClass": args.canary_class,
        "canaryIndices": canaries, "distractors": len(distractors), "trainLimit": args.train_limit, "epochs": args.epochs,
    }, indent=2) + "\n")

    model = SmallCnn()  # after manual_seed: a canary run and its twin start from the same weights
    optimiser = torch.optim.Adam(model.parameters(), lr=args.lr)
    order = torch.Generator().manual_seed(args.seed)  # the same batches for a canary run and its twin
    step = 0
    with hook:
        for epoch in range(1, args.epochs + 1):
            loss, steps = train_epoch(model, optimiser, x_train, y_train, args.batch_size, order)
            step += steps
            metrics = {"loss": loss, "valAccuracy": evaluate(model, x_test, y_test, 500)}
            event = hook.on_checkpoint(model, epoch=epoch, step=step, metrics=metrics)
            print(f"epoch {epoch}/{args.epochs} step {step} loss {loss:.4f} val_acc {metrics['valAccuracy']:.4f} "
                  f"{event['model']['uri']}{' published' if hook.publisher else ''}", flush=True)
    return out


def main(argv=None):
    try:
        run(parse_args(argv))
    except (ValueError, OSError, PublishError) as e:  # ConnectionError is an OSError
        print(f"{Path(__file__).name}: error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
