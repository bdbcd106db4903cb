"""The MNIST example end to end on a synthetic data set, and tools/pytorch_scores.py on its checkpoint."""

import contextlib
import io
import json
import math
import sys
import tempfile
import unittest
from pathlib import Path

import numpy as np
import torch

from synthetic_mnist import write_synthetic_mnist

CLIENT_DIR = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(CLIENT_DIR / "examples"), str(CLIENT_DIR / "tools")]

import pytorch_scores  # noqa: E402
import train_mnist_with_audit as example  # noqa: E402


def _run_example(*argv):
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        status = example.main(list(argv))
    return status, stdout.getvalue(), stderr.getvalue()


class TrainMnistExampleTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        tmp = tempfile.TemporaryDirectory()
        cls.addClassCleanup(tmp.cleanup)
        cls.tmp = Path(tmp.name)
        cls.data = write_synthetic_mnist(cls.tmp / "data", n_train=96, n_test=32)
        cls.out = cls.tmp / "run"
        cls.status, cls.stdout, cls.stderr = _run_example(
            "--data-dir", str(cls.data), "--out", str(cls.out), "--run-id", "synthetic-1", "--epochs", "1",
            "--train-limit", "80", "--eval-limit", "20", "--canaries", "3", "--seed", "7", "--threads", "1")

    def test_trains_and_writes_a_checkpoint_per_epoch(self):
        self.assertEqual((0, ""), (self.status, self.stderr))
        self.assertRegex(self.stdout, r"^epoch 1/1 step 2 loss [0-9.]+ val_acc [0-9.]+ file://.*/run/ckpt-0001/model.onnx\n$")
        self.assertTrue((self.out / "ckpt-0001" / "model.onnx").is_file())
        self.assertTrue((self.out / "ckpt-0001" / "state_dict.pt").is_file())

    def test_run_json_records_the_canaries(self):
        run = json.loads((self.out / "run.json").read_text())
        self.assertEqual(("synthetic-1", 7, 3), (run["runId"], run["seed"], run["canaryClass"]))
        self.assertEqual(3, len(run["canaryIndices"]))
        self.assertTrue(all(i < 80 and i % 10 == 3 for i in run["canaryIndices"]), run["canaryIndices"])

    def test_refuses_a_non_empty_out_without_force(self):
        status, _, stderr = _run_example("--data-dir", str(self.data), "--out", str(self.out), "--epochs", "1")
        self.assertEqual(1, status)
        self.assertRegex(stderr, r"^train_mnist_with_audit.py: error: --out: .* is not empty \(use --force.*\)\n$")

    def test_missing_data_names_the_file_and_the_fetch_command(self):
        status, _, stderr = _run_example("--data-dir", str(self.tmp / "nowhere"), "--out", str(self.tmp / "o2"))
        self.assertEqual(1, status)
        self.assertIn("train-images-idx3-ubyte", stderr)
        self.assertIn("./memaudit datasets fetch mnist", stderr)
        self.assertEqual(1, stderr.count("\n"))

    def test_bad_uf_is_one_line(self):
        status, _, stderr = _run_example("--uf", "text:JANE", "--data-dir", str(self.data))
        self.assertEqual((1, 1), (status, stderr.count("\n")))
        self.assertIn("--uf", stderr)

    def test_pytorch_scores_on_the_checkpoint(self):
        probes = self.tmp / "probes"
        probes.mkdir()
        rng = np.random.default_rng(0)
        names = {"clean": "clean.npy", "random": "random.npy", "features": ["feature-000.npy", "feature-001.npy"]}
        for name in [names["clean"], names["random"], *names["features"]]:
            np.save(probes / name, rng.normal(size=(6, 1, 28, 28)).astype(np.float32))
        (probes / "manifest.json").write_text(json.dumps({
            "inputShape": [1, 28, 28], "layout": "NCHW", "n": 6, "featureIds": ["glyph-A", "glyph-B"],
            "files": names}))
        stdout = io.StringIO()
        with contextlib.redirect_stdout(stdout):
            status = pytorch_scores.main([
                "--state-dict", str(self.out / "ckpt-0001" / "state_dict.pt"),
                "--model-factory", "train_mnist_with_audit:SmallCnn", "--probes", str(probes), "--label", "3"])
        self.assertEqual(0, status)
        result = json.loads(stdout.getvalue())
        expected = self._scores_by_hand(probes, names, label=3)
        self.assertAlmostEqual(expected["mKl"], result["mKl"], places=9)
        self.assertAlmostEqual(expected["mLabel"], result["mLabel"], places=9)
        self.assertEqual(1, len(result["controlMKl"]))
        self.assertAlmostEqual(expected["controlMKl"][0], result["controlMKl"][0], places=9)

    def _scores_by_hand(self, probes, names, label):
        """The README's formulas, one probability at a time in plain Python."""
        model = example.SmallCnn()
        model.load_state_dict(torch.load(self.out / "ckpt-0001" / "state_dict.pt"))
        model.eval()

        def probabilities(name):
            with torch.no_grad():
                logits = model(torch.from_numpy(np.load(probes / name))).tolist()
            rows = []
            for row in logits:
                top = max(row)
                exps = [math.exp(v - top) for v in row]
                rows.append([min(1.0, max(1e-7, e / sum(exps))) for e in exps])
            return rows

        def mean_kl(p, q):
            return sum(sum(a * (math.log(a) - math.log(b)) for a, b in zip(pi, qi)) for pi, qi in zip(p, q)) / len(p)

        p, r = probabilities(names["clean"]), probabilities(names["random"])
        q = [probabilities(name) for name in names["features"]]
        m_kl = [mean_kl(p, qk) - mean_kl(p, r) for qk in q]
        m_label = (sum(math.log(row[label]) for row in q[0]) - sum(math.log(row[label]) for row in r)) / len(p)
        return {"mKl": m_kl[0], "mLabel": m_label, "controlMKl": m_kl[1:]}


if __name__ == "__main__":
    unittest.main()
