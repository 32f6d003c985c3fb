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
from typing import Any

from ..core.models import Benchmark, Suite
from .loader import load_suite
from .scoring import AVERAGE, METRIC_RANGE, task_results

#: The two-sided 95% quantile of the normal distribution: a 95% interval is ``value ± Z95·SE``.
Z95 = 1.959963984540054
#: Suffix of a column's standard-error twin in the table: ``BBH SE``, ``Average SE``.
SE_SUFFIX = " SE"


def stderr_key(metric: str) -> str:
    """lm-eval's key for a metric's standard error: ``acc_norm,none`` → ``acc_norm_stderr,none``."""
    name, sep, filt = metric.partition(",")
    return f"{name}_stderr{sep}{filt}"


def combine_mean(errors: Iterable[float | None]) -> float | None:
    """The error of the plain mean of independent values; ``None`` when any error is unknown."""
    values = list(errors)
    if not values or any(e is None for e in values):
        return None
    return math.sqrt(math.fsum(e * e for e in values if e is not None)) / len(values)


def _stderr(entry: Mapping[str, Any] | None, metric: str) -> float | None:
    value = (entry or {}).get(stderr_key(metric))
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None  # absent, "N/A", or anything else that is not a number
    if not math.isfinite(value) or not METRIC_RANGE[0] <= value <= METRIC_RANGE[1]:
        # The error of a fraction is a fraction too; 1e300 would overflow every sum above it.
        return None
    return float(value)


def benchmark_errors(
    tasks: Mapping[str, Mapping[str, Any]], benchmark: Benchmark
) -> tuple[float | None, float | None]:
    """(raw error on the 0–1 scale, normalized error on the 0–100 scale) of one benchmark."""
    raws: list[float | None] = []
    norms: list[float | None] = []
    for sub in benchmark.subtasks:
        raw = combine_mean(_stderr(tasks.get(sub.task), m) for m in benchmark.metrics)
        raws.append(raw)
        norms.append(None if raw is None else raw / (1.0 - sub.random_baseline) * 100.0)
    return combine_mean(raws), combine_mean(norms)


def standard_errors(results: Mapping[str, Any], suite: Suite | str) -> dict[str, float | None]:
    """``<column> SE`` and ``<column> Raw SE`` of every benchmark, and ``Average SE``."""
    if isinstance(suite, str):
        suite = load_suite(suite)
    tasks = task_results(results)
    out: dict[str, float | None] = {}
    norms = []
    for benchmark in suite.benchmarks:
        raw, norm = benchmark_errors(tasks, benchmark)
        out[benchmark.column + SE_SUFFIX] = norm
        out[benchmark.raw_column + SE_SUFFIX] = raw
        norms.append(norm)
    out[AVERAGE + SE_SUFFIX] = combine_mean(norms)
    return out


def within_noise(a: float, se_a: float | None, b: float, se_b: float | None) -> bool | None:
    """Whether two values' 95% intervals overlap; ``None`` when an error is unknown."""
    if se_a is None or se_b is None:
        return None
    return abs(a - b) <= Z95 * (se_a + se_b)
