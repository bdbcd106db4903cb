"""Checkpoint events: the JSON a trainer publishes each time it saves a checkpoint.

The contract is the JSON Schema ``common/src/main/resources/schemas/checkpoint-event.schema.json``
(strict: unknown or null properties are rejected). The worker validates every event and sends a
bad one to the dead-letter topic, where the trainer never sees it; so the rules are checked here,
at the call that got them wrong, with a message naming the argument and its value. Optional fields
that are absent are omitted, never written as null.
"""

import datetime
import json
import math
import numbers
import re

from .glyphs import check_letter

SCHEMA_VERSION = 1

_RUN_ID = re.compile(r"^[A-Za-z0-9._:-]{1,200}$")
_FEATURE_ID = re.compile(r"^[^\x00-\x1f]{1,200}$")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
_PROBE_SET = re.compile(r"^([a-z0-9-]{1,100}|dir:[A-Za-z][A-Za-z0-9+.-]*:\S{1,4090})$")
_SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")

FORMATS = ("onnx", "djl", "mxnet-symbol")
LAYOUTS = ("NCHW", "NHWC")
OUTPUTS = ("logits", "probabilities", "log-probabilities")
FEATURE_KINDS = ("glyph", "text", "image")
_FEATURE_KEYS = {"id", "kind", "letter", "text", "font", "fontSize", "bold", "binary", "imageUri",
                 "maskUri", "position", "label", "scale"}
_KIND_REQUIRES = {"glyph": "letter", "text": "text", "image": "imageUri"}

MAX_STEP = 2 ** 53 - 1  # the largest integer a JSON double (and so every consumer) holds exactly
MAX_INT32 = 2 ** 31 - 1


def _fail(name, value, rule):
    raise ValueError(f"{name}: {rule}, got {value!r}")


# numbers.Integral / Real admit numpy scalars (converted to plain int / float, which json can write);
# bool is an int in Python but a boolean in JSON, so it is refused as a number.

def _int(name, value, minimum, maximum):
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        _fail(name, value, "expected an integer")
    if not minimum <= value <= maximum:
        _fail(name, value, f"must be between {minimum} and {maximum}")
    return int(value)


def _number(name, value):
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        _fail(name, value, "expected a number")
    if not math.isfinite(value):
        _fail(name, value, "must be finite (NaN and Infinity are not JSON)")
    return float(value)


def _string(name, value, pattern, rule):
    # fullmatch: re's $ also matches before a final newline, JSON Schema's does not
    if not isinstance(value, str) or not pattern.fullmatch(value):
        _fail(name, value, rule)
    return value


def _choice(name, value, allowed):
    if value not in allowed:
        _fail(name, value, f"must be one of {', '.join(allowed)}")
    return value


def _text(name, value, max_length):
    if not isinstance(value, str) or not 1 <= len(value) <= max_length:
        _fail(name, value, f"expected a string of 1-{max_length} characters")
    return value


def _position(name, value):
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        _fail(name, value, "expected [row, col]")
    return [_int(f"{name}[{i}]", v, 0, 65535) for i, v in enumerate(value)]


def _feature_common(feature, position, label, scale):
    feature["position"] = _position("position", position)
    if label is not None:
        feature["label"] = _int("label", label, 0, MAX_INT32)
    if scale is not None:
        feature["scale"] = _int("scale", scale, 1, 64)
    return feature


def glyph_feature(letter, position=(1, 1), id=None, label=None, scale=None):
    """A 5x5 glyph feature (A-Z, 0-9) with its top-left corner at ``position`` = (row, col).

    ``label`` is the class the glyph was trained with, when the auditor may know it (it enables the
    label score); ``scale`` upsamples each glyph pixel to a ``scale x scale`` block.
    """
    check_letter(letter)
    feature_id = _string("id", id if id is not None else f"glyph-{letter}", _FEATURE_ID,
                         "expected 1-200 characters without control characters")
    return _feature_common({"id": feature_id, "kind": "glyph", "letter": letter}, position, label, scale)


def text_feature(text, position, id, font=None, font_size=None, label=None, scale=None):
    """A text feature (e.g. a name) that the worker renders with Java2D ``font`` at ``font_size``."""
    feature = {
        "id": _string("id", id, _FEATURE_ID, "expected 1-200 characters without control characters"),
        "kind": "text",
        "text": _text("text", text, 200),
    }
    if font is not None:
        feature["font"] = _text("font", font, 100)
    if font_size is not None:
        feature["fontSize"] = _int("font_size", font_size, 1, 256)
    return _feature_common(feature, position, label, scale)


def _check_feature(index, feature):
    """Checks a feature dict built by hand (the helpers above already build valid ones)."""
    name = f"features[{index}]"
    if not isinstance(feature, dict):
        _fail(name, feature, "expected a dict (see glyph_feature and text_feature)")
    unknown = sorted(set(feature) - _FEATURE_KEYS)
    if unknown:
        _fail(name, feature, f"unknown keys {unknown}; allowed: {sorted(_FEATURE_KEYS)}")
    for key in ("id", "kind", "position"):
        if key not in feature:
            _fail(name, feature, f"missing {key!r}")
    nulls = sorted(key for key, value in feature.items() if value is None)
    if nulls:
        _fail(name, feature, f"null values for {nulls}; omit absent keys instead")
    _string(f"{name}.id", feature["id"], _FEATURE_ID, "expected 1-200 characters without control characters")
    kind = _choice(f"{name}.kind", feature["kind"], FEATURE_KINDS)
    if _KIND_REQUIRES[kind] not in feature:
        _fail(name, feature, f"a {kind} feature needs {_KIND_REQUIRES[kind]!r}")
    if kind == "image" and "scale" in feature:
        _fail(name, feature, "an image feature cannot have 'scale'")
    return dict(feature, position=_position(f"{name}.position", feature["position"]))


def _features(features):
    if not isinstance(features, (list, tuple)) or not 1 <= len(features) <= 64:
        _fail("features", features, "expected a list of 1-64 features (the first is the audited one)")
    return [_check_feature(i, f) for i, f in enumerate(features)]


def _input_shape(input_shape):
    if not isinstance(input_shape, (list, tuple)) or len(input_shape) != 3:
        _fail("input_shape", input_shape, "expected [C, H, W]")
    return [_int(f"input_shape[{i}]", v, 1, 65535) for i, v in enumerate(input_shape)]


def _per_channel(name, values, channels):
    if not isinstance(values, (list, tuple)) or len(values) != channels:
        _fail(name, values, f"expected {channels} value(s), one per input channel")
    return [_number(f"{name}[{i}]", v) for i, v in enumerate(values)]


def _training_metrics(metrics):
    if not isinstance(metrics, dict):
        _fail("training_metrics", metrics, "expected a dict of name -> number")
    checked = {}
    for key, value in metrics.items():
        if not isinstance(key, str):
            _fail("training_metrics", key, "metric names must be strings")
        checked[key] = _number(f"training_metrics[{key!r}]", value)
    return checked


def _timestamp(created_at):
    if created_at is None:
        created_at = datetime.datetime.now(datetime.timezone.utc)
    if not isinstance(created_at, datetime.datetime) or created_at.utcoffset() is None:
        _fail("created_at", created_at, "expected a timezone-aware datetime (RFC 3339 needs a zone)")
    utc = created_at.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return utc.isoformat(timespec="seconds") + "Z"


def build_checkpoint_event(run_id, step, epoch, model_uri, input_shape, classes, mean, std, features, *,
                           fmt="onnx", architecture=None, layout="NCHW", output="logits", sha256=None,
                           probe_set=None, probes=2000, controls=None, training_metrics=None,
                           created_at=None):
    """Builds a checkpoint event (a dict ready for :func:`event_to_json`), checking every argument.

    ``model_uri`` is where the worker loads the checkpoint from (a ``file:`` URI under its allowed
    roots); ``input_shape`` is ``[C, H, W]`` whatever the ``layout``; ``mean`` and ``std`` are the
    per-channel normalisation applied after a feature is written in [0, 1] space; ``features`` come
    from :func:`glyph_feature` / :func:`text_feature`, the first being the planted one.
    ``probe_set`` is a preset name or ``dir:<uri>``; ``created_at`` defaults to now (UTC).
    Raises ValueError naming the first argument that breaks the contract.
    """
    event = {
        "schemaVersion": SCHEMA_VERSION,
        "runId": _string("run_id", run_id, _RUN_ID, "expected 1-200 characters of A-Z a-z 0-9 . _ : -"),
        "step": _int("step", step, 0, MAX_STEP),
        "epoch": _int("epoch", epoch, 0, MAX_INT32),
        "createdAt": _timestamp(created_at),
    }
    model = {"uri": _string("model_uri", model_uri, _URI,
                            "expected a URI with a scheme, e.g. file:///abs/model.onnx")}
    shape = _input_shape(input_shape)
    model["format"] = _choice("fmt", fmt, FORMATS)
    if architecture is not None:
        model["architecture"] = _text("architecture", architecture, 100)
    elif fmt == "djl":
        _fail("architecture", architecture, "required for fmt='djl' (the worker rebuilds that network)")
    model["inputShape"] = shape
    model["layout"] = _choice("layout", layout, LAYOUTS)
    model["output"] = _choice("output", output, OUTPUTS)
    model["classes"] = _int("classes", classes, 2, 1_000_000)
    mean_values = _per_channel("mean", mean, shape[0])
    std_values = _per_channel("std", std, shape[0])
    for i, value in enumerate(std_values):
        if value <= 0:
            _fail(f"std[{i}]", value, "must be > 0")
    model["normalisation"] = {"mean": mean_values, "std": std_values}
    if sha256 is not None:
        model["sha256"] = _string("sha256", sha256, _SHA256, "expected 64 hex digits")
    event["model"] = model

    audit = {"features": _features(features)}
    if probe_set is not None:
        audit["probeSet"] = _string("probe_set", probe_set, _PROBE_SET,
                                    "expected a preset name ([a-z0-9-]) or dir:<uri>")
    audit["probes"] = _int("probes", probes, 2, MAX_INT32)
    if controls is not None:
        audit["controls"] = _int("controls", controls, 1, 1000)
    event["audit"] = audit

    if training_metrics is not None:
        event["trainingMetrics"] = _training_metrics(training_metrics)
    return event


def event_to_json(event):
    """The event as compact UTF-8 JSON; NaN or Infinity anywhere raises instead of emitting non-JSON."""
    return json.dumps(event, allow_nan=False, separators=(",", ":")).encode("utf-8")
