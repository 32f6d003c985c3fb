"""``leaderboard record BUNDLE…``: commit evaluation bundles as results and statuses."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..runner_cli import add_git_options, git_from, progress_printer


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "record", help="commit bundles written by `evaluate --no-git --out` (results, status)"
    )
    p.add_argument("bundles", nargs="+", type=Path, metavar="BUNDLE", help="bundle folders")
    add_git_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from .. import runner
    from ..repo import Repo

    repo = Repo(args.root)
    git = git_from(args)
    show = progress_printer()
    for bundle in args.bundles:
        state = runner.record(repo, bundle, git=git, progress=show)
        outcome, _ = runner.read_bundle(bundle)
        print(f"{outcome.request}: {state.status.value if state else 'status unchanged'}")
    return 0
