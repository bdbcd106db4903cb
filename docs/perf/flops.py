#!/usr/bin/env python3
"""Forward FLOPs per image of a PyTorch model, for `memaudit bench score --flops-per-image`.

Counts the multiply-adds of convolutions and linear layers (2 FLOPs each), the work a matrix-multiply
rate bounds; batch norm, activations, pooling and residual additions are left out (a few per cent for a
ResNet), so the floor computed from this count is a lower bound.

  /usr/bin/python3 docs/perf/flops.py resnet18 --input-shape 3,32,32 --classes 10
  /usr/bin/python3 docs/perf/flops.py mnist-cnn          # clients/python's example CNN
"""
import argparse
import sys
from pathlib import Path

import torch
from torch import nn


def count(model, shape):
    total = [0]

    def conv(m, inp, out):
        k = m.kernel_size[0] * m.kernel_size[1] * (m.in_channels // m.groups)
        total[0] += 2 * k * out.numel()

    def linear(m, inp, out):
        total[0] += 2 * m.in_features * out.numel()

    hooks = [m.register_forward_hook(conv) for m in model.modules() if isinstance(m, nn.Conv2d)]
    hooks += [m.register_forward_hook(linear) for m in model.modules() if isinstance(m, nn.Linear)]
    with torch.no_grad():
        model.eval()(torch.zeros(1, *shape))
    for h in hooks:
        h.remove()
    return total[0]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("model", choices=["resnet18", "mnist-cnn"])
    p.add_argument("--input-shape", default=None, help="C,H,W (default: 3,32,32 for resnet18, 1,28,28 for mnist-cnn)")
    p.add_argument("--classes", type=int, default=10)
    a = p.parse_args()
    if a.model == "resnet18":
        import torchvision
        model, shape = torchvision.models.resnet18(num_classes=a.classes), (3, 32, 32)
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "clients/python/examples"))
        from train_mnist_with_audit import SmallCnn
        model, shape = SmallCnn(), (1, 28, 28)
    if a.input_shape:
        shape = tuple(int(v) for v in a.input_shape.split(","))
    print(count(model, shape))


if __name__ == "__main__":
    main()
