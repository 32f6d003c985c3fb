"""Claiming a pending request: set RUNNING, commit, push. The push is the lock."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..core import errors
from ..core.errors import LeaderboardError
from ..core.models import Request, Status, utcnow
from ..core.transitions import mark_running
from ..store import commits
from ..store import git as store_git
from ..store.repo import Repo
from ..store.scans import arrival_order, requests_with_status

Progress = Callable[[str], None]


def quiet(_: str) -> None:
    return None


@dataclass(frozen=True)
class Git:
    """Where the queue lives: commit locally (``remote=None``) or also push to ``remote``."""

    enabled: bool = True
    remote: str | None = None
    branch: str | None = None


@dataclass
class Claim:
    path: str
    request: Request
    commit: str | None


def pending(repo: Repo) -> list[tuple[str, Request]]:
    """Requests waiting to run, in the order they were added on the branch (git's time, not
    the ``submitted_at`` a submitter wrote: a backdated request must not jump the queue)."""
    items = [(rel, r) for rel, r in requests_with_status(repo, Status.pending) if r.removed is None]
    order = arrival_order(repo, [rel for rel, _ in items])
    items.sort(key=lambda item: order[item[0]])
    return items


# -- claim --------------------------------------------------------------------------------------


def claim(
    repo: Repo,
    *,
    runner: str,
    git: Git,
    only: str | None = None,
    skip: Iterable[str] = (),
    tries: int = 30,
) -> Claim | None:
    """Claim the oldest pending request but ``skip`` (or ``only``): set RUNNING, commit, push.

    The push is the lock: when the remote rejects it, someone else pushed first, so take the
    remote's state and look again (the request may be gone; then the next one is taken).
    Returns None when nothing is pending.
    """
    root = repo.root
    use_git = git.enabled and store_git.is_git_repo(root)
    branch = git.branch or (store_git.current_branch(root) if use_git and git.remote else None)
    if use_git and git.remote and branch:
        commits.sync_clean(root, git.remote, branch)
    skipped = set(skip)
    for attempt in range(tries):
        candidates = [(rel, r) for rel, r in pending(repo) if rel not in skipped]
        if only is not None:
            candidates = [(rel, r) for rel, r in candidates if rel == only]
            if not candidates:
                status = repo.load_request(only).status.value if repo.path(only).exists() else None
                raise LeaderboardError(
                    f"{only} is not PENDING ({status or 'no such request file'}): only pending "
                    "requests are evaluated; a maintainer relaunches one by setting it PENDING"
                )
        if not candidates:
            return None
        rel, request = candidates[0]
        running = mark_running(request, runner, utcnow())
        repo.write_request(rel, running)
        if not use_git:
            return Claim(rel, running, None)
        sha = commits.commit(root, [rel], f"Claim {rel} for {runner} (attempt {running.attempts})")
        if not git.remote or not branch:
            return Claim(rel, running, sha)
        try:
            commits.push(root, git.remote, branch)
            return Claim(rel, running, sha)
        except errors.PushRejected:
            commits.pause(attempt, base=0.05, cap=2.0)
            commits.reset_to_remote(root, git.remote, branch)
    raise errors.GitError(f"could not claim a request: {tries} pushes were rejected")
