"""Claiming a pending request: set RUNNING, commit, push. The push is the lock."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..core import errors, priority
from ..core.errors import LeaderboardError
from ..core.models import Request, RunPlan, Settings, Status, VotesSeen, utcnow
from ..core.transitions import mark_running
from ..store import commits, git, tolerant
from ..store.repo import Repo
from ..store.scans import requests_with_status
from ..store.tolerant import Skipped
from .line import claim_order
from .plans import commit_trailer
from .votes import trailer as votes_trailer

Progress = Callable[[str], None]


def quiet(_: str) -> None:
    return None


@dataclass(frozen=True)
class CommitPolicy:
    """How the queue's changes reach git: committed at all (``enabled``), and then kept local
    (``remote=None``) or also pushed to ``remote``'s ``branch`` (the current one by default)."""

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


def pending(repo: Repo, counted: dict[str, int] | None = None) -> list[tuple[str, Request]]:
    """Requests waiting to run, in the order they are claimed (``queue.line.claim_order``):
    by when git added each on the branch (git's time, not the ``submitted_at`` a submitter
    wrote: a backdated request must not jump the queue), and by the votes ``counted`` when the
    settings turn votes on."""
    items = [(rel, r) for rel, r in requests_with_status(repo, Status.pending) if r.removed is None]
    settings = tolerant.curation(repo, "settings", Skipped())
    return claim_order(repo, settings, items, utcnow(), counted)


# -- claim --------------------------------------------------------------------------------------


def claim(
    repo: Repo,
    *,
    runner: str,
    policy: CommitPolicy,
    only: str | None = None,
    skip: Iterable[str] = (),
    tries: int = 30,
    planner: Planner | None = None,
    progress: Progress = quiet,
    votes: VotesSeen | None = None,
) -> Claim | None:
    """Claim the first pending request in line but ``skip`` (or ``only``): set RUNNING, commit,
    push. The line is ``queue.line.claim_order``'s, with the ``votes`` GitHub gave when the
    settings turn votes on; the claim commit then records them (``Votes: {…}``) and the
    claimed request's priority, for audit.

    The push is the lock: when the remote rejects it, someone else pushed first, so take the
    remote's state and look again (the request may be gone; then the next one is taken).
    With a ``planner``, each request is planned before it is claimed and the claim commit
    records the plan; one that cannot be planned stays PENDING (``progress`` says why; with
    ``only`` the error is raised) and the next is taken. Returns None when nothing is pending.
    """
    root = repo.root
    use_git = policy.enabled and git.is_git_repo(root)
    branch = policy.branch or (git.current_branch(root) if use_git and policy.remote else None)
    if use_git and policy.remote and branch:
        commits.sync_clean(root, policy.remote, branch)
    skipped = set(skip)
    counted = votes.votes if votes is not None else None
    for attempt in range(tries):
        candidates = [(rel, r) for rel, r in pending(repo, counted) if rel not in skipped]
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
        if votes is not None:
            message += f"\n\n{_votes_lines(repo, rel, votes)}"
        sha = commits.commit(root, [rel], message)
        if not policy.remote or not branch:
            return Claim(rel, running, sha, plan)
        try:
            commits.push(root, policy.remote, branch)
            return Claim(rel, running, sha, plan)
        except errors.PushRejected:
            commits.pause(attempt, base=0.05, cap=2.0)
            commits.reset_to_remote(root, policy.remote, branch)
    raise errors.GitError(f"could not claim a request: {tries} pushes were rejected")


def _votes_lines(repo: Repo, rel: str, votes: VotesSeen) -> str:
    """What the claim commit says of the votes: the claimed request's priority and voters, and
    every vote the claim saw (``Votes: {…}``, which the Queue page reads back)."""
    settings: Settings = tolerant.curation(repo, "settings", Skipped())
    rules = settings.queue.votes
    added = git.additions(repo.root, [rel]).get(rel)
    waiting = priority.Waiting(rel, added.time if added else None, votes.votes.get(rel, 0))
    now = int(votes.at.timestamp())
    waited = priority.waited_hours(waiting, now)
    counted = priority.counted_votes(waiting.votes, rules)
    voters = ", ".join(votes.voters.get(rel, [])) or "none"
    left = ", ".join(f"{n} {why}" for why, n in votes.not_counted.get(rel, {}).items())
    return (
        f"Priority: {counted} votes + {waited:.1f} h waited × {rules.ageing_per_hour:g} = "
        f"{priority.priority(waiting, now, rules):.1f} (votes counted at most "
        f"{rules.max_per_request}: nothing that arrived more than {rules.bound_hours:g} h later "
        "goes first)\n"
        f"Voters: {voters}{f' (not counted: {left})' if left else ''}\n"
        f"{votes_trailer(votes)}"
    )


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
