#!/usr/bin/env python3
"""Train torchvision's ResNet-18 (batch norm, residual connections) for 3x32x32 CIFAR-10 images,
briefly, on a subset, saving an ONNX checkpoint after every epoch with memaudit's hook and publishing
its event when --kafka is given. A second architecture for the audit: the same hook and worker serve
any model that exports to ONNX.

CIFAR-10 is read from the PNG sprites ``memaudit datasets fetch cifar10`` puts into memaudit's cache
(``<data-dir>/cifar10/package/data_batch_1.png``: one 32x32 RGB image per row, with
``train_lables.json``). ``<out>/run.json`` records the run.
"""

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import torch
import torchvision
from PIL import Image

try:
    import memaudit_client  # noqa: F401
except ImportError:  # run from a source checkout
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from memaudit_client import MemauditHook, PublishError, glyph_feature
from train_mnist_with_audit import default_data_dir, prepare_out_dir

CIFAR_MEAN = [0.4914, 0.4822, 0.4465]
CIFAR_STD = [0.2470, 0.2435, 0.2616]
INPUT_SHAPE = [3, 32, 32]
CLASSES = 10


def resnet18():
    """torchvision's ResNet-18 with 10 outputs; the factory for ``tools/pytorch_scores.py``."""
    return torchvision.models.resnet18(num_classes=CLASSES)


def load_cifar(data_dir, limit):
    base = data_dir / "cifar10" / "package"
    sprite, labels_file = base / "data_batch_1.png", base / "train_lables.json"
    for f in (sprite, labels_file):
        if not f.is_file():
            raise FileNotFoundError(f"missing CIFAR-10 file {f}; `./memaudit datasets fetch cifar10` fetches it")
    rows = np.asarray(Image.open(sprite).convert("RGB"), dtype=np.uint8)[:limit]  # [n, 1024, 3]
    x = torch.from_numpy(rows.reshape(-1, 32, 32, 3).transpose(0, 3, 1, 2).astype(np.float32) / 255.0)
    labels = json.loads(labels_file.read_text())[:len(x)]
    y = torch.tensor([int(np.argmax(v)) if isinstance(v, list) else int(v) for v in labels], dtype=torch.int64)
    mean = torch.tensor(CIFAR_MEAN).view(1, 3, 1, 1)
    std = torch.tensor(CIFAR_STD).view(1, 3, 1, 1)
    return (x - mean) / std, y


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--data-dir", type=Path, help="memaudit's dataset cache (default: as memaudit resolves it)")
    add("--run-id", default="cifar-resnet18", help="run id (default: cifar-resnet18)")
    add("--out", type=Path, required=True, help="checkpoint root; must be empty or new")
    add("--force", action="store_true", help="reuse a non-empty --out")
    add("--epochs", type=int, default=1, help="(default: 1)")
    add("--train-limit", type=int, default=2000, help="first N training images (default: 2000)")
    add("--batch-size", type=int, default=64, help="(default: 64)")
    add("--seed", type=int, default=1, help="(default: 1)")
    add("--threads", type=int, default=2, help="torch CPU threads (default: 2)")
    add("--kafka", metavar="HOST:PORT", help="publish each checkpoint event there (default: no publishing)")
    add("--topic", default="memaudit.checkpoints")
    add("--probe-set", help="probe set for the audit (default: the worker's, mnist-rgb-32)")
    add("--probes", type=int, default=2000, help="N for the audit (default: 2000)")
    args = parser.parse_args(argv)
    for name in ("epochs", "train_limit", "batch_size", "threads"):
        if getattr(args, name) < 1:
            raise ValueError(f"--{name.replace('_', '-')}: must be >= 1, got {getattr(args, name)}")
    return args


def run(args):
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    x, y = load_cifar(args.data_dir or default_data_dir(), args.train_limit)
    hook = MemauditHook(args.run_id, args.out, INPUT_SHAPE, CLASSES, CIFAR_MEAN, CIFAR_STD, [glyph_feature("A", (1, 1))],
                        bootstrap_servers=args.kafka, topic=args.topic, architecture="resnet18",
                        probe_set=args.probe_set, probes=args.probes, save_state_dict=True)
    prepare_out_dir(args.out, args.force)
    (args.out / "run.json").write_text(json.dumps({"runId": args.run_id, "seed": args.seed,
                                                   "trainLimit": args.train_limit, "epochs": args.epochs}) + "\n")
    model = resnet18()
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)
    order = torch.Generator().manual_seed(args.seed)
    step = 0
    with hook:
        for epoch in range(1, args.epochs + 1):
            model.train()
            total = 0.0
            for idx in torch.randperm(len(x), generator=order).split(args.batch_size):
                optimiser.zero_grad()
                loss = torch.nn.functional.cross_entropy(model(x[idx]), y[idx])
                loss.backward()
                optimiser.step()
                total += float(loss) * len(idx)
                step += 1
            metrics = {"loss": total / len(x)}
            event = hook.on_checkpoint(model, epoch=epoch, step=step, metrics=metrics)
            print(f"epoch {epoch}/{args.epochs} step {step} loss {metrics['loss']:.4f} {event['model']['uri']}", flush=True)


def main(argv=None):
    try:
        run(parse_args(argv))
    except (ValueError, OSError, PublishError) as e:
        print(f"{Path(__file__).name}: error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
