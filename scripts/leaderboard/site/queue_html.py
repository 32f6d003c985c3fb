"""The Queue page: every request by status, nothing hidden (``templates/queue.html.j2``); each
pending request with its pool, its place in that pool's line, its votes and its estimated
start and finish, as of the build."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ..core.models import QueueMeta
from ..table.queue_view import about, from_then, hours_text, utc_text
from ..table.rows import eval_name
from . import templates


def _hours(h: float | None) -> str:
    if h is None:
        return ""
    return f"{h:.1f} h" if h < 48 else f"{h / 24:.1f} days"


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def from_now(value: str | None, as_of: datetime) -> str | None:
    """When, relative to the build: "now", "in about 3 h"; None when unknown."""
    when = _time(value)
    return None if when is None else from_then(when, as_of)


def _run(duration: dict[str, Any] | None) -> str:
    """How long its run should take, and from what: "about 3 h (2.5–3.5 h over 12 runs)"."""
    if not duration:
        return ""
    head = about(duration["hours"])
    if duration["source"] == "projected":
        return f"{head}, projected"
    if duration["runs"] < 2:
        return f"{head}, one run measured"
    return (
        f"{head} ({hours_text(duration['low_hours'])}–{hours_text(duration['high_hours'])} h over "
        f"{duration['runs']} runs)"
    )


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


def queue_html(
    queue: list[dict[str, Any]], repo_url: str | None, meta: QueueMeta | None = None
) -> str:
    """The Queue page's tables, oldest work first; the template escapes every value."""
    meta = meta or QueueMeta(
        as_of=datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        order="",
        votes=False,
    )
    as_of = _time(meta.as_of) or datetime.now(UTC)
    queue = [_page(e) for e in queue]
    live = [e for e in queue if e["removed_reason"] is None]
    by = {
        s: [e for e in live if e["status"] == s]
        for s in ("PENDING", "RUNNING", "FINISHED", "FAILED")
    }
    pools: dict[str | None, int] = {name: i for i, name in enumerate(meta.pools)}
    pending = sorted(
        by["PENDING"],
        key=lambda e: (pools.get(e.get("pool"), len(pools)), e["position"] or 0),
    )
    repo = repo_url.rstrip("/") if repo_url else None
    return templates.render(
        "queue.html.j2",
        repo_url=templates.http_url(repo),
        meta=meta,
        as_of=utc_text(meta.as_of),
        votes_at=utc_text(meta.votes_at),
        show_pool=len(meta.pools) > 1 or any(e.get("pool") is None for e in pending),
        running=[
            {**e, "finish": from_now(e.get("estimated_finish"), as_of)}
            for e in sorted(by["RUNNING"], key=lambda e: e["started_at"] or "")
        ],
        running_logs=_logs(by["RUNNING"]),
        failed_logs=_logs(by["FAILED"]),
        pending=[
            {
                **e,
                "waiting": _hours(e["waiting_hours"]),
                "start": from_now(e.get("estimated_start"), as_of),
                "start_utc": utc_text(e.get("estimated_start")),
                "finish": from_now(e.get("estimated_finish"), as_of),
                "finish_utc": utc_text(e.get("estimated_finish")),
                "run": _run(e.get("duration")),
                "pull_url": templates.http_url(f"{repo}/pull/{e['pull_request']}")
                if repo and e.get("pull_request")
                else None,
            }
            for e in pending
        ],
        failed=sorted(by["FAILED"], key=lambda e: e["finished_at"] or "", reverse=True),
        finished=sorted(by["FINISHED"], key=lambda e: e["finished_at"] or "", reverse=True),
        removed=sorted(
            (e for e in queue if e["removed_reason"]), key=lambda e: e["removed_at"] or ""
        ),
    )
