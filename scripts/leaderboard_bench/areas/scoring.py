"""Benchmark area ``scoring``: the scores and standard errors of every row, in one process.

The table computes both for each result (``suites.scoring.score`` and
``suites.uncertainty.standard_errors``), so at 10,000 models they are part of every
``table --format json``, whose goal is 3 s. The results are lm-eval's real output for the
``leaderboard`` suite, as the record job commits it, each with its own random numbers. The
figures are CPU seconds: the work only computes, and on a busy machine the wall clock would
add the other processes' time.

Run it as ``python -m leaderboard_bench.areas.scoring [--quick] [--json]`` (or
``leaderboard bench --area scoring``).
"""

from __future__ import annotations

import argparse
import random
import time
from typing import Any

from leaderboard.core.models import BenchFigure
from leaderboard_bench import best_seconds, print_figures

AREA = "scoring"
#: Both functions together, per 10,000 results: a tenth of the table's goal.
GOAL_SECONDS = 0.3
SIZE = 10_000


def _results(n: int) -> list[dict[str, Any]]:
    from leaderboard.devtools.synthetic import _results as numbers
    from leaderboard.devtools.synthetic import _template
    from leaderboard.suites.loader import load_suite

    suite = load_suite("leaderboard")
    template = _template()
    rng = random.Random(0)  # noqa: S311 (made-up scores)
    out = []
    for _ in range(n):
        tasks = {task: dict(entry) for task, entry in template["results"].items()}
        for task, entry in numbers(suite, rng, real_size=False)["results"].items():
            tasks[task].update(entry)
        out.append({**template, "results": tasks})
    return out


def run(quick: bool = False) -> list[BenchFigure]:
    from leaderboard.suites.loader import load_suite
    from leaderboard.suites.scoring import score
    from leaderboard.suites.uncertainty import standard_errors

    n = 300 if quick else SIZE
    results = _results(n)
    suite = load_suite("leaderboard")
    seconds = {
        name: best_seconds(
            lambda function=function: [function(r, suite) for r in results], 5, time.process_time
        )
        for name, function in [("score()", score), ("standard_errors()", standard_errors)]
    }
    both = sum(seconds.values())
    figures = [
        BenchFigure(area=AREA, name=f"{name}, real-size results", size=n, value=s, unit="CPU s")
        for name, s in seconds.items()
    ]
    goal = GOAL_SECONDS * n / SIZE
    figures.append(
        BenchFigure(
            area=AREA,
            name="score() + standard_errors(), real-size results",
            size=n,
            value=both,
            unit="CPU s",
            goal=f"≤ {goal:g} CPU s",
            ok=both <= goal,
        )
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="300 results instead of 10,000")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    print_figures(run(quick=args.quick), as_json=args.json)


if __name__ == "__main__":
    main()
