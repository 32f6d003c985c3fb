"""JSON Schemas of the repository's files, generated from the pydantic models.

They are checked in under ``docs/schemas/`` (so the site publishes them) for editors and
``check-jsonschema``; a test keeps them in step with the models.
"""

from __future__ import annotations

import json

from pydantic import BaseModel

from .models import (
    DoNotSubmitFile,
    FlagsFile,
    MaintainersChoiceFile,
    QueueListing,
    RenamesFile,
    Request,
    Settings,
)

SCHEMA_DIR = "docs/schemas"

SCHEMAS: dict[str, type[BaseModel]] = {
    "request.schema.json": Request,
    "settings.schema.json": Settings,
    "flags.schema.json": FlagsFile,
    "maintainers-choice.schema.json": MaintainersChoiceFile,
    "do-not-submit.schema.json": DoNotSubmitFile,
    "renames.schema.json": RenamesFile,
    #: Not a file: what `leaderboard queue --json` prints, a published interface.
    "queue.schema.json": QueueListing,
}


def render_schemas() -> dict[str, str]:
    out = {}
    for name, model in SCHEMAS.items():
        schema = model.model_json_schema(mode="validation")
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": name, **schema}
        out[name] = json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    return out
