"""The per-suite plans of ``score`` and ``standard_errors`` give exactly what the rules give.

Both functions read a plan made once per suite and skip the general checks for the common
value (a plain float in range). The reference here is the rule written out plainly, with
``statistics.fmean`` and ``math.fsum`` over generators, on lm-eval's real-size output with
random numbers and random damage (missing tasks and metrics, zeros, ints, ``"N/A"``, NaN,
out-of-range values, negative zero, entries that are not mappings): every value must be equal
to the last bit (compared through ``json.dumps``, which tells -0.0 from 0.0), in the same key
order, and every error the same type with the same message.
"""

from __future__ import annotations

import gc
import json
import math
import random
from collections.abc import Callable, Mapping
from pathlib import Path
from statistics import fmean
from typing import Any

import pytest

from leaderboard.core.models import Suite
from leaderboard.devtools.synthetic import _results, _template
from leaderboard.suites.loader import load_suite
from leaderboard.suites.scoring import (
    AVERAGE,
    _metric,
    normalize,
    score,
    suite_plan,
    task_results,
)
from leaderboard.suites.uncertainty import SE_SUFFIX, _stderr, standard_errors

FIXTURE = Path(__file__).parent / "fixtures" / "pythia-2.8b_leaderboard_results.json"
DAMAGE: list[object] = [
    *(0, 1, 0.0, -0.0, 1.0, 0.25, 0.5, 1 / 3, 5e-324, 1e-200, 3e-160),
    *(True, False, None, "N/A", "0.5", [0.3], {}),
    *(float("nan"), float("inf"), -1e-9, 1.0000001, 1e300),
]


def reference_score(results: Mapping[str, Any], suite: Suite) -> dict[str, float]:
    tasks = task_results(results)
    out: dict[str, float] = {}
    for b in suite.benchmarks:
        raws = [fmean(_metric(tasks, s.task, k, b.column) for k in b.metrics) for s in b.subtasks]
        norms = [normalize(r, s.random_baseline) for r, s in zip(raws, b.subtasks, strict=True)]
        out[b.column] = fmean(norms)
        out[b.raw_column] = fmean(raws)
    out[AVERAGE] = fmean(out[b.column] for b in suite.benchmarks)
    return out


def _combine(errors: list[float | None]) -> float | None:
    if not errors or any(e is None for e in errors):
        return None
    return math.sqrt(math.fsum(e * e for e in errors if e is not None)) / len(errors)


def reference_errors(results: Mapping[str, Any], suite: Suite) -> dict[str, float | None]:
    tasks = task_results(results)
    out: dict[str, float | None] = {}
    averaged = []
    for b in suite.benchmarks:
        raws = [_combine([_stderr(tasks.get(s.task), m) for m in b.metrics]) for s in b.subtasks]
        norms = [
            None if r is None else r / (1.0 - s.random_baseline) * 100.0
            for r, s in zip(raws, b.subtasks, strict=True)
        ]
        out[b.column + SE_SUFFIX] = _combine(norms)
        out[b.raw_column + SE_SUFFIX] = _combine(raws)
        averaged.append(out[b.column + SE_SUFFIX])
    out[AVERAGE + SE_SUFFIX] = _combine(averaged)
    return out


def _outcome(function: Callable[..., dict], *args: object) -> tuple[object, ...]:
    try:
        value = function(*args)
    except Exception as exc:  # the error itself is what is compared
        return ("error", type(exc), str(exc))
    return ("value", json.dumps(value), list(value))


def _same(results: Mapping[str, Any], suite: Suite) -> None:
    assert _outcome(score, results, suite) == _outcome(reference_score, results, suite)
    assert _outcome(standard_errors, results, suite) == _outcome(reference_errors, results, suite)


def _damage(tasks: dict[str, Any], rng: random.Random) -> None:
    for _ in range(rng.choice([0, 0, 1, 2, 3])):
        if not tasks:
            return
        task = rng.choice(sorted(tasks))
        roll = rng.random()
        if roll < 0.1:
            del tasks[task]
        elif roll < 0.15:
            tasks[task] = rng.choice([None, [], [1], "x", 3, {}])
        elif isinstance(tasks[task], dict) and tasks[task]:
            key = rng.choice(sorted(tasks[task]))
            if roll < 0.25:
                del tasks[task][key]
            else:
                tasks[task][key] = rng.choice(DAMAGE)


@pytest.mark.parametrize("name", ["leaderboard", "demo"])
def test_random_real_size_results_score_exactly_as_the_reference(name):
    suite = load_suite(name)
    base = _template()
    rng = random.Random(name)
    outcomes = set()
    for _ in range(1500):
        tasks = {k: dict(v) for k, v in base["results"].items()} if name == "leaderboard" else {}
        for task, entry in _results(suite, rng, real_size=False)["results"].items():
            tasks.setdefault(task, {}).update(entry)
        _damage(tasks, rng)
        body = {**base, "results": tasks}
        for results in (body, tasks, {**body, "groups": {"extra": {}, **base["groups"]}}):
            _same(results, suite)
        outcomes.add(("score", _outcome(score, body, suite)[0]))
        errors = _outcome(standard_errors, body, suite)
        known = errors[0] == "value" and json.loads(errors[1])[AVERAGE + SE_SUFFIX] is not None
        outcomes.add(("errors", errors[0], known))
    # The damage reached every path: scores and errors, values known and unknown, refusals.
    assert outcomes >= {
        ("score", "value"),
        ("score", "error"),
        ("errors", "value", True),
        ("errors", "value", False),
    }


def test_the_real_fixture_scores_exactly_as_the_reference():
    pythia = json.loads(FIXTURE.read_text())
    _same(pythia, load_suite("leaderboard"))
    _same(pythia["results"], load_suite("leaderboard"))


def _one_task_suite(choices: int) -> Suite:
    return Suite.model_validate(
        {
            "name": "same",
            "version": "1",
            "lm_eval_version": "0.4.13",
            "tasks": ["t"],
            "benchmarks": [
                {
                    "column": "Q",
                    "metrics": ["acc,none"],
                    "subtasks": [{"task": "t", "choices": choices}],
                }
            ],
        }
    )


def test_each_suite_object_has_its_own_plan():
    results = {"results": {"t": {"acc,none": 0.75, "acc_stderr,none": 0.01}}}
    four, two = _one_task_suite(4), _one_task_suite(2)
    assert suite_plan(four) is suite_plan(four)
    # Same name and version, another baseline: another plan.
    assert score(results, four)["Q"] == pytest.approx(200 / 3)
    assert score(results, two)["Q"] == pytest.approx(50.0)
    assert standard_errors(results, four)["Q SE"] == pytest.approx(4 / 3)
    assert standard_errors(results, two)["Q SE"] == pytest.approx(2.0)
    # A suite made after another is gone often lands at its address: it must not get its plan.
    del four, two
    for round_ in range(50):
        choices = 2 + round_ % 3
        suite = _one_task_suite(choices)
        expected = normalize(0.75, 1 / choices)
        assert score(results, suite)["Q"] == expected
        assert standard_errors(results, suite)["Q SE"] == 0.01 / (1 - 1 / choices) * 100
        del suite
        gc.collect()
