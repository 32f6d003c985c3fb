"""``leaderboard bench``: run every benchmark area side by side and print one table of figures."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ...core.errors import LeaderboardError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "bench",
        help="measure every tracked performance figure and print one table",
        description="Runs each area of the benchmarks (leaderboard_bench, in a development "
        "install only) in one process and prints one table (area, figure, size, value, unit, "
        "goal, ok).",
    )
    p.add_argument("--area", action="append", metavar="AREA", help="only this area (repeatable)")
    p.add_argument("--quick", action="store_true", help="smaller sizes, fewer repeats")
    p.add_argument("--json", action="store_true", help="print the figures as a JSON list")
    p.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="also write the JSON list here (the site's Performance page reads "
        "bench-figures.json at the repository root)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    try:
        from leaderboard_bench import suite as bench_suite
    except ModuleNotFoundError as e:
        if e.name != "leaderboard_bench":
            raise
        raise LeaderboardError(
            "the benchmarks are not installed: they come with a development install of a "
            "checkout (bash scripts/dev.sh setup), not with the leaderboard's package"
        ) from None

    result = bench_suite.run_areas(args.area, quick=args.quick)
    if args.json:
        sys.stdout.write(bench_suite.to_json(result.figures))
    else:
        # Off a terminal (CI logs, pipes) rich assumes 80 columns and wraps every name.
        Console(width=None if sys.stdout.isatty() else 160).print(bench_suite.table(result.figures))
    if args.out:
        bench_suite.write_json(result.figures, args.out)
    if result.errors:
        for area, trace in result.errors.items():
            print(f"area {area} failed:\n{trace}", file=sys.stderr)
        raise LeaderboardError(f"benchmark areas failed: {', '.join(result.errors)}")
    return 0
