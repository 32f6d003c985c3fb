"""``leaderboard score RESULTS_JSON``: an lm-eval results file → the leaderboard's scores."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ...core.errors import LeaderboardError
from ..options import checkout


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "score",
        parents=[checkout()],
        help="print the raw and normalized scores and the average of an lm-eval results JSON",
    )
    p.add_argument("results", type=Path, metavar="RESULTS_JSON", help="lm-eval's results file")
    p.add_argument("--suite", default="leaderboard", help="suite whose scoring applies")
    p.add_argument("--json", action="store_true", help="print JSON, full precision")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ...suites.loader import load_suite
    from ...suites.scoring import score

    try:
        data = json.loads(args.results.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LeaderboardError(f"{args.results}: no such file") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise LeaderboardError(f"{args.results}: not a JSON file ({exc})") from None
    if not isinstance(data, dict):
        raise LeaderboardError(f"{args.results}: expected a JSON object")
    suite = load_suite(args.suite, args.root)
    scores = score(data, suite)
    if args.json:
        print(json.dumps(scores, indent=2))
        return 0
    _print_table(scores, suite.columns)
    return 0


def _print_table(scores: dict[str, float], columns: list[str]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table("column", "score", "raw")
    for column in columns:
        raw = scores.get(f"{column} Raw")
        table.add_row(column, f"{scores[column]:.2f}", "" if raw is None else f"{raw:.4f}")
    Console().print(table)
