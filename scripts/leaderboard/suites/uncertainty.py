"""Standard errors of the leaderboard's columns, from the ``<metric>_stderr,<filter>`` entries
lm-eval writes next to each metric.

Each step of ``scoring`` is linear, so its error follows by the usual rules, *assuming the
errors being combined are independent*: a mean of ``n`` values with errors ``s_i`` has error
``sqrt(sum s_i²) / n``, and normalization ``(raw - b) / (1 - b) * 100`` scales an error by
``100 / (1 - b)``. Independence holds between benchmarks (different questions); it does not
quite hold between two metrics of one subtask (IFEval's strict prompt- and instruction-level
accuracies are read off the same answers), where the combined error is an underestimate. The
clamp at 0 is ignored: a subtask below chance keeps the scaled error of its raw value.

lm-eval writes ``"N/A"`` where it has no error (IFEval's instruction-level accuracies, for one).
An unknown error anywhere below a column makes that column's error unknown (``None``): the site
then shows no ± rather than a too-small one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from math import fsum, sqrt
from typing import Any, NamedTuple

from ..core.models import Benchmark, Suite
from ..core.models.suite import AVERAGE
from .loader import load_suite
from .scoring import METRIC_RANGE, per_suite, read_tasks

#: The two-sided 95% quantile of the normal distribution: a 95% interval is ``value ± Z95·SE``.
Z95 = 1.959963984540054
#: Suffix of a column's standard-error twin in the table: ``BBH SE``, ``Average SE``.
SE_SUFFIX = " SE"
#: The column of the average's standard error.
AVERAGE_SE = AVERAGE + SE_SUFFIX


def stderr_key(metric: str) -> str:
    """lm-eval's key for a metric's standard error: ``acc_norm,none`` → ``acc_norm_stderr,none``."""
    name, sep, filt = metric.partition(",")
    return f"{name}_stderr{sep}{filt}"


def combine_mean(errors: Iterable[float | None]) -> float | None:
    """The error of the plain mean of independent values; ``None`` when any error is unknown."""
    values = errors if type(errors) is list else list(errors)
    if not values or None in values:
        return None
    return math.sqrt(math.fsum([e * e for e in values if e is not None])) / len(values)


def _stderr(entry: Mapping[str, Any] | None, metric: str) -> float | None:
    return _checked((entry or {}).get(stderr_key(metric)))


def _checked(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None  # absent, "N/A", or anything else that is not a number
    if not math.isfinite(value) or not METRIC_RANGE[0] <= value <= METRIC_RANGE[1]:
        # The error of a fraction is a fraction too; 1e300 would overflow every sum above it.
        return None
    return float(value)


class ErrorPlan(NamedTuple):
    """What one benchmark's errors read, taken from the suite once rather than per result."""

    column: str
    raw_column: str
    metrics: tuple[str, ...]
    #: ``stderr_key`` of each metric.
    keys: tuple[str, ...]
    #: ``(task, 1 - random baseline)`` of each subtask.
    subtasks: tuple[tuple[str, float], ...]

    @classmethod
    def of(cls, benchmark: Benchmark) -> ErrorPlan:
        return cls(
            benchmark.column + SE_SUFFIX,
            benchmark.raw_column + SE_SUFFIX,
            tuple(benchmark.metrics),
            tuple(stderr_key(m) for m in benchmark.metrics),
            tuple((s.task, 1.0 - s.random_baseline) for s in benchmark.subtasks),
        )


@per_suite
def error_plan(suite: Suite) -> tuple[ErrorPlan, ...]:
    """The error plan of each benchmark of ``suite``, in order."""
    return tuple(ErrorPlan.of(b) for b in suite.benchmarks)


def _errors_of_plan(
    tasks: Mapping[str, Mapping[str, Any]], plan: ErrorPlan
) -> tuple[float | None, float | None]:
    """``combine_mean`` of the subtasks' raw and normalized errors, the squares summed as they
    are made (the same values, in the same order, as ``combine_mean`` would square)."""
    metrics, keys, subtasks = plan.metrics, plan.keys, plan.subtasks
    single = keys[0] if len(keys) == 1 else None
    raw_squares: list[float] = []
    norm_squares: list[float] = []
    known = True
    for task, span in subtasks:
        entry = tasks.get(task)
        raw: float | None
        if single is None:
            raw = combine_mean([_stderr(entry, m) for m in metrics])
        else:
            if entry.__class__ is dict:
                error = entry.get(single)
                if error.__class__ is not float or not 0.0 <= error <= 1.0:
                    error = _checked(error)
            else:
                error = _stderr(entry, metrics[0])
            # combine_mean of one error: fsum of a single square is that square.
            raw = None if error is None else sqrt(error * error)
        if raw is None:
            known = False  # the column's error is unknown; the rest is still read, as before
            continue
        norm = raw / span * 100.0
        raw_squares.append(raw * raw)
        norm_squares.append(norm * norm)
    if not known or not subtasks:
        return None, None
    n = len(subtasks)
    return sqrt(fsum(raw_squares)) / n, sqrt(fsum(norm_squares)) / n


def standard_errors(results: Mapping[str, Any], suite: Suite | str) -> dict[str, float | None]:
    """``<column> SE`` and ``<column> Raw SE`` of every benchmark, and ``Average SE``."""
    if isinstance(suite, str):
        suite = load_suite(suite)
    tasks = read_tasks(results)
    out: dict[str, float | None] = {}
    norms = []
    for plan in error_plan(suite):
        raw, norm = _errors_of_plan(tasks, plan)
        out[plan.column] = norm
        out[plan.raw_column] = raw
        norms.append(norm)
    out[AVERAGE_SE] = combine_mean(norms)
    return out


def within_noise(a: float, se_a: float | None, b: float, se_b: float | None) -> bool | None:
    """Whether two values' 95% intervals overlap; ``None`` when an error is unknown."""
    if se_a is None or se_b is None:
        return None
    return abs(a - b) <= Z95 * (se_a + se_b)
