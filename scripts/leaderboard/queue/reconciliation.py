"""Recovering runs whose runner vanished: RUNNING too long goes back to PENDING, or FAILED."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from ..core.models import Request, Status, utcnow
from ..core.transitions import stale_state
from ..store import commits, git
from ..store.repo import Repo
from ..store.scans import requests_with_status
from .claims import CommitPolicy
from .records import write_change
from .run_state import JobStart


def reconcile(
    repo: Repo,
    *,
    policy: CommitPolicy,
    now: datetime | None = None,
    job_start: Callable[[str, Request], JobStart] | None = None,
) -> list[tuple[str, Request]]:
    """Send RUNNING requests older than the timeout back to PENDING, or FAILED at the limit.

    With ``job_start``, age counts from when the request's evaluate job started (a job still
    waiting for a runner is never stale); without it, or when it cannot say, from the claim.
    """
    root = repo.root
    if policy.enabled and policy.remote and git.is_git_repo(root):
        commits.sync_clean(root, policy.remote, policy.branch or git.current_branch(root))
    moment = now or utcnow()
    settings = repo.settings()

    def stale() -> list[tuple[str, Request]]:
        found = []
        for rel, request in requests_with_status(repo, Status.running):
            judged = _from_job_start(rel, request, job_start)
            new = stale_state(judged, moment, settings) if judged is not None else None
            if new is not None:
                found.append((rel, new))
        return found

    changes = stale()
    if not changes:
        return []

    def apply() -> list[str]:
        current = stale()  # again: after a rejected push the remote's state decides
        for rel, new in current:
            repo.write_request(rel, new)
        return [rel for rel, _ in current]

    message = "Reconcile stale runs\n\n" + "\n".join(
        f"{rel}: RUNNING -> {new.status.value}" for rel, new in changes
    )
    write_change(repo, policy, message, apply)
    return changes


def _from_job_start(
    rel: str, request: Request, job_start: Callable[[str, Request], JobStart] | None
) -> Request | None:
    """The request as reconcile judges it: None while its job waits for a runner."""
    state = job_start(rel, request) if job_start else None
    if state is None or (not state.waiting and state.started_at is None):
        return request
    if state.waiting:
        return None
    if request.started_at is not None and state.started_at is not None:
        return request.model_copy(update={"started_at": max(request.started_at, state.started_at)})
    return request
