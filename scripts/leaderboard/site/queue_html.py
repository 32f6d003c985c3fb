"""The Queue page: every request by status, nothing hidden (``templates/queue.html.j2``)."""

from __future__ import annotations

from typing import Any

from ..table.rows import eval_name
from . import templates


def _hours(h: float | None) -> str:
    if h is None:
        return ""
    return f"{h:.1f} h" if h < 48 else f"{h / 24:.1f} days"


def _page(e: dict[str, Any]) -> dict[str, Any]:
    """The entry with the id of its model page: a row's page when it was evaluated, else the
    page that says why it has none (failed, waiting, running, removed: ``queue.js``)."""
    page = e.get("eval_name") or eval_name(
        e["model"], e["precision"], e["revision"], e["use_chat_template"]
    )
    return {**e, "page": page}


def _logs(entries: list[dict[str, Any]]) -> bool:
    """Whether a table needs its Log column: only when some entry links to its run."""
    return any(templates.http_url(e.get("log_url")) for e in entries)


def queue_html(queue: list[dict[str, Any]], repo_url: str | None) -> str:
    """The Queue page's tables, oldest work first; the template escapes every value."""
    queue = [_page(e) for e in queue]
    live = [e for e in queue if e["removed_reason"] is None]
    by = {
        s: [e for e in live if e["status"] == s]
        for s in ("PENDING", "RUNNING", "FINISHED", "FAILED")
    }
    return templates.render(
        "queue.html.j2",
        repo_url=templates.http_url(repo_url.rstrip("/") if repo_url else None),
        running=sorted(by["RUNNING"], key=lambda e: e["started_at"] or ""),
        running_logs=_logs(by["RUNNING"]),
        failed_logs=_logs(by["FAILED"]),
        pending=[
            {**e, "waiting": _hours(e["waiting_hours"])}
            for e in sorted(by["PENDING"], key=lambda e: e["position"] or 0)
        ],
        failed=sorted(by["FAILED"], key=lambda e: e["finished_at"] or "", reverse=True),
        finished=sorted(by["FINISHED"], key=lambda e: e["finished_at"] or "", reverse=True),
        removed=sorted(
            (e for e in queue if e["removed_reason"]), key=lambda e: e["removed_at"] or ""
        ),
    )
