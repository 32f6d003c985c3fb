"""Benchmarks, one module per area, each with ``run(quick: bool = False) -> list[BenchFigure]``.

``leaderboard bench`` runs them side by side and prints one table (``--json`` for machines).
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from leaderboard.core.models import BenchFigure
from leaderboard.devtools.gitenv import git_env

#: The checkout the benchmarks run from: they are never installed from a wheel.
CHECKOUT = Path(__file__).resolve().parents[2]


def devhub_env(url: str, hf_home: Path, **more: str) -> dict[str, str]:
    """The environment of a ``leaderboard`` command the benchmark runs against its devhub at
    ``url``: none of this machine's Hub or NLTK settings, its own Hub cache, and commits made
    as the bench."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "NLTK_"))}
    return env | {
        "HF_ENDPOINT": url,
        "HF_HOME": str(hf_home),
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "TOKENIZERS_PARALLELISM": "false",
        **git_env("bench"),
        **more,
    }


def print_figures(figs: Sequence[BenchFigure], *, as_json: bool, width: int = 50) -> None:
    """One area's figures as its ``python -m`` entry point prints them: JSON, or one line each
    with its goal and whether it was met."""
    if as_json:
        json.dump([f.model_dump() for f in figs], sys.stdout, indent=2, ensure_ascii=False)
        print()
        return
    for f in figs:
        ok = "" if f.ok is None else ("  ok" if f.ok else "  MISSED")
        goal = f"  (goal {f.goal})" if f.goal else ""
        print(f"{f.size or '':>7}  {f.name:<{width}} {f.value:10.3f} {f.unit}{goal}{ok}")


def best_seconds(
    action: Callable[[], object], repeats: int, clock: Callable[[], float] = time.perf_counter
) -> float:
    """The best of ``repeats`` timings: the figure least disturbed by other processes.

    ``clock`` is the wall clock unless told otherwise; ``time.process_time`` suits work that
    only computes, where the CPU seconds are the figure and other processes would add theirs.
    """
    times = []
    for _ in range(repeats):
        start = clock()
        action()
        times.append(clock() - start)
    return min(times)
