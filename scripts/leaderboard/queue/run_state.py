"""When the evaluate job of a claimed request started, read from the GitHub Actions run.

A claim is pushed by the dispatch job, but its evaluate job may then wait for a free
self-hosted runner for up to 24 hours. Judging staleness from the claim would take back work
that is only queued, and run it twice; so reconcile asks the run when the request's own job
started, and leaves a job that has not started alone.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from ..core.errors import LeaderboardError
from ..core.models import Request
from ..store import gh

#: ``leaderboard claim --runner github-actions-$RUN_ID`` (evaluate.yml) names the run.
_RUNNER = re.compile(r"^github-actions-(\d+)$")
#: Job statuses of a job that no runner has picked up yet (GitHub's REST API, "jobs for a run").
WAITING = frozenset({"queued", "waiting", "pending", "requested"})
#: The evaluate job's name in evaluate.yml: ``Evaluate ${{ matrix.request }}``.
JOB_PREFIX = "Evaluate "


@dataclass(frozen=True)
class JobStart:
    """``waiting``: no runner has the job yet; else ``started_at`` (None: unknown)."""

    waiting: bool = False
    started_at: datetime | None = None


UNKNOWN = JobStart()


def run_id(request: Request) -> str | None:
    match = _RUNNER.match(request.runner or "")
    return match.group(1) if match else None


def job_start(jobs: list[dict], rel: str) -> JobStart:
    """The state of the job evaluating ``rel``, from the run's list of jobs."""
    for job in jobs:
        if job.get("name") != f"{JOB_PREFIX}{rel}":
            continue
        if job.get("status") in WAITING:
            return JobStart(waiting=True)
        started = job.get("started_at")
        if isinstance(started, str):
            try:
                return JobStart(started_at=datetime.fromisoformat(started.replace("Z", "+00:00")))
            except ValueError:
                return UNKNOWN
    return UNKNOWN


def run_jobs(repository: str, run: str) -> list[dict]:
    """Every job of one workflow run (all attempts' latest), through ``gh api``."""
    out = gh.gh(
        "api", "--paginate", f"repos/{repository}/actions/runs/{run}/jobs", "--jq", ".jobs[]"
    )
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def github_job_starts(
    repository: str, fetch: Callable[[str, str], list[dict]] = run_jobs
) -> Callable[[str, Request], JobStart]:
    """A lookup for reconcile: each run is asked once; a failed call says "unknown"."""
    cache: dict[str, list[dict] | None] = {}

    def lookup(rel: str, request: Request) -> JobStart:
        run = run_id(request)
        if run is None:
            return UNKNOWN  # claimed by a runner outside Actions: the claim time decides
        if run not in cache:
            try:
                cache[run] = fetch(repository, run)
            except LeaderboardError as exc:
                print(f"warning: run {run}: {exc}; judging {rel} from its claim", file=sys.stderr)
                cache[run] = None
        jobs = cache[run]
        return UNKNOWN if jobs is None else job_start(jobs, rel)

    return lookup
