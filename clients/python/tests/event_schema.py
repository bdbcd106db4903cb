"""The checkpoint-event JSON Schema, read from the Java side of this repository (the contract)."""

import json
from pathlib import Path

import jsonschema

SCHEMA_PATH = (Path(__file__).resolve().parents[3]
               / "common" / "src" / "main" / "resources" / "schemas" / "checkpoint-event.schema.json")


def checkpoint_event_validator():
    schema = json.loads(SCHEMA_PATH.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
