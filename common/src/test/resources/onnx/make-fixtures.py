#!/usr/bin/env python3
"""Writes the small ONNX models the Java tests load (run with Debian's python3-torch and python3-onnx:
/usr/bin/python3 make-fixtures.py). Committed beside this script so that the Java tests need no Python;
re-run it only to change them. Each file is a few kilobytes.

  tiny-cnn.onnx        conv 1->2 3x3 pad 1, ReLU, 2x2 average pool, linear 2*14*14 -> 10; input
                       "input" [batch,1,28,28], output "output" [batch,10] logits; dynamic batch; opset 13
  tiny-cnn-nhwc.onnx   the same weights taking NHWC input [batch,28,28,1]
  tiny-cnn-softmax.onnx the same network ending in softmax (probabilities)
  tiny-cnn-fixed.onnx  the same, exported with a fixed batch of 2
  two-inputs.onnx      two image inputs (the audit feeds one)
  future-opset.onnx    tiny-cnn stamped with opset 99 (no runtime implements it)
  nan-output.onnx      tiny-cnn with one output bias NaN
  tiny-cnn-input.npy, tiny-cnn-logits.npy   4 images and PyTorch's logits for them
"""
import torch
from torch import nn
import numpy as np
import onnx

torch.manual_seed(7)


class TinyCnn(nn.Module):
    def __init__(self, nhwc=False, softmax=False):
        super().__init__()
        self.nhwc, self.softmax = nhwc, softmax
        self.conv = nn.Conv2d(1, 2, 3, padding=1)
        self.pool = nn.AvgPool2d(2)
        self.fc = nn.Linear(2 * 14 * 14, 10)

    def forward(self, x):
        if self.nhwc:
            x = x.permute(0, 3, 1, 2)
        y = self.fc(self.pool(torch.relu(self.conv(x))).flatten(1))
        return torch.softmax(y, 1) if self.softmax else y


class TwoInputs(nn.Module):
    def __init__(self, base):
        super().__init__()
        self.base = base

    def forward(self, a, b):
        return self.base(a) + self.base(b)


def export(model, args, path, names, dynamic=True):
    axes = {n: {0: "batch"} for n in names + ["output"]} if dynamic else None
    torch.onnx.export(model.eval(), args, path, input_names=names, output_names=["output"],
                      dynamic_axes=axes, opset_version=13)


base = TinyCnn()
x = torch.rand(2, 1, 28, 28)
export(base, (x,), "tiny-cnn.onnx", ["input"])
nhwc = TinyCnn(nhwc=True)
nhwc.load_state_dict(base.state_dict())
export(nhwc, (x.permute(0, 2, 3, 1),), "tiny-cnn-nhwc.onnx", ["input"])
soft = TinyCnn(softmax=True)
soft.load_state_dict(base.state_dict())
export(soft, (x,), "tiny-cnn-softmax.onnx", ["input"])
export(base, (x,), "tiny-cnn-fixed.onnx", ["input"], dynamic=False)
export(TwoInputs(base), (x, x), "two-inputs.onnx", ["a", "b"])
nan = TinyCnn()
nan.load_state_dict(base.state_dict())
with torch.no_grad():
    nan.fc.bias[0] = float("nan")
export(nan, (x,), "nan-output.onnx", ["input"])
m = onnx.load("tiny-cnn.onnx")
m.opset_import[0].version = 99
onnx.save(m, "future-opset.onnx")
# a reference forward pass: tests check ONNX Runtime's logits against PyTorch's
check = torch.rand(4, 1, 28, 28, generator=torch.Generator().manual_seed(3))
with torch.no_grad():
    np.save("tiny-cnn-input.npy", check.numpy())
    np.save("tiny-cnn-logits.npy", base(check).numpy())
