"""The one queue view: every request with its status, position and failure."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from ..core.models import QueueEntry, Request, Status, iso_z
from ..store import tolerant
from ..store.repo import Repo
from ..store.scans import arrival_order
from ..store.tolerant import Skipped
from .rows import Curation, eval_name


def queue(
    repo: Repo,
    requests: Iterable[tuple[str, Request]] | None = None,
    now: datetime | None = None,
    evaluated: set[str] | None = None,
    skipped: Skipped | None = None,
) -> list[dict[str, Any]]:
    """Every request as the Queue page shows it, pending ones numbered in the runner's order.

    Corrupt files are left out and named in ``skipped``.
    """
    now = now or datetime.now(UTC)
    skipped = skipped if skipped is not None else Skipped()
    cur = Curation.load(repo, skipped)
    entries: list[QueueEntry] = []
    if requests is None:
        requests = tolerant.requests(repo, skipped)
    for rel, r in requests:
        name = cur.current_name(r.model)
        ev = eval_name(name, r.precision.value, r.revision, r.use_chat_template)
        entries.append(
            QueueEntry(
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
        )
    waiting = [e for e in entries if e.status == Status.pending and e.removed_reason is None]
    # The runner's order (queue.claims.pending): when git added each file, never submitted_at.
    order = arrival_order(repo, [e.request for e in waiting])
    pending = sorted(waiting, key=lambda e: order[e.request])
    for i, e in enumerate(pending, 1):
        e.position = i
    return [e.model_dump() for e in entries]


def queue_by_status(repo: Repo, skipped: Skipped | None = None) -> dict[str, list[dict[str, Any]]]:
    """The same entries grouped by status, as ``leaderboard queue`` prints them (its ``--json``
    keys are a published interface): pending first by position, then running, finished, failed.
    """
    out: dict[str, list[dict[str, Any]]] = {s.value.lower(): [] for s in Status}
    for e in queue(repo, skipped=skipped):
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
        if status is Status.running:
            row |= {"runner": e["runner"], "started_at": e["started_at"]}
        if status in (Status.finished, Status.failed):
            row["finished_at"] = e["finished_at"]
        if status is Status.failed:
            row |= {"reason": e["failure_reason"], "category": e["failure_category"]}
        out[status.value.lower()].append(row)
    out["pending"].sort(key=lambda row: row.get("position", 10**9))
    return out
