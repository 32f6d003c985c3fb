"""The published JSON Schemas match the pydantic models, and accept what submit writes."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

from leaderboard.cli.main import main
from leaderboard.core.json_schemas import SCHEMA_DIR, render_schemas
from tests.lbtest import iso_days_ago

ROOT = Path(__file__).resolve().parents[2]


def test_checked_in_schemas_are_up_to_date():
    for name, text in render_schemas().items():
        current = (ROOT / SCHEMA_DIR / name).read_text(encoding="utf-8")
        assert current == text, f"{SCHEMA_DIR}/{name} is stale: run `leaderboard schema`"
    assert main(["schema", "--check", "--root", str(ROOT)]) == 0


def test_request_schema_accepts_a_request_and_refuses_unknown_fields():
    schema = json.loads((ROOT / SCHEMA_DIR / "request.schema.json").read_text())
    request = yaml.safe_load(
        "model: org/good\nrevision: '" + "a" * 40 + "'\nprecision: bfloat16\nmodel_type: chat\n"
        f"submitter: bob\nsubmitted_at: '{iso_days_ago(1)}'\nstatus: PENDING\n"
    )
    jsonschema.validate(request, schema)
    try:
        jsonschema.validate({**request, "colour": "blue"}, schema)
    except jsonschema.ValidationError as exc:
        assert "colour" in str(exc)
    else:
        raise AssertionError("an unknown field passed the JSON Schema")
