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
from collections.abc import Mapping
from statistics import fmean
from typing import Any

from ..core.errors import MissingScore
from ..core.models import Benchmark, Subtask, Suite
from .loader import load_suite

AVERAGE = "Average"
#: Every metric a suite scores is a fraction (accuracy, exact match, strict/loose accuracy).
METRIC_RANGE = (0.0, 1.0)


def task_results(results: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """The per-task mapping of an lm-eval results JSON, or of its bare ``results`` mapping.

    Group entries are read from ``results`` and, as lm-eval also writes them, from ``groups``.
    """
    if isinstance(results.get("results"), Mapping):
        merged: dict[str, Mapping[str, Any]] = dict(results.get("groups") or {})
        merged.update(results["results"])
        return merged
    return dict(results)


def normalize(raw: float, baseline: float) -> float:
    """Rescale so that the random baseline is 0 and a perfect score 100; below chance is 0."""
    return max(raw - baseline, 0.0) / (1.0 - baseline) * 100.0


def _metric(tasks: Mapping[str, Mapping[str, Any]], sub: Subtask, key: str, column: str) -> float:
    entry = tasks.get(sub.task)
    if entry is None:
        raise MissingScore(
            f"{column}: the results have no entry for the lm-eval task {sub.task!r} "
            "(was it evaluated, and with this suite?)"
        )
    if key not in entry:
        have = ", ".join(sorted(k for k in entry if "," in k and "_stderr," not in k)) or "none"
        raise MissingScore(
            f"{column}: the task {sub.task!r} has no metric {key!r} (it has: {have})"
        )
    value = entry[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise MissingScore(f"{column}: {sub.task!r} {key!r} is {value!r}, not a finite number")
    if not METRIC_RANGE[0] <= value <= METRIC_RANGE[1]:
        # lm-eval's accuracies and match rates are fractions: anything else is a corrupt file,
        # and would display as a score (-5) or outrank every real model (1e300).
        low, high = METRIC_RANGE
        raise MissingScore(
            f"{column}: {sub.task!r} {key!r} is {value!r}, outside the metric's range "
            f"[{low:g}, {high:g}]"
        )
    return float(value)


def score_benchmark(
    tasks: Mapping[str, Mapping[str, Any]], benchmark: Benchmark
) -> tuple[float, float]:
    """(raw 0–1, normalized 0–100) of one benchmark."""
    raws, norms = [], []
    for sub in benchmark.subtasks:
        raw = fmean(_metric(tasks, sub, key, benchmark.column) for key in benchmark.metrics)
        raws.append(raw)
        norms.append(normalize(raw, sub.random_baseline))
    return fmean(raws), fmean(norms)


def score(results: Mapping[str, Any], suite: Suite | str) -> dict[str, float]:
    """Every column of the suite, each ``<column> Raw`` twin, and ``Average``.

    ``results`` is lm-eval's results JSON (only its ``results`` mapping is required) or that
    mapping itself. Raises ``MissingScore`` naming the subtask or metric that is missing.
    """
    if isinstance(suite, str):
        suite = load_suite(suite)
    tasks = task_results(results)
    out: dict[str, float] = {}
    for benchmark in suite.benchmarks:
        raw, norm = score_benchmark(tasks, benchmark)
        out[benchmark.column] = norm
        out[benchmark.raw_column] = raw
    out[AVERAGE] = fmean(out[b.column] for b in suite.benchmarks)
    return out
