"""The published table's columns and the queue's entries."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

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
    position: int | None = Field(
        default=None, description="Place in its runner pool's line of pending requests, from 1."
    )
    pool: str | None = Field(
        default=None,
        description="The runner pool it runs on (core.plan.planned_pool); None for a pending "
        "request the claim must ask the Hub about (several pools, no params).",
    )
    queued_at: str | None = Field(
        default=None, description="When git added it on main (a pending request's arrival)."
    )
    pull_request: int | None = Field(
        default=None, description="The pull request that added it, as its merge commit says."
    )
    votes: int | None = Field(default=None, description="Votes counted; None with votes off.")
    priority: float | None = Field(
        default=None, description="Votes + hours waited × the ageing rate; None with votes off."
    )
    estimated_start: str | None = Field(
        default=None, description="When it should start (ISO 8601 UTC); None when unknown."
    )
    estimated_finish: str | None = Field(
        default=None, description="When it should finish (ISO 8601 UTC); None when unknown."
    )
    duration: dict[str, Any] | None = Field(
        default=None,
        description="How long one run takes on its pool at its size: hours, low_hours and "
        "high_hours (the middle half of the runs), runs, and source (measured or projected); "
        "None when unknown.",
    )
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


class QueueMeta(BaseModel):
    """What the Queue page says of the whole queue."""

    as_of: str = Field(description="When the queue was read (ISO 8601 UTC): the build's time.")
    order: str = Field(description="The order in use, in one sentence.")
    votes: bool = Field(description="Whether votes order the queue.")
    votes_at: str | None = Field(
        default=None, description="When the votes shown were counted (the latest claim)."
    )
    bound_hours: float | None = Field(
        default=None, description="How far votes can move a request, in hours of arrivals."
    )
    min_account_age_days: int | None = Field(
        default=None, description="Accounts younger than this do not vote; None with votes off."
    )
    pools: list[str] = Field(default_factory=list, description="The runner pools, by name.")


class QueueRow(BaseModel):
    """One request in ``leaderboard queue --json`` (a published interface: keys are added,
    never renamed). Which keys a row has depends on its status."""

    model_config = ConfigDict(extra="forbid")

    path: str = Field(description="The request file.")
    model: str = Field(description="The model's current name (after renames).")
    revision: str
    precision: str
    chat_template: bool
    submitter: str
    submitted_at: str
    attempts: int
    removed: bool | None = Field(default=None, description="Present (true) when removed.")
    position: int | None = Field(
        default=None, description="PENDING: its place in its pool's line, from 1."
    )
    pool: str | None = Field(
        default=None,
        description="PENDING, RUNNING: the runner pool; null when the claim must ask the Hub.",
    )
    estimated_start: str | None = Field(
        default=None, description="PENDING: ISO 8601 UTC; null when unknown."
    )
    estimated_finish: str | None = Field(
        default=None, description="PENDING, RUNNING: ISO 8601 UTC; null when unknown."
    )
    votes: int | None = Field(default=None, description="PENDING: null when votes are off.")
    priority: float | None = Field(
        default=None, description="PENDING: votes + hours waited × ageing; null with votes off."
    )
    queued_at: str | None = Field(default=None, description="PENDING: when git added it.")
    pull_request: int | None = Field(
        default=None, description="PENDING: the pull request that added it, when git says."
    )
    duration: dict[str, Any] | None = Field(
        default=None,
        description="PENDING: hours, low_hours, high_hours, runs, source (measured or "
        "projected) of one run on its pool at its size; null when unknown.",
    )
    runner: str | None = Field(default=None, description="RUNNING: who claimed it.")
    started_at: str | None = Field(default=None, description="RUNNING: when it was claimed.")
    finished_at: str | None = Field(default=None, description="FINISHED, FAILED.")
    reason: str | None = Field(default=None, description="FAILED: why.")
    category: str | None = Field(default=None, description="FAILED: model or infrastructure.")


class QueueListing(BaseModel):
    """``leaderboard queue --json``: every request by status; pending ones by pool (in the
    settings' order) and position."""

    model_config = ConfigDict(extra="forbid")

    pending: list[QueueRow]
    running: list[QueueRow]
    finished: list[QueueRow]
    failed: list[QueueRow]
