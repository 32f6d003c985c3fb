"""The order pending requests are claimed in: arithmetic, no I/O.

**Priority = votes + waiting hours × the ageing rate** (``settings.queue.votes``), the highest
first. Every pending request has waited since the same ``now`` minus its arrival, so comparing
two priorities is comparing ``arrival − votes / rate``: each vote counts as if the request had
arrived ``1 / rate`` hours earlier, and votes are capped at ``max_per_request``. Hence the bound
(``Votes.bound_hours``): **votes move a request ahead of requests that arrived at most
``max_per_request / ageing_per_hour`` hours before it, never further**, so a request is claimed
before every request that arrived more than that much later, whatever anyone votes. For A that
arrived more than the bound before B, at any moment both wait,
``priority(A) − priority(B) = votes(A) − votes(B) + rate × (arrival(B) − arrival(A))
> 0 − max + rate × max / rate = 0``.

The order does not drift with time: it changes only when votes do. With votes off every request
has none, and the order is first come, first served, as it always was. Arrival is when git added
the request on ``main`` (``store.git.added_at``), never the ``submitted_at`` a submitter wrote;
a request git cannot date (not committed yet) counts as arriving now. With
``maintainers_choice_first``, the maintainer's choice organisations' requests come before all
others (the bound then holds within each of the two groups). Ties go to the earlier arrival,
then to the path.

The key is exact (``fractions.Fraction``): the bound is a strict inequality that a float's
rounding could break for requests whose arrivals differ by almost exactly the bound.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .models import Votes

SECONDS_PER_HOUR = 3600


@dataclass(frozen=True)
class Waiting:
    """What the order of one pending request depends on."""

    request: str
    #: When git added it on main (Unix time), or None when git cannot say.
    arrival: int | None
    #: Votes counted for it (``core.votes``); 0 with votes off.
    votes: int = 0
    #: Whether it belongs to a maintainer's choice organisation.
    choice: bool = False


def counted_votes(votes: int, settings: Votes) -> int:
    """The votes that count: none when votes are off, at most ``max_per_request``."""
    return min(max(votes, 0), settings.max_per_request) if settings.enabled else 0


def waited_hours(waiting: Waiting, now: int) -> float:
    """Hours since the request arrived (0 for one git cannot date)."""
    return 0.0 if waiting.arrival is None else max(0, now - waiting.arrival) / SECONDS_PER_HOUR


def priority(waiting: Waiting, now: int, settings: Votes) -> float:
    """``votes + waiting hours × rate``, for people (the claim commit, the Queue page); the
    order itself is :func:`order_key`'s, which is the same order, exactly."""
    return (
        counted_votes(waiting.votes, settings)
        + waited_hours(waiting, now) * settings.ageing_per_hour
    )


def order_key(
    waiting: Waiting, settings: Votes, now: int, *, choice_first: bool = False
) -> tuple[int, Fraction, int, int, str]:
    """Sort ascending: the maintainer's choice first (when on), then the highest priority, then
    the earliest arrival, then the path. ``now`` stands in for a request git cannot date."""
    arrived = now if waiting.arrival is None else waiting.arrival
    shift = Fraction(counted_votes(waiting.votes, settings) * SECONDS_PER_HOUR) / Fraction(
        settings.ageing_per_hour
    )
    return (
        0 if (choice_first and waiting.choice) else 1,
        Fraction(arrived) - shift,
        0 if waiting.arrival is not None else 1,
        arrived,
        waiting.request,
    )


def ordered(
    waiting: list[Waiting], settings: Votes, now: int, *, choice_first: bool = False
) -> list[Waiting]:
    """``waiting`` in the order they are claimed."""
    return sorted(waiting, key=lambda w: order_key(w, settings, now, choice_first=choice_first))


def explain(settings: Votes, choice_first: bool) -> str:
    """The order in use, in one sentence (the Queue page, the FAQ)."""
    first = (
        "Requests of the maintainer's choice organisations come first; then "
        if choice_first
        else ""
    )
    if not settings.enabled:
        order = "requests are evaluated in the order they were merged (first come, first served)"
    else:
        rate = settings.ageing_per_hour
        order = (
            f"requests are evaluated by priority = 👍 votes on the pull request (at most "
            f"{settings.max_per_request}) + hours waited × {rate:g}, so votes can move a request "
            f"ahead of those merged at most {settings.bound_hours:g} hours before it, never "
            "further"
        )
    sentence = first + order
    return sentence[0].upper() + sentence[1:] + "."
