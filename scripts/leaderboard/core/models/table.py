"""The published table's columns and the queue's entries."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
)

# --------------------------------------------------------------------------------------------
# The published table ("contents") and the queue
# --------------------------------------------------------------------------------------------


class ColumnKind(StrEnum):
    """What a column holds; each export derives its exact type from it (JSON Schema, Arrow)."""

    text = "text"
    number = "number"
    #: A whole number (a count, a rank): int64 in Parquet, ``integer`` in the JSON Schema.
    integer = "integer"
    boolean = "boolean"
    #: A moment in UTC, written ``2026-01-31T12:00:00Z``: timestamp[us, UTC] in Parquet.
    date = "date"


class TableColumn(BaseModel):
    """One column of the published table. Benchmark columns come from the configured suite, so
    the column list is data (``table.columns.columns(suite)``, published in ``table.json``)."""

    model_config = ConfigDict(frozen=True)

    name: str
    key: str | None = Field(
        default=None,
        exclude=True,
        description="The ``Row`` attribute holding the column's values, and the front end's name "
        "for it (``meta.names``); None for a suite's column, held in ``Row.scores`` by name.",
    )
    kind: ColumnKind
    description: str
    group: Literal["model", "score", "raw", "stderr", "hub", "curation", "provenance"] = "model"
    nullable: bool = True
    hidden: bool = Field(default=False, description="Hidden in the site's default view.")
    unit: str | None = Field(default=None, description="Unit of a number column's values.")
    digits: int | None = Field(
        default=None,
        description="Decimals a number is shown with, wherever the site shows it (the data keeps "
        "the value unrounded).",
    )


class QueueEntry(BaseModel):
    """One request as the Queue page shows it: nothing disappears, removed requests included."""

    model: str
    request: str
    revision: str
    precision: str
    use_chat_template: bool
    model_type: str
    weight_type: str
    submitter: str
    submitted_at: str
    status: str
    position: int | None = Field(default=None, description="Place in the pending queue, from 1.")
    waiting_hours: float | None = None
    runner: str | None = None
    started_at: str | None = None
    finished_at: str | None = None
    attempts: int = 0
    failure_reason: str | None = None
    failure_category: str | None = None
    log_url: str | None = None
    relaunches: int = 0
    removed_reason: str | None = None
    removed_at: str | None = None
    eval_name: str | None = Field(default=None, description="Its row on the leaderboard, if any.")
