"""memaudit trainer-side client: build, save and publish checkpoint events for the memaudit audit.

``events`` and ``publisher`` need only confluent-kafka; ``onnx_export`` and ``hook`` import torch
when they export (the ``torch`` extra).
"""

from .events import build_checkpoint_event, event_to_json, glyph_feature, text_feature
from .glyphs import FONT, check_glyph_fits, insert_glyph
from .hook import MemauditHook
from .onnx_export import export_onnx, sha256_file
from .publisher import CheckpointPublisher, PublishError, publish_checkpoint

__version__ = "0.1.0"

__all__ = [
    "FONT", "CheckpointPublisher", "MemauditHook", "PublishError", "build_checkpoint_event", "check_glyph_fits",
    "event_to_json", "export_onnx", "glyph_feature", "insert_glyph", "publish_checkpoint", "sha256_file",
    "text_feature",
]
