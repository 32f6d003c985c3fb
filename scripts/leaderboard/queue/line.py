"""The queue as a submitter sees it: each pending request's runner pool, its place in that
pool's line, its votes, and when it should start and finish. Built from git alone, without the
Hub or GitHub, so the Queue page and ``leaderboard queue`` cost nothing per request asked.

- **Pool**: ``core.plan.planned_pool`` (the request's ``params`` through the pure plan; with one
  pool, that pool). A pending request without ``params`` when there are several pools has no
  pool yet: the claim asks the Hub. Those wait in a line of their own, ``pool: null``, with no
  estimate.
- **Order**: ``core.priority`` (first come, first served by when git added each request;
  votes and the maintainer's choice when the settings turn them on). The claim uses the same
  order (:func:`claim_order`), with the votes GitHub gives at that moment; everything else uses
  the votes the latest claim recorded (``queue.votes.recorded``).
- **Estimates**: ``core.estimates`` on the measured runs of ``queue.history``; a request already
  claimed holds a runner of the pool its claim planned (the claim commit's ``Plan:`` line, when
  its pool cannot be told otherwise).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ..core import estimates, priority
from ..core.estimates import Duration, Estimate, Job
from ..core.models import Request, Settings, Status, VotesSeen
from ..core.plan import planned_pool
from ..core.sizes import size_class
from ..store import git
from ..store.repo import Repo
from ..store.tolerant import Skipped
from . import history, votes

Item = tuple[str, Request]


@dataclass(frozen=True)
class Place:
    """One pending request's place in the queue."""

    pool: str | None
    position: int
    #: When git added it on main; None when git cannot say (not committed yet).
    queued_at: datetime | None
    #: The pull request that added it, as its merge commit says; None for a maintainer's push.
    pull: int | None
    #: Votes counted (None with votes off) and the priority they give (None with votes off).
    votes: int | None
    priority: float | None
    estimate: Estimate
    duration: Duration | None


@dataclass
class Line:
    """Every pending request's place, and the claimed requests' estimated finish."""

    as_of: datetime
    places: dict[str, Place] = field(default_factory=dict)
    running: dict[str, Estimate] = field(default_factory=dict)
    #: When the votes shown were counted (the latest claim that counted any); None without.
    votes_at: datetime | None = None
    #: The order in use, in one sentence.
    order: str = ""
    #: How far votes can move a request, in hours of arrivals; None with votes off.
    bound_hours: float | None = None


def choice_orgs(repo: Repo, skipped: Skipped) -> set[str]:
    from ..store import tolerant

    return {o.lower() for o in tolerant.curation(repo, "maintainers_choice", skipped).organisations}


def _waiting(
    items: list[Item],
    added: dict[str, git.Addition],
    counted: dict[str, int],
    choice: set[str],
) -> list[priority.Waiting]:
    return [
        priority.Waiting(
            request=rel,
            arrival=added[rel].time if rel in added else None,
            votes=counted.get(rel, 0),
            choice=request.model.split("/")[0].lower() in choice,
        )
        for rel, request in items
    ]


def claim_order(
    repo: Repo,
    settings: Settings,
    items: list[Item],
    now: datetime,
    counted: dict[str, int] | None = None,
    skipped: Skipped | None = None,
    added: dict[str, git.Addition] | None = None,
) -> list[Item]:
    """``items`` (pending requests) in the order they are claimed (``added``: what
    ``store.git.additions`` says of them, when the caller asked already)."""
    skipped = skipped if skipped is not None else Skipped()
    by_rel = dict(items)
    if added is None:
        added = git.additions(repo.root, list(by_rel))
    choice = choice_orgs(repo, skipped) if settings.queue.maintainers_choice_first else set()
    waiting = _waiting(items, added, counted or {}, choice)
    ordered = priority.ordered(
        waiting,
        settings.queue.votes,
        int(now.timestamp()),
        choice_first=settings.queue.maintainers_choice_first,
    )
    return [(w.request, by_rel[w.request]) for w in ordered]


def claimed_pools(repo: Repo, rels: set[str]) -> dict[str, str]:
    """The pool each claim of ``rels`` planned, from the claim commits' ``Plan:`` lines (the
    newest claim of each), read back until all are found."""
    out: dict[str, str] = {}
    if not rels:
        return out
    for _, body in git.messages(repo.root, "^Plan: "):
        for line in body.splitlines():
            if not line.startswith("Plan: "):
                continue
            try:
                plan = json.loads(line[len("Plan: ") :])
            except ValueError:
                continue
            rel, pool = plan.get("request"), plan.get("pool")
            if rel in rels and rel not in out and isinstance(pool, str):
                out[rel] = pool
        if len(out) == len(rels):
            break
    return out


def line(
    repo: Repo,
    settings: Settings,
    requests: Iterable[Item],
    *,
    now: datetime | None = None,
    skipped: Skipped | None = None,
) -> Line:
    """Where every pending request stands (see the module's docstring). Removed requests are
    not in the queue."""
    now = now or datetime.now(UTC)
    skipped = skipped if skipped is not None else Skipped()
    items = [(rel, r) for rel, r in requests if r.removed is None]
    pending = [(rel, r) for rel, r in items if r.status is Status.pending]
    running = [(rel, r) for rel, r in items if r.status is Status.running]
    rules = settings.queue.votes
    seen: VotesSeen | None = votes.recorded(repo.root) if rules.enabled else None
    counted = dict(seen.votes) if seen else {}
    out = Line(
        as_of=now,
        votes_at=seen.at if seen else None,
        order=priority.explain(rules, settings.queue.maintainers_choice_first),
        bound_hours=rules.bound_hours if rules.enabled else None,
    )
    added = git.additions(repo.root, [rel for rel, _ in pending])
    ordered = claim_order(repo, settings, pending, now, counted, skipped, added)
    table = estimates.durations(history.measured_runs(repo, settings, items), settings.runner_pools)

    def duration(pool: str | None, request: Request) -> Duration | None:
        size = size_class(request.params)
        return table.get((pool, size)) if pool is not None and size is not None else None

    lines: dict[str | None, list[Item]] = defaultdict(list)
    for rel, request in ordered:
        lines[planned_pool(settings, request)].append((rel, request))
    holding: dict[str, list[Item]] = defaultdict(list)
    unknown = {rel for rel, r in running if planned_pool(settings, r) is None}
    from_claims = claimed_pools(repo, unknown)
    for rel, request in running:
        pool = planned_pool(settings, request) or from_claims.get(rel)
        if pool is not None:
            holding[pool].append((rel, request))
    for spec in settings.runner_pools:  # planned_pool names only these
        pool = spec.name
        got = estimates.schedule(
            [Job(rel, duration(pool, r), r.started_at) for rel, r in holding[pool]],
            [Job(rel, duration(pool, r)) for rel, r in lines[pool]],
            spec.runners,
            now,
        )
        out.running.update({rel: got[rel] for rel, _ in holding[pool]})
        _place(out, lines[pool], pool, got, added, counted, settings, now, duration)
    _place(out, lines[None], None, {}, added, counted, settings, now, duration)
    return out


def _place(
    out: Line,
    items: list[Item],
    pool: str | None,
    got: dict[str, Estimate],
    added: dict[str, git.Addition],
    counted: dict[str, int],
    settings: Settings,
    now: datetime,
    duration: Callable[[str | None, Request], Duration | None],
) -> None:
    rules = settings.queue.votes
    stamp = int(now.timestamp())
    for position, (rel, request) in enumerate(items, 1):
        commit = added.get(rel)
        waiting = priority.Waiting(rel, commit.time if commit else None, counted.get(rel, 0))
        out.places[rel] = Place(
            pool=pool,
            position=position,
            queued_at=datetime.fromtimestamp(commit.time, UTC) if commit else None,
            pull=commit.pull if commit else None,
            votes=priority.counted_votes(waiting.votes, rules) if rules.enabled else None,
            priority=round(priority.priority(waiting, stamp, rules), 3) if rules.enabled else None,
            estimate=got.get(rel, Estimate(None, None)),
            duration=duration(pool, request),
        )
