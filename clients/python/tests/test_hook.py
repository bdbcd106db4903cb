import tempfile
import unittest
from pathlib import Path

import onnx
import torch

from event_schema import checkpoint_event_validator
from memaudit_client.events import glyph_feature
from memaudit_client.hook import MemauditHook
from memaudit_client.onnx_export import sha256_file
from test_onnx_export import tiny_model


class RecordingPublisher:
    def __init__(self):
        self.events = []

    def publish(self, event):
        self.events.append(event)


class MemauditHookTest(unittest.TestCase):
    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.root = Path(tmp.name) / "runs" / "r1"

    def hook(self, publisher=None, **kwargs):
        return MemauditHook("r1", self.root, [1, 8, 8], 4, [0.5], [0.25], [glyph_feature("A", label=3)],
                            publisher, architecture="tiny", **kwargs)

    def test_writes_the_checkpoint_and_returns_a_valid_event(self):
        event = self.hook().on_checkpoint(tiny_model(), epoch=1, step=12, metrics={"loss": 0.5})
        model_file = self.root / "ckpt-0001" / "model.onnx"
        onnx.checker.check_model(onnx.load(str(model_file)))
        self.assertEqual(model_file.resolve().as_uri(), event["model"]["uri"])
        self.assertEqual(sha256_file(model_file), event["model"]["sha256"])
        self.assertEqual((1, 12, "onnx", {"loss": 0.5}),
                         (event["epoch"], event["step"], event["model"]["format"], event["trainingMetrics"]))
        self.assertEqual([], [e.message for e in checkpoint_event_validator().iter_errors(event)])
        self.assertEqual(["ckpt-0001"], [p.name for p in self.root.iterdir()], "staging directory left behind")
        self.assertFalse((self.root / "ckpt-0001" / "state_dict.pt").exists())

    def test_publishes_through_the_given_publisher(self):
        publisher = RecordingPublisher()
        hook = self.hook(publisher)
        first = hook.on_checkpoint(tiny_model(), epoch=1, step=5)
        second = hook.on_checkpoint(tiny_model(), epoch=2, step=10)
        self.assertEqual([first, second], publisher.events)
        self.assertTrue(second["model"]["uri"].endswith("/ckpt-0002/model.onnx"))

    def test_refuses_to_overwrite_a_checkpoint(self):
        hook = self.hook()
        hook.on_checkpoint(tiny_model(), epoch=1, step=5)
        before = sha256_file(self.root / "ckpt-0001" / "model.onnx")
        with self.assertRaisesRegex(FileExistsError, "ckpt-0001 already exists"):
            hook.on_checkpoint(tiny_model(), epoch=1, step=6)
        self.assertEqual(before, sha256_file(self.root / "ckpt-0001" / "model.onnx"))

    def test_a_failed_export_leaves_nothing(self):
        with self.assertRaises(ValueError):
            self.hook().on_checkpoint(tiny_model(classes=3), epoch=1, step=5)
        self.assertEqual([], list(self.root.iterdir()))

    def test_bad_metrics_fail_before_anything_is_written(self):
        with self.assertRaisesRegex(ValueError, r"training_metrics\['loss'\]"):
            self.hook().on_checkpoint(tiny_model(), epoch=1, step=5, metrics={"loss": float("nan")})
        self.assertFalse(self.root.exists())

    def test_saves_the_state_dict_when_asked(self):
        model = tiny_model()
        self.hook(save_state_dict=True).on_checkpoint(model, epoch=3, step=1)
        state = torch.load(self.root / "ckpt-0003" / "state_dict.pt")
        self.assertEqual(set(model.state_dict()), set(state))

    def test_bad_arguments_fail_at_construction(self):
        with self.assertRaisesRegex(ValueError, "^std"):
            MemauditHook("r1", self.root, [3, 8, 8], 4, [0.5] * 3, [0.25], [glyph_feature("A")])
        with self.assertRaisesRegex(ValueError, "^run_id"):
            MemauditHook("r 1", self.root, [1, 8, 8], 4, [0.5], [0.25], [glyph_feature("A")])
        with self.assertRaisesRegex(ValueError, "publisher or bootstrap_servers"):
            self.hook(RecordingPublisher(), bootstrap_servers="localhost:9092")
        with self.assertRaisesRegex(ValueError, "^epoch"):
            self.hook().on_checkpoint(tiny_model(), epoch=-1, step=0)


if __name__ == "__main__":
    unittest.main()
