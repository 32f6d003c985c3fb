"""The ``leaderboard`` command: argument parsing only, over the library's functions.

Exit codes: 0 all good, 1 something is invalid (a rule was broken), 2 a usage or environment
error (bad arguments, the Hub unreachable, git failing).
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from .. import __version__
from ..core.errors import LeaderboardError, ValidationFailed
from . import commands


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="leaderboard",
        description=(
            "An open LLM leaderboard that runs on git: submit, validate, evaluate, publish."
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        importlib.import_module(f"{commands.__name__}.{info.name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ValidationFailed as exc:
        for problem in exc.problems:
            print(problem.render(), file=sys.stderr)
        return 1
    except LeaderboardError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
