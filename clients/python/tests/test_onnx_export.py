import tempfile
import unittest
from pathlib import Path

import onnx
import torch
from torch import nn

from memaudit_client.onnx_export import export_onnx, sha256_file


def tiny_model(classes=4):
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.BatchNorm2d(2), nn.ReLU(), nn.Dropout(0.5),
                         nn.Flatten(), nn.Linear(2 * 8 * 8, classes))


def _dims(value_info):
    return [d.dim_param or d.dim_value for d in value_info.type.tensor_type.shape.dim]


class ExportOnnxTest(unittest.TestCase):
    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.tmp = Path(tmp.name)

    def test_exports_a_checked_model_with_one_dynamic_batch_input_and_output(self):
        path = self.tmp / "model.onnx"
        self.assertEqual(path, export_onnx(tiny_model(), [1, 8, 8], path))
        model = onnx.load(str(path))
        onnx.checker.check_model(model)
        self.assertEqual(["input"], [i.name for i in model.graph.input])
        self.assertEqual(["output"], [o.name for o in model.graph.output])
        self.assertEqual(["batch", 1, 8, 8], _dims(model.graph.input[0]))
        self.assertEqual(["batch", 4], _dims(model.graph.output[0]))
        self.assertEqual(["model.onnx"], [p.name for p in self.tmp.iterdir()], "temporary file left behind")
        self.assertTrue(path.stat().st_mode & 0o044, "the worker may run as another user: not private")

    def test_restores_the_training_mode(self):
        for training in (True, False):
            model = tiny_model().train(training)
            export_onnx(model, (1, 8, 8), self.tmp / f"m-{training}.onnx")
            self.assertEqual([training] * len(list(model.modules())), [m.training for m in model.modules()])

    def test_refuses_a_wrong_number_of_classes_without_writing(self):
        with self.assertRaisesRegex(ValueError, r"output shape \[1, 4\].*\[batch, 10\]"):
            export_onnx(tiny_model(), [1, 8, 8], self.tmp / "model.onnx", classes=10)
        self.assertEqual([], list(self.tmp.iterdir()))

    def test_sha256_file(self):
        path = self.tmp / "f"
        path.write_bytes(b"test")
        self.assertEqual("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", sha256_file(path))


if __name__ == "__main__":
    unittest.main()
