"""Exporting a PyTorch model to the ONNX file the audit worker loads, and hashing it.

The worker feeds the model batches of probe images, so the export has a dynamic batch axis and
fixed, predictable names: one input ``input`` ``[batch, C, H, W]`` and one output ``output``
``[batch, classes]``. Files are written atomically because a worker may read a checkpoint the
moment its event arrives, and a half-written file must never look like a checkpoint.
"""

import hashlib
import os
import uuid
from pathlib import Path

INPUT_NAME = "input"
OUTPUT_NAME = "output"


def export_onnx(model, input_shape, path, *, opset=13, classes=None):
    """Exports ``model`` (a ``torch.nn.Module``) to ONNX at ``path`` and returns ``path``.

    ``input_shape`` is ``[C, H, W]``. The model is traced in eval mode (dropout off, batch norm on
    its running statistics: the network the audit should score) under ``torch.no_grad``, and put
    back into the training mode it had. When ``classes`` is given, a model whose output is not
    ``[batch, classes]`` is refused before anything is written.
    """
    import torch  # lazily: events and publishing work without torch

    if len(input_shape) != 3:
        raise ValueError(f"input_shape: expected [C, H, W], got {input_shape!r}")
    path = Path(path)
    parameter = next(model.parameters(), None)
    device = parameter.device if parameter is not None else torch.device("cpu")
    example = torch.zeros((1, *input_shape), dtype=torch.float32, device=device)
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            _check_output(model(example), classes)
            # not mkstemp: its files are private (0600), and the worker may run as another user
            tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
            try:
                torch.onnx.export(model, example, str(tmp), opset_version=opset,
                                  input_names=[INPUT_NAME], output_names=[OUTPUT_NAME],
                                  dynamic_axes={INPUT_NAME: {0: "batch"}, OUTPUT_NAME: {0: "batch"}})
                os.replace(tmp, path)
            except BaseException:
                tmp.unlink(missing_ok=True)
                raise
    finally:
        model.train(was_training)
    return path


def _check_output(output, classes):
    shape = tuple(getattr(output, "shape", ()))
    if len(shape) != 2 or (classes is not None and shape[1] != classes):
        expected = f"[batch, {classes}]" if classes is not None else "[batch, classes]"
        raise ValueError(f"model: output shape {list(shape)} for one image, expected {expected} "
                         f"(a single tensor of class scores)")


def sha256_file(path):
    """Hex SHA-256 of a file, read in chunks (checkpoints can be large); the event's ``sha256``."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
