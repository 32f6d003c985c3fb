"""Recovering runs whose runner vanished: RUNNING too long goes back to PENDING, or FAILED."""

from __future__ import annotations

from datetime import datetime

from ..core.models import Request, Status, utcnow
from ..core.transitions import stale_state
from ..store import commits
from ..store import git as store_git
from ..store.repo import Repo
from ..store.scans import requests_with_status
from .claims import Git
from .records import write_change


def reconcile(repo: Repo, *, git: Git, now: datetime | None = None) -> list[tuple[str, Request]]:
    """Send RUNNING requests older than the timeout back to PENDING, or FAILED at the limit."""
    root = repo.root
    if git.enabled and git.remote and store_git.is_git_repo(root):
        commits.sync_clean(root, git.remote, git.branch or store_git.current_branch(root))
    moment = now or utcnow()
    settings = repo.settings()

    def stale() -> list[tuple[str, Request]]:
        running = requests_with_status(repo, Status.running)
        found = [(rel, stale_state(r, moment, settings)) for rel, r in running]
        return [(rel, new) for rel, new in found if new is not None]

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
    write_change(repo, git, message, apply)
    return changes
