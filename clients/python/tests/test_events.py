import datetime
import json
import unittest

import numpy as np

from memaudit_client.events import build_checkpoint_event, event_to_json, glyph_feature, text_feature

from event_schema import checkpoint_event_validator

SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


def _args(**overrides):
    args = dict(run_id="mnist-cnn-seed1", step=938, epoch=1, model_uri="file:///abs/ckpts/ckpt-0001/model.onnx",
                input_shape=[1, 28, 28], classes=10, mean=[0.1307], std=[0.3081],
                features=[glyph_feature("A", label=3)])
    args.update(overrides)
    return args


def _nulls(value, path="$"):
    if value is None:
        return [path]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _nulls(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _nulls(v, f"{path}[{i}]")]
    return []


class ValidEventsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.validator = checkpoint_event_validator()

    def assertValid(self, event):
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in self.validator.iter_errors(event)]
        self.assertEqual([], errors)
        self.assertEqual([], _nulls(event))
        # what goes on the wire is what was validated
        self.assertEqual(event, json.loads(event_to_json(event)))

    def test_full_onnx_event_matches_the_documented_example(self):
        event = build_checkpoint_event(
            **_args(), architecture="small-cnn", sha256=SHA, probe_set="cifar10-gray-28",
            training_metrics={"loss": 0.04, "valAccuracy": 0.98},
            created_at=datetime.datetime(2026, 12, 2, 10, 0, tzinfo=datetime.timezone.utc))
        self.assertValid(event)
        self.assertEqual({
            "schemaVersion": 1, "runId": "mnist-cnn-seed1", "step": 938, "epoch": 1,
            "createdAt": "2026-12-02T10:00:00Z",
            "model": {"uri": "file:///abs/ckpts/ckpt-0001/model.onnx", "format": "onnx", "architecture": "small-cnn",
                      "inputShape": [1, 28, 28], "layout": "NCHW", "output": "logits", "classes": 10,
                      "normalisation": {"mean": [0.1307], "std": [0.3081]}, "sha256": SHA},
            "audit": {"features": [{"id": "glyph-A", "kind": "glyph", "letter": "A", "position": [1, 1],
                                    "label": 3}],
                      "probeSet": "cifar10-gray-28", "probes": 2000},
            "trainingMetrics": {"loss": 0.04, "valAccuracy": 0.98}}, event)

    def test_minimal_onnx_event_omits_absent_optionals(self):
        event = build_checkpoint_event(**_args(features=[glyph_feature("7")]))
        self.assertValid(event)
        self.assertNotIn("trainingMetrics", event)
        self.assertEqual({"features", "probes"}, set(event["audit"]))
        self.assertNotIn("sha256", event["model"])
        self.assertNotIn("architecture", event["model"])

    def test_djl_event_with_text_feature_rgb_and_dir_probe_set(self):
        features = [glyph_feature("Q", position=(2, 3), id="canary", scale=2),
                    text_feature("JANE DOE", (20, 1), "jane-doe", font="SansSerif", font_size=5, label=0)]
        event = build_checkpoint_event(
            **_args(input_shape=(3, 32, 32), mean=(0.49, 0.48, 0.45), std=(0.25, 0.24, 0.26), features=features),
            fmt="djl", architecture="cnn", layout="NHWC", output="log-probabilities", controls=25,
            probe_set="dir:file:///srv/probes", created_at=datetime.datetime(
                2026, 3, 14, 10, 26, 53, 999, tzinfo=datetime.timezone(datetime.timedelta(hours=1))))
        self.assertValid(event)
        self.assertEqual("2026-03-14T09:26:53Z", event["createdAt"])
        self.assertEqual({"id": "jane-doe", "kind": "text", "text": "JANE DOE", "font": "SansSerif",
                          "fontSize": 5, "position": [20, 1], "label": 0}, event["audit"]["features"][1])

    def test_numpy_scalars_become_plain_numbers(self):
        event = build_checkpoint_event(**_args(step=np.int64(7), classes=np.int32(10)),
                                       training_metrics={"loss": np.float32(0.5)})
        self.assertValid(event)
        self.assertEqual((7, 10, 0.5), (event["step"], event["model"]["classes"], event["trainingMetrics"]["loss"]))
        self.assertIs(int, type(event["step"]))

    def test_default_created_at_is_now_in_utc(self):
        before = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        event = build_checkpoint_event(**_args())
        stamp = datetime.datetime.fromisoformat(event["createdAt"].replace("Z", "+00:00"))
        self.assertTrue(event["createdAt"].endswith("Z"))
        self.assertLessEqual(before, stamp)

    def test_the_validator_is_strict(self):
        event = build_checkpoint_event(**_args())
        event["model"]["fontsize"] = 5
        self.assertTrue(list(self.validator.iter_errors(event)))

    def test_compact_json(self):
        self.assertNotIn(b" ", event_to_json(build_checkpoint_event(**_args())))


class InvalidArgumentsTest(unittest.TestCase):
    def assertRejects(self, name, **overrides):
        with self.assertRaises(ValueError) as raised:
            build_checkpoint_event(**_args(**overrides))
        self.assertTrue(str(raised.exception).startswith(name), str(raised.exception))
        return str(raised.exception)

    def test_each_bad_argument_is_named(self):
        self.assertIn("'bad id!'", self.assertRejects("run_id", run_id="bad id!"))
        self.assertRejects("run_id", run_id="trailing-newline\n")
        self.assertRejects("step", step=-1)
        self.assertRejects("step", step=1.5)
        self.assertRejects("epoch", epoch=True)
        self.assertRejects("model_uri", model_uri="/no/scheme")
        self.assertRejects("input_shape", input_shape=[28, 28])
        self.assertRejects("input_shape[0]", input_shape=[0, 28, 28])
        self.assertRejects("classes", classes=1)
        self.assertRejects("mean", mean=[0.1, 0.2])
        self.assertRejects("std", std=[0.3, 0.3])
        self.assertRejects("std[0]", std=[0.0])
        self.assertRejects("mean[0]", mean=[float("nan")])
        self.assertRejects("features", features=[])
        self.assertRejects("features[0]", features=[{"id": "x", "kind": "glyph", "position": [1, 1]}])
        self.assertRejects("features[0]", features=[{"id": "x", "kind": "glyph", "letter": "A",
                                                     "position": [1, 1], "fontsize": 5}])
        self.assertRejects("features[0]", features=[{"id": "x", "kind": "glyph", "letter": "A",
                                                     "position": [1, 1], "label": None}])
        self.assertRejects("fmt", fmt="torchscript")
        self.assertRejects("architecture", fmt="djl")
        self.assertRejects("layout", layout="CHW")
        self.assertRejects("output", output="softmax")
        self.assertRejects("sha256", sha256="abc")
        self.assertRejects("probe_set", probe_set="Not A Preset")
        self.assertRejects("probes", probes=1)
        self.assertRejects("controls", controls=0)
        self.assertRejects("created_at", created_at=datetime.datetime(2026, 1, 1))

    def test_non_finite_training_metrics_are_rejected(self):
        message = self.assertRejects("training_metrics['loss']", training_metrics={"loss": float("nan")})
        self.assertIn("NaN", message)
        self.assertRejects("training_metrics['acc']", training_metrics={"acc": float("inf")})
        self.assertRejects("training_metrics['acc']", training_metrics={"acc": "0.9"})

    def test_feature_helpers_check_their_arguments(self):
        for call, name in ((lambda: glyph_feature("a"), "letter"),
                           (lambda: glyph_feature("AB"), "letter"),
                           (lambda: glyph_feature("A", position=(-1, 0)), "position[0]"),
                           (lambda: glyph_feature("A", position=(1,)), "position"),
                           (lambda: glyph_feature("A", label=-1), "label"),
                           (lambda: glyph_feature("A", scale=0), "scale"),
                           (lambda: text_feature("", (0, 0), "t"), "text"),
                           (lambda: text_feature("X", (0, 0), "t", font_size=0), "font_size"),
                           (lambda: text_feature("X", (0, 0), "bad\nid"), "id")):
            with self.subTest(name=name), self.assertRaises(ValueError) as raised:
                call()
            self.assertTrue(str(raised.exception).startswith(name), str(raised.exception))

    def test_event_to_json_refuses_nan(self):
        event = build_checkpoint_event(**_args())
        event["trainingMetrics"] = {"loss": float("nan")}
        with self.assertRaises(ValueError):
            event_to_json(event)


if __name__ == "__main__":
    unittest.main()
