"""The one queue view: every request with its status and failure, each pending one with its
pool, its place in line, its votes and its estimated start and finish."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from ..core.models import QueueEntry, QueueMeta, Request, Settings, Status, iso_z
from ..core.plan import planned_pool
from ..queue.line import line
from ..store import tolerant
from ..store.repo import Repo
from ..store.tolerant import Skipped
from .rows import Curation, eval_name


def utc_minute(when: datetime) -> str:
    """A time as people read it, to the minute (``2026-12-07 14:05 UTC``)."""
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def utc_text(value: str | None, missing: str = "") -> str:
    """An ISO 8601 time as :func:`utc_minute` shows it; ``missing`` when there is none."""
    return utc_minute(datetime.fromisoformat(value)) if value else missing


def hours_text(x: float) -> str:
    """A number of hours or days, to a tenth, without a trailing ``.0``."""
    return f"{x:.1f}".removesuffix(".0")


def about(hours: float) -> str:
    """A length of time for people: "about 40 min", "about 2.5 h", "about 3 days"."""
    if hours < 1:
        return f"about {max(1, round(hours * 60))} min"
    if hours < 10:
        return f"about {hours_text(hours)} h"
    if hours < 48:
        return f"about {hours:.0f} h"
    return f"about {hours_text(hours / 24)} days"


def from_then(when: datetime, now: datetime) -> str:
    """When, relative to ``now``: "now", "in about 3 h" (the Queue page and the notices)."""
    hours = (when - now).total_seconds() / 3600
    return "now" if hours < 1 / 60 else f"in {about(hours)}"


def view(
    repo: Repo,
    requests: Iterable[tuple[str, Request]] | None = None,
    now: datetime | None = None,
    evaluated: set[str] | None = None,
    skipped: Skipped | None = None,
    settings: Settings | None = None,
) -> tuple[list[dict[str, Any]], QueueMeta]:
    """Every request as the Queue page shows it, each pending one with its pool, its place in
    that pool's line, its votes and its estimated start and finish (``queue.line``); and what
    the page says of the whole queue.

    Corrupt files are left out and named in ``skipped``.
    """
    now = now or datetime.now(UTC)
    skipped = skipped if skipped is not None else Skipped()
    settings = settings or tolerant.curation(repo, "settings", skipped)
    cur = Curation.load(repo, skipped)
    if requests is None:
        requests = tolerant.requests(repo, skipped)
    requests = list(requests)
    where = line(repo, settings, requests, now=now, skipped=skipped)
    out = []
    for rel, r in requests:
        name = cur.current_name(r.model)
        ev = eval_name(name, r.precision.value, r.revision, r.use_chat_template)
        entry = QueueEntry(
            model=name,
            request=rel,
            revision=r.revision,
            precision=r.precision.value,
            use_chat_template=r.use_chat_template,
            model_type=r.model_type.value,
            weight_type=r.weight_type.value,
            submitter=r.submitter,
            submitted_at=iso_z(r.submitted_at) or "",
            status=r.status.value,
            waiting_hours=round((now - r.submitted_at).total_seconds() / 3600, 1)
            if r.status is Status.pending
            else None,
            runner=r.runner,
            started_at=iso_z(r.started_at),
            finished_at=iso_z(r.finished_at),
            attempts=r.attempts,
            failure_reason=r.failure_reason,
            failure_category=r.failure_category.value if r.failure_category else None,
            log_url=r.log_url,
            relaunches=len(r.relaunches),
            removed_reason=r.removed.reason if r.removed else None,
            removed_at=iso_z(r.removed.at) if r.removed else None,
            eval_name=ev if evaluated is not None and ev in evaluated else None,
        )
        place = where.places.get(rel)
        if place is not None:
            entry.position = place.position
            entry.pool = place.pool
            entry.queued_at = iso_z(place.queued_at)
            entry.pull_request = place.pull
            entry.votes = place.votes
            entry.priority = place.priority
            entry.estimated_start = iso_z(place.estimate.start)
            entry.estimated_finish = iso_z(place.estimate.finish)
            entry.duration = place.duration.as_json() if place.duration else None
        elif rel in where.running:
            entry.pool = planned_pool(settings, r)
            entry.estimated_finish = iso_z(where.running[rel].finish)
        out.append(entry.model_dump())
    meta = QueueMeta(
        as_of=iso_z(now) or "",
        order=where.order,
        votes=settings.queue.votes.enabled,
        votes_at=iso_z(where.votes_at),
        bound_hours=where.bound_hours,
        min_account_age_days=settings.queue.votes.min_account_age_days
        if settings.queue.votes.enabled
        else None,
        pools=[p.name for p in settings.runner_pools],
    )
    return out, meta


def queue(
    repo: Repo,
    requests: Iterable[tuple[str, Request]] | None = None,
    now: datetime | None = None,
    evaluated: set[str] | None = None,
    skipped: Skipped | None = None,
) -> list[dict[str, Any]]:
    """Every request as the Queue page shows it (:func:`view`'s entries)."""
    return view(repo, requests, now, evaluated, skipped)[0]


#: What each pending request gains in ``leaderboard queue --json`` (issue 24), null when unknown.
PENDING_KEYS = (
    "pool",
    "estimated_start",
    "estimated_finish",
    "votes",
    "priority",
    "queued_at",
    "pull_request",
    "duration",
)


def listing(
    repo: Repo, skipped: Skipped | None = None, now: datetime | None = None
) -> tuple[dict[str, list[dict[str, Any]]], QueueMeta]:
    """The entries grouped by status, as ``leaderboard queue`` prints them (its ``--json`` keys
    are a published interface: add, never rename), and what is said of the whole queue.

    Pending first, by pool (in the settings' order, those without a pool last) and position
    in it; then running, finished, failed."""
    entries, meta = view(repo, now=now, skipped=skipped)
    out: dict[str, list[dict[str, Any]]] = {s.value.lower(): [] for s in Status}
    for e in entries:
        row: dict[str, Any] = {
            "path": e["request"],
            "model": e["model"],
            "revision": e["revision"],
            "precision": e["precision"],
            "chat_template": e["use_chat_template"],
            "submitter": e["submitter"],
            "submitted_at": e["submitted_at"],
            "attempts": e["attempts"],
        }
        status = Status(e["status"])
        if e["removed_at"] is not None:
            row["removed"] = True
        if e["position"] is not None:
            row["position"] = e["position"]
        if status is Status.pending:
            row |= {key: e[key] for key in PENDING_KEYS}
        if status is Status.running:
            row |= {
                "runner": e["runner"],
                "started_at": e["started_at"],
                "pool": e["pool"],
                "estimated_finish": e["estimated_finish"],
            }
        if status in (Status.finished, Status.failed):
            row["finished_at"] = e["finished_at"]
        if status is Status.failed:
            row |= {"reason": e["failure_reason"], "category": e["failure_category"]}
        out[status.value.lower()].append(row)
    pools: dict[str | None, int] = {name: i for i, name in enumerate(meta.pools)}
    out["pending"].sort(
        key=lambda row: (
            "position" not in row,
            pools.get(row.get("pool"), len(pools)),
            row.get("position", 0),
        )
    )
    return out, meta


def queue_by_status(repo: Repo, skipped: Skipped | None = None) -> dict[str, list[dict[str, Any]]]:
    """:func:`listing`'s entries by status."""
    return listing(repo, skipped)[0]
