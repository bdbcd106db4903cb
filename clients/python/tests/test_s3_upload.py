"""The hook's upload to S3-compatible storage, against a real S3 server (s3rver, from npm)."""
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

import boto3
from botocore.config import Config

from event_schema import checkpoint_event_validator
from memaudit_client.events import glyph_feature
from memaudit_client.hook import MemauditHook
from test_onnx_export import tiny_model

S3RVER_VERSION = "3.7.1"


def s3rver_bin():
    """s3rver from the tool cache (deploy/install-tools.sh puts it there), installed with npm when missing."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    base = cache / "memaudit" / "tools" / f"s3rver-{S3RVER_VERSION}"
    binary = base / "node_modules" / ".bin" / "s3rver"
    if not binary.exists():
        base.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(base), f"s3rver@{S3RVER_VERSION}"],
                       check=True, capture_output=True)
    return binary


class S3UploadTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp()
        cls.server = subprocess.Popen([str(s3rver_bin()), "-d", cls.tmp, "-a", "127.0.0.1", "-p", "0",
                                       "--configure-bucket", "ckpts"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for line in cls.server.stdout:
            m = re.search(r"listening on [^:\s]+:(\d+)", line)
            if m:
                cls.endpoint = f"http://127.0.0.1:{m.group(1)}"
                break
        else:
            raise RuntimeError("s3rver did not start")
        cls.client = boto3.client("s3", endpoint_url=cls.endpoint, aws_access_key_id="S3RVER",
                                  aws_secret_access_key="S3RVER", region_name="us-east-1",
                                  config=Config(s3={"addressing_style": "path"}))

    @classmethod
    def tearDownClass(cls):
        cls.server.terminate()
        cls.server.wait(timeout=10)
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_each_checkpoint_is_uploaded_and_its_event_names_the_object(self):
        with tempfile.TemporaryDirectory() as root:
            hook = MemauditHook("r1", Path(root) / "runs" / "r1", [1, 8, 8], 4, [0.5], [0.25], [glyph_feature("A", label=3)],
                                architecture="tiny", upload_to="s3://ckpts/team/", s3_client=self.client,
                                save_state_dict=True)
            event = hook.on_checkpoint(tiny_model(), epoch=2, step=20)
            self.assertEqual("s3://ckpts/team/r1/ckpt-0002/model.onnx", event["model"]["uri"])
            checkpoint_event_validator().validate(event)
            body = self.client.get_object(Bucket="ckpts", Key="team/r1/ckpt-0002/model.onnx")["Body"].read()
            self.assertEqual(event["model"]["sha256"], hashlib.sha256(body).hexdigest(), "the bytes the event vouches for")
            local = Path(root) / "runs" / "r1" / "ckpt-0002" / "model.onnx"
            self.assertEqual(local.read_bytes(), body)
            keys = sorted(o["Key"] for o in self.client.list_objects_v2(Bucket="ckpts", Prefix="team/r1/")["Contents"])
            self.assertEqual(["team/r1/ckpt-0002/model.onnx", "team/r1/ckpt-0002/state_dict.pt"], keys)

    def test_a_bad_upload_root_fails_before_training(self):
        for bad in ("ckpts/team", "s3://", "s3:///x", 7):
            with self.assertRaisesRegex(ValueError, "upload_to"):
                MemauditHook("r1", "/tmp/x", [1, 8, 8], 4, [0.5], [0.25], [glyph_feature("A")], upload_to=bad)


if __name__ == "__main__":
    unittest.main()
