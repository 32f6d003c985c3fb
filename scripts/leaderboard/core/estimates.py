"""When a pending request should start and finish: arithmetic on measured runs, no I/O.

**How long a run takes** (:func:`durations`): for each runner pool and size class
(``core.sizes``), the median of the wall times of its most recent :data:`RECENT` measured runs,
with the middle half of them as the spread (the first and third quartiles). A class the pool
has never run falls back to the pool's ``projected_hours`` (the GPU benchmark's projection, in
the settings), and without one it is unknown: never a number made up from another class.

**When it starts** (:func:`schedule`): the pool's ``runners`` each take the next request in
line as soon as they are free. The requests already claimed go first, in the order they were
claimed, the earliest as many as there are runners counted as running since their claim; then
the pending ones, in the order they will be claimed (``core.priority``). A run that has taken
longer than its estimate counts as finishing now. Once a runner is busy with a run of unknown
length, every later start in that pool is unknown too: it could be any time. A request whose own
length is unknown gets no estimate at all (no start without a finish).

The estimates count the evaluation itself (the wall time each result's provenance records),
not the few minutes of setup around it, nor the wait for the next dispatch to claim.
"""

from __future__ import annotations

import heapq
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from .models import RunnerPool

#: Runs per pool and size class that an estimate is made of: the newest, so that a faster GPU
#: or a new suite version shows within a few runs.
RECENT = 20


@dataclass(frozen=True)
class Run:
    """One measured evaluation."""

    pool: str
    size: str | None
    hours: float
    finished: datetime


@dataclass(frozen=True)
class Duration:
    """How long one run of a size class takes on a pool: the median and the middle half of
    the measured runs, or the settings' projection (``runs`` is then 0)."""

    hours: float
    low: float
    high: float
    runs: int
    source: Literal["measured", "projected"]

    def as_json(self) -> dict[str, object]:
        return {
            "hours": round(self.hours, 3),
            "low_hours": round(self.low, 3),
            "high_hours": round(self.high, 3),
            "runs": self.runs,
            "source": self.source,
        }


Durations = dict[tuple[str, str], Duration]


def _measured(hours: list[float]) -> Duration:
    if len(hours) == 1:
        return Duration(hours[0], hours[0], hours[0], 1, "measured")
    low, median, high = statistics.quantiles(hours, n=4, method="inclusive")
    return Duration(median, low, high, len(hours), "measured")


def durations(runs: Iterable[Run], pools: list[RunnerPool]) -> Durations:
    """``(pool, size class) → Duration`` from measured runs, else the pools' projections."""
    by: dict[tuple[str, str], list[Run]] = defaultdict(list)
    for run in runs:
        if run.size is not None and run.hours > 0:
            by[(run.pool, run.size)].append(run)
    out: Durations = {}
    for key, group in by.items():
        newest = sorted(group, key=lambda r: r.finished, reverse=True)[:RECENT]
        out[key] = _measured([r.hours for r in newest])
    for pool in pools:
        for size, hours in pool.projected_hours.items():
            out.setdefault((pool.name, size), Duration(hours, hours, hours, 0, "projected"))
    return out


@dataclass(frozen=True)
class Job:
    """A request that holds or waits for one of a pool's runners."""

    request: str
    duration: Duration | None
    #: When it was claimed (RUNNING), or None (PENDING).
    claimed: datetime | None = None


@dataclass(frozen=True)
class Estimate:
    start: datetime | None
    finish: datetime | None


def schedule(
    running: list[Job], pending: list[Job], runners: int, now: datetime
) -> dict[str, Estimate]:
    """Each job's estimated start and finish on a pool of ``runners`` (see the module's
    docstring); ``pending`` in the order they will be claimed."""
    # A runner is free at a known time, or at an unknown one (None, kept apart: once any runner
    # is busy for an unknown time, no later start can be known).
    free: list[datetime] = []
    unknown = 0
    out: dict[str, Estimate] = {}
    # The earliest claims hold the runners; the others wait for them, as GitHub queues jobs.
    claimed = sorted(running, key=lambda j: (j.claimed or now, j.request))
    for index, job in enumerate(claimed + pending):
        if index < runners:
            begin: datetime | None = job.claimed if job.claimed is not None else now
        elif unknown:
            begin = None
        else:
            begin = max(heapq.heappop(free), now)
        end = (
            max(begin + timedelta(hours=job.duration.hours), now)
            if begin is not None and job.duration is not None
            else None
        )
        if end is None:
            unknown += 1
        else:
            heapq.heappush(free, end)
        # A pending request's estimate is its start and its finish, or nothing: without its own
        # length, even the start of the first in line would stand alone, unlike any other.
        shown = begin if end is not None or job.claimed is not None else None
        out[job.request] = Estimate(shown, end)
    return out
