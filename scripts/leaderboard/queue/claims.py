"""Claiming a pending request: set RUNNING, commit, push. The push is the lock."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..core import errors
from ..core.errors import LeaderboardError
from ..core.models import Request, RunPlan, Status, utcnow
from ..core.transitions import mark_running
from ..store import commits
from ..store import git as store_git
from ..store.repo import Repo
from ..store.scans import arrival_order, requests_with_status
from .plans import commit_trailer

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
    plan: RunPlan | None = None


#: Plans one pending request (``queue.plans.request_plan``); raises LeaderboardError when it
#: cannot (the Hub is down, no pool holds the model), and the request then waits.
Planner = Callable[[str, Request], RunPlan]


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
    planner: Planner | None = None,
    progress: Progress = quiet,
) -> Claim | None:
    """Claim the oldest pending request but ``skip`` (or ``only``): set RUNNING, commit, push.

    The push is the lock: when the remote rejects it, someone else pushed first, so take the
    remote's state and look again (the request may be gone; then the next one is taken).
    With a ``planner``, each request is planned before it is claimed and the claim commit
    records the plan; one that cannot be planned stays PENDING (``progress`` says why; with
    ``only`` the error is raised) and the next is taken. Returns None when nothing is pending.
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
                status = repo.read_request(only).status.value if repo.path(only).exists() else None
                raise LeaderboardError(
                    f"{only} is not PENDING ({status or 'no such request file'}): only pending "
                    "requests are evaluated; a maintainer relaunches one by setting it PENDING"
                )
        chosen = _first_plannable(candidates, planner, skipped, only, progress)
        if chosen is None:
            return None
        rel, request, plan = chosen
        running = mark_running(request, runner, utcnow())
        repo.write_request(rel, running)
        if not use_git:
            return Claim(rel, running, None, plan)
        message = f"Claim {rel} for {runner} (attempt {running.attempts})"
        if plan is not None:
            message += f"\n\n{commit_trailer(plan)}"
        sha = commits.commit(root, [rel], message)
        if not git.remote or not branch:
            return Claim(rel, running, sha, plan)
        try:
            commits.push(root, git.remote, branch)
            return Claim(rel, running, sha, plan)
        except errors.PushRejected:
            commits.pause(attempt, base=0.05, cap=2.0)
            commits.reset_to_remote(root, git.remote, branch)
    raise errors.GitError(f"could not claim a request: {tries} pushes were rejected")


def _first_plannable(
    candidates: list[tuple[str, Request]],
    planner: Planner | None,
    skipped: set[str],
    only: str | None,
    progress: Progress,
) -> tuple[str, Request, RunPlan | None] | None:
    """The oldest candidate that can be planned; the others join ``skipped``, so that a retry
    after a rejected push does not ask the Hub about them again."""
    for rel, request in candidates:
        if planner is None:
            return rel, request, None
        try:
            return rel, request, planner(rel, request)
        except LeaderboardError as exc:
            if only is not None:
                raise
            skipped.add(rel)
            progress(f"{rel} stays PENDING: it cannot be planned: {exc}")
    return None
