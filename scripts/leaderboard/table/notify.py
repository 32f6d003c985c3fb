"""Telling submitters on their pull request: where a merged request stands in line (its place
in its pool's line and its estimated start, from the queue the site was built with), an outcome
(scores, or why it failed and what to do), and a maintainer's act on their request (relaunch,
flag, rename, removal).

The pull request is found from git, never from the request file: the first-parent commit of
``main`` that added the file is a merge (or squash) commit, and GitHub says which pull request
it merged (``store.gh.merged_pull``). A request that came in another way (a maintainer's push)
has no pull request, and gets no comment. Every comment carries a hidden marker of the request
and the event, so a rerun of a job posts nothing twice. Everything that comes from a request,
a result or a curation file goes through ``core.markdown``, the one escaper of every comment:
no line break, link, image, mention or ``#`` reference can be smuggled into the bot's comment.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ..core.markdown import code, link, text
from ..core.models import CURATION_FILES, FailureCategory, Request, Row, Status, utcnow
from ..store import changes, gh, git, tolerant
from ..store.repo import Repo
from ..store.tolerant import Skipped
from ..suites.uncertainty import SE_SUFFIX
from . import rows as table_rows
from .queue_view import from_then, utc_minute

MARKER = "<!-- leaderboard-notify {} -->"


@dataclass(frozen=True)
class Notice:
    """One comment to post: on the pull request that added ``request``, once per ``event``."""

    request: str
    event: str
    body: str

    @property
    def marker(self) -> str:
        digest = hashlib.sha256(f"{self.request}\0{self.event}".encode()).hexdigest()[:24]
        return MARKER.format(digest)


def _who(request: Request) -> str:
    return (
        f"{code(request.model)} ({text(request.precision.value)}, commit "
        f"{code(request.revision[:12])}, {'with' if request.use_chat_template else 'without'} "
        "chat template)"
    )


def _row_link(site_url: str | None, eval_name: str) -> str:
    if not site_url:
        return "Its row appears on the leaderboard once the site is published."
    url = site_url.rstrip("/") + "/model/?id=" + eval_name
    return f"Its row: {link(url)}"


def _pm(value: float | None, se: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.2f}" + (f" ± {se:.2f}" if isinstance(se, float) else "")


def finished_body(request: Request, row: Row, benchmarks: list[str], link: str) -> str:
    lines = [
        f"**Evaluated:** {_who(request)}.",
        "",
        "| Benchmark | Score (0–100) ± standard error |",
        "|---|---|",
    ]
    for bench in benchmarks:
        score = _pm(row.scores.get(bench), row.scores.get(bench + SE_SUFFIX))
        lines.append(f"| {text(bench)} | {score} |")
    lines.append(f"| **Average** | **{_pm(row.average, row.average_se)}** |")
    band = row.band
    lines += [
        "",
        f"Rank band {band} (models within noise of each other share a band)."
        if band is not None
        else "No rank band: lm-eval gave no standard error for every score.",
        "",
        link,
    ]
    return "\n".join(lines)


_NEXT = {
    FailureCategory.model: (
        "The model itself needs a change (see the reason). Fix it on the Hub, then open a new "
        "pull request for the new commit; or, if you think the runner is wrong, ask a "
        "maintainer on this pull request to relaunch it."
    ),
    FailureCategory.infrastructure: (
        "Nothing for you to do: the failure was ours. A maintainer relaunches it once the cause "
        "is fixed."
    ),
}


def failed_body(request: Request) -> str:
    category = request.failure_category or FailureCategory.model
    return "\n".join(
        [
            f"**Evaluation failed:** {_who(request)}.",
            "",
            f"Reason ({text(category.value)}): {text(request.failure_reason)}",
            "",
            f"What next: {_NEXT[category]}",
        ]
    )


def outcome_notices(
    repo: Repo, requests: Iterable[str], site_url: str | None, skipped: Skipped | None = None
) -> list[Notice]:
    """A notice for each of ``requests`` that is FINISHED or FAILED now (a retried one, back to
    PENDING, says nothing yet)."""
    skipped = skipped if skipped is not None else Skipped()
    wanted = set(requests)
    loaded = [(rel, r) for rel, r in tolerant.requests(repo, skipped) if rel in wanted]
    finished = {rel for rel, r in loaded if r.status is Status.finished}
    by_file: dict[str, Row] = {}
    benchmarks: list[str] = []
    if finished:
        settings = tolerant.curation(repo, "settings", skipped)
        suite, scorer = table_rows.load_suite_and_scorer(settings, repo.root, skipped)
        benchmarks = [b.column for b in suite.benchmarks]
        table = table_rows.rows(repo, suite, scorer, settings=settings, skipped=skipped)
        by_file = {r.request_file: r for r in table if r.request_file in finished}
    out = []
    for rel, request in loaded:
        if request.status is Status.finished and rel in by_file:
            row = by_file[rel]
            body = finished_body(request, row, benchmarks, _row_link(site_url, row.id))
        elif request.status is Status.failed:
            body = failed_body(request)
        else:
            continue
        out.append(Notice(rel, f"{request.status.value}:{request.attempts}", body))
    return out


# -- a maintainer's acts, between two commits of main --------------------------------------


def _view(root: Path, ref: str, dest: Path) -> Repo:
    """The requests and curation files at ``ref``, in ``dest`` (nothing else is needed)."""
    paths = ["requests", *(path for path, _ in CURATION_FILES.values())]
    changes.export(root, ref, paths, dest)
    return Repo(dest)


def _when(value: object) -> datetime | None:
    """An ISO 8601 time of the queue file, or None (a value that is not one is unknown)."""
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else None


def queued_body(
    request: Request, entry: dict[str, Any], site_url: str | None, now: datetime
) -> str:
    """Where a newly merged request stands: "#7 in line for pool gpu; estimated start in about
    3 h", from the queue the site was just built with."""
    pool, position = entry.get("pool"), int(entry["position"])
    place = (
        f"{text(f'#{position}')} in line for pool {text(pool)}"
        if pool
        else f"{text(f'#{position}')} in line among the requests whose runner pool is chosen "
        "when they are claimed (the Hub is asked then)"
    )
    start, finish = _when(entry.get("estimated_start")), _when(entry.get("estimated_finish"))
    if start and finish:
        when = (
            f"estimated start {from_then(start, now)} ({text(utc_minute(start))}), finish "
            f"{from_then(finish, now)} ({text(utc_minute(finish))})"
        )
    else:
        when = (
            "estimated start unknown: no run of this size has been measured on this pool yet, "
            "or one ahead of it has not"
        )
    lines = [f"**In the queue:** {_who(request)}.", "", f"{place}; {when}."]
    votes = entry.get("votes")
    if isinstance(votes, int) and not isinstance(votes, bool):
        lines += [
            "",
            f"It has {votes} vote(s). A 👍 on this pull request is a vote for it: one "
            "per account, not the submitter's, and votes move a request only a bounded way "
            "(see the Queue page).",
        ]
    where = (
        f"The {link(site_url.rstrip('/') + '/queue/', 'Queue page')} shows its place as the "
        "line moves."
        if site_url
        else "The Queue page shows its place as the line moves."
    )
    lines += ["", f"As of {text(utc_minute(now))}. {where} Its outcome is told here."]
    return "\n".join(lines)


def queued_notices(
    requests: dict[str, Request],
    entries: list[dict[str, Any]],
    site_url: str | None,
    now: datetime,
) -> list[Notice]:
    """A notice for each of ``requests`` (newly merged) that is still pending in ``entries``
    (the queue the site was built with)."""
    by_path = {e.get("request"): e for e in entries if isinstance(e, dict)}
    out = []
    for rel, request in sorted(requests.items()):
        entry = by_path.get(rel) or {}
        position = entry.get("position") if entry else None
        if entry.get("status") != Status.pending.value or not isinstance(position, int):
            continue
        out.append(Notice(rel, "queued", queued_body(request, entry, site_url, now)))
    return out


def curation_notices(
    root: Path,
    before: str,
    after: str,
    *,
    queue: list[dict[str, Any]] | None = None,
    site_url: str | None = None,
) -> list[Notice]:
    """A notice for each request that a relaunch, flag, rename or removal in ``before..after``
    touched; with the ``queue`` the site was built with, also one for each request the push
    added, saying where it stands in line."""
    skipped = Skipped()
    with tempfile.TemporaryDirectory() as tmp:
        old = _view(root, before, Path(tmp) / "before")
        new = _view(root, after, Path(tmp) / "after")
        old_requests = dict(tolerant.requests(old, skipped))
        new_requests = dict(tolerant.requests(new, skipped))
        old_cur = table_rows.Curation.load(old, skipped)
        new_cur = table_rows.Curation.load(new, skipped)
        old_flags = {f.model_dump_json() for f in tolerant.curation(old, "flags", skipped).flags}
        flags = [
            f
            for f in tolerant.curation(new, "flags", skipped).flags
            if f.model_dump_json() not in old_flags
        ]
    out: list[Notice] = []
    if queue is not None:
        added = {rel: r for rel, r in new_requests.items() if rel not in old_requests}
        out += queued_notices(added, queue, site_url, utcnow())
    for rel, request in sorted(new_requests.items()):
        was = old_requests.get(rel)
        if was is None:
            continue  # a new request: its place in line is told above, its outcome later
        out += _request_acts(rel, was, request)
        name = new_cur.current_name(request.model)
        for flag in flags:
            if new_cur.current_name(flag.model).lower() != name.lower():
                continue
            if flag.sha is not None and flag.sha != request.revision:
                continue
            out.append(
                Notice(
                    rel,
                    f"flagged:{flag.category.value}:{flag.date.isoformat()}",
                    f"**Flagged ({text(flag.category.value)}):** {_who(request)}. Flagged rows "
                    f"stay visible but are not ranked.\n\nDiscussion: {link(flag.discussion)}",
                )
            )
        if name != old_cur.current_name(request.model):
            out.append(
                Notice(
                    rel,
                    f"renamed:{name}",
                    f"**Renamed:** {_who(request)} is now listed as {code(name)}. Its scores "
                    "stay; links to the old name lead to the new row.",
                )
            )
    return out


def _request_acts(rel: str, was: Request, request: Request) -> list[Notice]:
    """A removal or relaunches written into the request file itself."""
    out = []
    if request.removed and not was.removed:
        out.append(
            Notice(
                rel,
                f"removed:{request.removed.at.isoformat()}",
                f"**Removed from the leaderboard:** {_who(request)}.\n\n"
                f"Reason: {text(request.removed.reason)}\n\nThe request file and its results "
                "stay in the repository; a maintainer can undo the removal.",
            )
        )
    for relaunch in request.relaunches[len(was.relaunches) :]:
        out.append(
            Notice(
                rel,
                f"relaunched:{relaunch.at.isoformat()}",
                f"**Relaunched:** {_who(request)} is back in the queue.\n\n"
                f"Note: {text(relaunch.note)}\n\nThis pull request is told the new outcome "
                "when it is recorded.",
            )
        )
    return out


# -- delivery ----------------------------------------------------------------------------------


def pull_request_of(root: Path, repository: str, rel: str) -> int | None:
    """The pull request that added ``rel`` to main, from git and GitHub; ``None`` if none did."""
    sha = git.added_by(root, rel)
    return gh.merged_pull(repository, sha) if sha else None


def deliver(root: Path, repository: str, notices: list[Notice], bot: str) -> list[str]:
    """Post each notice on its request's pull request, once; one line per notice on what
    happened (a failure to post one is reported, and the others are still posted)."""
    from ..core.errors import LeaderboardError

    log = []
    for notice in notices:
        try:
            number = pull_request_of(root, repository, notice.request)
            if number is None:
                log.append(f"{notice.request}: no pull request added it; nobody to tell")
                continue
            path = f"repos/{repository}/issues/{number}/comments"
            if any(
                isinstance(c, dict)
                and (c.get("user") or {}).get("login") == bot
                and notice.marker in str(c.get("body") or "")
                for c in gh.api_list(path)
            ):
                log.append(f"{notice.request}: #{number} already told ({notice.event})")
                continue
            gh.api(path, method="POST", body={"body": f"{notice.marker}\n{notice.body}"})
            log.append(f"{notice.request}: told #{number} ({notice.event})")
        except LeaderboardError as exc:
            log.append(f"{notice.request}: could not tell its pull request: {exc}")
    return log
