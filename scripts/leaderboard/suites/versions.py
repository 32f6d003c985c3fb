"""Which version of a suite scored a request's latest result.

Results record the suite version that made them (``provenance.suite_version``); the site marks
rows of other versions, ``leaderboard requeue`` re-queues them, and the validator accepts that
re-queue only for a request whose latest result is not on the current version.
"""

from __future__ import annotations

from ..core.errors import LeaderboardError
from ..core.ids import parse_result_path
from ..core.models import Request
from ..store.repo import Repo


def latest_suite_version(repo: Repo, request: Request, suite: str) -> str | None:
    """The suite version of the request's latest result on ``suite``; None without one."""
    best: tuple[int, str] | None = None
    for rel in repo.result_files(request.model):
        parts = parse_result_path(rel)
        if parts is None or parts.suite != suite or parts.stem != request.identity.stem:
            continue
        if best is None or parts.attempt > best[0]:
            best = (parts.attempt, rel)
    if best is None:
        return None
    try:
        provenance = repo.read_json(best[1]).get("provenance") or {}
    except (OSError, ValueError, LeaderboardError):
        return None
    version = provenance.get("suite_version") if isinstance(provenance, dict) else None
    return str(version) if version is not None else None
