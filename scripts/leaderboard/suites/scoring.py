"""Raw lm-eval metrics → the leaderboard's raw and normalized columns and their average.

The rule is the Open LLM Leaderboard v2's, driven entirely by the suite's data: for each
subtask, ``raw`` is the mean of the benchmark's metrics and the normalized value is
``max(raw - b, 0) / (1 - b) * 100`` with the subtask's random baseline ``b``, clamped at 0
*before* averaging; a benchmark is the unweighted mean over its subtasks (not lm-eval's
size-weighted group value); ``Average`` is the plain mean of the benchmarks. Values keep full
float precision; rounding is for display only.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Callable, Mapping
from math import fsum
from statistics import fmean
from typing import Any, NamedTuple, TypeVar

from ..core.errors import MissingScore
from ..core.models import Benchmark, Suite
from ..core.models.suite import AVERAGE
from .loader import load_suite

#: Every metric a suite scores is a fraction (accuracy, exact match, strict/loose accuracy).
METRIC_RANGE = (0.0, 1.0)

T = TypeVar("T")


def task_results(results: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """The per-task mapping of an lm-eval results JSON, or of its bare ``results`` mapping.

    Group entries are read from ``results`` and, as lm-eval also writes them, from ``groups``.
    """
    if isinstance(results.get("results"), Mapping):
        merged: dict[str, Mapping[str, Any]] = dict(results.get("groups") or {})
        merged.update(results["results"])
        return merged
    return dict(results)


def read_tasks(results: Mapping[str, Any]) -> Mapping[str, Mapping[str, Any]]:
    """``task_results(results)`` for reading only, without the copy where it would be equal.

    lm-eval writes each group in ``results`` as well as in ``groups``: then the merged mapping
    is ``results`` itself, and copying it (about 50 entries) was a fifth of the time of scoring.
    """
    tasks = results.get("results")
    groups = results.get("groups")
    if type(tasks) is dict and (
        not groups or (type(groups) is dict and groups.keys() <= tasks.keys())
    ):
        return tasks
    if tasks is None and type(results) is dict:
        return results
    return task_results(results)


def normalize(raw: float, baseline: float) -> float:
    """Rescale so that the random baseline is 0 and a perfect score 100; below chance is 0."""
    return max(raw - baseline, 0.0) / (1.0 - baseline) * 100.0


def _metric(tasks: Mapping[str, Mapping[str, Any]], task: str, key: str, column: str) -> float:
    """One metric, checked: the reference path, and the one every refused value takes."""
    entry = tasks.get(task)
    if entry is None:
        raise MissingScore(
            f"{column}: the results have no entry for the lm-eval task {task!r} "
            "(was it evaluated, and with this suite?)"
        )
    if key not in entry:
        have = ", ".join(sorted(k for k in entry if "," in k and "_stderr," not in k)) or "none"
        raise MissingScore(f"{column}: the task {task!r} has no metric {key!r} (it has: {have})")
    value = entry[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise MissingScore(f"{column}: {task!r} {key!r} is {value!r}, not a finite number")
    if not METRIC_RANGE[0] <= value <= METRIC_RANGE[1]:
        # lm-eval's accuracies and match rates are fractions: anything else is a corrupt file,
        # and would display as a score (-5) or outrank every real model (1e300).
        low, high = METRIC_RANGE
        raise MissingScore(
            f"{column}: {task!r} {key!r} is {value!r}, outside the metric's range "
            f"[{low:g}, {high:g}]"
        )
    return float(value)


class BenchmarkPlan(NamedTuple):
    """What scoring one benchmark reads, taken from the suite once rather than per result."""

    column: str
    raw_column: str
    metrics: tuple[str, ...]
    #: ``(task, random baseline, 1 - baseline)`` of each subtask.
    subtasks: tuple[tuple[str, float, float], ...]

    @classmethod
    def of(cls, benchmark: Benchmark) -> BenchmarkPlan:
        return cls(
            benchmark.column,
            benchmark.raw_column,
            tuple(benchmark.metrics),
            tuple((s.task, s.random_baseline, 1.0 - s.random_baseline) for s in benchmark.subtasks),
        )


def per_suite(build: Callable[[Suite], T]) -> Callable[[Suite], T]:
    """``build(suite)``, made once per suite object and reused while that object lives.

    The key is the object itself (its ``id`` checked against a weak reference), never its name,
    so two suites, or a suite and a later one at the same address, never share a plan. A suite
    is not changed after it is loaded (``load_suite`` hands out a fresh copy each time): one
    changed in place after its first use keeps its first plan.
    """
    plans: dict[int, tuple[weakref.ref[Suite], T]] = {}

    def forget(ref: weakref.ref[Suite], key: int) -> None:
        if plans.get(key, (None,))[0] is ref:
            del plans[key]

    def plan(suite: Suite) -> T:
        key = id(suite)
        hit = plans.get(key)
        if hit is not None and hit[0]() is suite:
            return hit[1]
        made = build(suite)
        plans[key] = (weakref.ref(suite, lambda ref: forget(ref, key)), made)
        return made

    return plan


def _mean(values: list[float]) -> float:
    """``statistics.fmean`` of a list, which is ``fsum(values) / len(values)``, without its
    generic argument handling; an empty list is fmean's own error."""
    return fsum(values) / len(values) if values else fmean(values)


@per_suite
def suite_plan(suite: Suite) -> tuple[BenchmarkPlan, ...]:
    """The plan of each benchmark of ``suite``, in order."""
    return tuple(BenchmarkPlan.of(b) for b in suite.benchmarks)


def _score_plan(tasks: Mapping[str, Mapping[str, Any]], plan: BenchmarkPlan) -> tuple[float, float]:
    column, _, metrics, subtasks = plan
    if not subtasks:
        fmean(())  # what the mean of no subtasks always was: fmean's error
    raws: list[float] = []
    norms: list[float] = []
    single = metrics[0] if len(metrics) == 1 else None
    for task, baseline, span in subtasks:
        if single is None:
            raw = _mean([_metric(tasks, task, key, column) for key in metrics])
        else:
            # The common case, a plain float in (0, 1], is taken as it is: the mean of one
            # such value is that value. Anything else (0, an int, a corrupt value) goes the
            # reference path, which also raises its errors.
            entry = tasks.get(task)
            value = entry.get(single) if type(entry) is dict else None
            if type(value) is float and 0.0 < value <= 1.0:
                raw = value
            else:
                raw = _mean([_metric(tasks, task, single, column)])
        raws.append(raw)
        gain = raw - baseline  # normalize(), inline: max() and a call per subtask add up
        if gain < 0.0:
            gain = 0.0
        norms.append(gain / span * 100.0)
    return fsum(raws) / len(raws), fsum(norms) / len(norms)  # fmean's arithmetic, as _mean


def score(results: Mapping[str, Any], suite: Suite | str) -> dict[str, float]:
    """Every column of the suite, each ``<column> Raw`` twin, and ``Average``.

    ``results`` is lm-eval's results JSON (only its ``results`` mapping is required) or that
    mapping itself. Raises ``MissingScore`` naming the subtask or metric that is missing.
    """
    if isinstance(suite, str):
        suite = load_suite(suite)
    tasks = read_tasks(results)
    plans = suite_plan(suite)
    out: dict[str, float] = {}
    for plan in plans:
        raw, norm = _score_plan(tasks, plan)
        out[plan.column] = norm
        out[plan.raw_column] = raw
    out[AVERAGE] = _mean([out[plan.column] for plan in plans])
    return out
