"""A training-loop hook: save a checkpoint as ONNX, describe it in an event, publish the event.

Call :meth:`MemauditHook.on_checkpoint` wherever the training loop saves a checkpoint (e.g. after
every epoch). Everything that does not change between checkpoints is given once, to the
constructor, which also checks it: a bad argument fails before training starts, not after the first
epoch.
"""

import os
import shutil
from pathlib import Path

from .events import build_checkpoint_event
from .onnx_export import export_onnx, sha256_file
from .publisher import DEFAULT_TOPIC, CheckpointPublisher

MODEL_FILE = "model.onnx"
STATE_DICT_FILE = "state_dict.pt"


class MemauditHook:
    """Writes ``checkpoint_root/ckpt-{epoch:04d}/model.onnx`` per checkpoint and publishes its event.

    Events go to ``publisher`` if given, else to a publisher this hook creates for
    ``bootstrap_servers`` (and closes in :meth:`close`), else nowhere (the event is still returned,
    e.g. for a dry run). With ``save_state_dict=True`` the hook also writes the PyTorch
    ``state_dict.pt`` beside the ONNX file, for tools that recompute scores in PyTorch.

    With ``upload_to="s3://bucket/prefix"`` every checkpoint directory is also uploaded to
    ``s3://bucket/prefix/<run_id>/ckpt-NNNN/`` and the event names the object there, for audit workers
    that read object storage rather than the trainer's disk. The upload uses ``s3_client`` if given,
    else a boto3 client for ``s3_endpoint`` (MinIO, Ceph; ``s3_path_style=True`` for path-style
    addressing) with boto3's own credential chain (environment, profile, web identity).
    """

    def __init__(self, run_id, checkpoint_root, input_shape, classes, mean, std, features, publisher=None, *,
                 bootstrap_servers=None, topic=DEFAULT_TOPIC, architecture=None, probe_set=None, probes=2000,
                 layout="NCHW", output="logits", save_state_dict=False, upload_to=None, s3_client=None,
                 s3_endpoint=None, s3_path_style=False):
        if publisher is not None and bootstrap_servers is not None:
            raise ValueError("give either publisher or bootstrap_servers, not both")
        self._upload = _parse_s3_root(upload_to) if upload_to is not None else None
        self._s3 = s3_client
        self._s3_options = dict(endpoint=s3_endpoint, path_style=s3_path_style)
        self.run_id = run_id
        self.checkpoint_root = Path(checkpoint_root).resolve()
        self.input_shape = list(input_shape)
        self.classes = classes
        self.save_state_dict = save_state_dict
        self._static = dict(input_shape=input_shape, classes=classes, mean=mean, std=std, features=features,
                            fmt="onnx", architecture=architecture, layout=layout, output=output,
                            probe_set=probe_set, probes=probes)
        # a throw-away event checks every argument now rather than at the first checkpoint
        self._event(epoch=0, step=0, uri=self.checkpoint_root.as_uri(), metrics=None)
        self._owns_publisher = publisher is None and bootstrap_servers is not None
        self.publisher = CheckpointPublisher(bootstrap_servers, topic) if self._owns_publisher else publisher

    def _event(self, *, epoch, step, uri, metrics):
        return build_checkpoint_event(self.run_id, step, epoch, uri, training_metrics=metrics, **self._static)

    def checkpoint_dir(self, epoch):
        """Where the checkpoint of ``epoch`` goes."""
        if not isinstance(epoch, int) or isinstance(epoch, bool) or epoch < 0:
            raise ValueError(f"epoch: expected an integer >= 0, got {epoch!r}")
        return self.checkpoint_root / f"ckpt-{epoch:04d}"

    def on_checkpoint(self, model, *, epoch, step, metrics=None):
        """Saves ``model`` as the checkpoint of ``epoch``, publishes its event and returns it.

        The event is built first, so bad ``step`` or ``metrics`` (a NaN loss) fail before anything
        is written. The directory is filled under a temporary name and renamed when complete, so a
        worker (or a crash) never sees a partial checkpoint. An existing one is never overwritten.
        """
        final = self.checkpoint_dir(epoch)
        event = self._event(epoch=epoch, step=step, uri=(final / MODEL_FILE).as_uri(), metrics=metrics)
        if final.exists():
            raise FileExistsError(f"checkpoint directory {final} already exists; refusing to overwrite it "
                                  f"(use a new checkpoint root, or remove the old run)")
        staging = final.with_name(f".{final.name}.tmp")
        if staging.exists():
            shutil.rmtree(staging)  # left by an interrupted earlier attempt: ours, and incomplete
        staging.mkdir(parents=True)
        try:
            model_file = export_onnx(model, self.input_shape, staging / MODEL_FILE, classes=self.classes)
            if self.save_state_dict:
                import torch

                torch.save(model.state_dict(), staging / STATE_DICT_FILE)
            event["model"]["sha256"] = sha256_file(model_file)
            os.rename(staging, final)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        if self._upload is not None:
            event["model"]["uri"] = self._upload_checkpoint(final)
        if self.publisher is not None:
            self.publisher.publish(event)
        return event

    def _upload_checkpoint(self, directory):
        """Uploads every file of ``directory``; returns the s3 URI of its model file."""
        bucket, prefix = self._upload
        base = f"{prefix}{self.run_id}/{directory.name}/"
        client = self._s3_client()
        for f in sorted(p for p in directory.iterdir() if p.is_file()):
            client.upload_file(str(f), bucket, base + f.name)
        return f"s3://{bucket}/{base}{MODEL_FILE}"

    def _s3_client(self):
        if self._s3 is None:
            import boto3
            from botocore.config import Config

            style = "path" if self._s3_options["path_style"] else "auto"
            self._s3 = boto3.client("s3", endpoint_url=self._s3_options["endpoint"],
                                    config=Config(s3={"addressing_style": style}))
        return self._s3

    def close(self):
        """Closes the publisher this hook created (a publisher passed in is the caller's to close)."""
        if self._owns_publisher:
            self.publisher.close()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, traceback):
        if exc_type is None:
            self.close()


def _parse_s3_root(uri):
    """``s3://bucket`` or ``s3://bucket/prefix`` -> (bucket, "prefix/" or "")."""
    if not isinstance(uri, str) or not uri.startswith("s3://") or len(uri) <= 5 or uri[5] == "/":
        raise ValueError(f"upload_to: expected s3://bucket or s3://bucket/prefix, got {uri!r}")
    bucket, _, prefix = uri[5:].partition("/")
    prefix = prefix.strip("/")
    return bucket, (prefix + "/" if prefix else "")
