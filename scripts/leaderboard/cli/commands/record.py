"""``leaderboard record [BUNDLE…] [--claimed JSON]``: commit evaluation bundles as results and
statuses; claimed requests that sent no bundle are retried as infrastructure failures."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..options import add_git_options, claimed_paths, git_from, progress_printer


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "record", help="commit bundles written by `evaluate --no-git --out` (results, status)"
    )
    p.add_argument("bundles", nargs="*", type=Path, metavar="BUNDLE", help="bundle folders")
    p.add_argument(
        "--claimed",
        default=None,
        metavar="JSON",
        help="the requests claimed for these bundles, as `leaderboard claim --json` printed "
        "them (paths, or plans naming their request); those without a bundle count as failed "
        "runs and are retried",
    )
    p.add_argument(
        "--from",
        dest="search",
        type=Path,
        default=None,
        metavar="DIR",
        help="also record every bundle found in DIR, whatever its layout (download-artifact "
        "unpacks one artifact into DIR itself, several into DIR/<name>/)",
    )
    add_git_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ...queue import bundles, records
    from ...queue.bundle_search import find_bundles
    from ...store.repo import Repo

    claimed = claimed_paths(args.claimed)
    repo = Repo(args.root)
    git = git_from(args)
    show = progress_printer()
    reported = set()
    found = find_bundles(args.search) if args.search else []
    if args.search:
        show(f"{len(found)} bundle(s) in {args.search}")
    for bundle in [*args.bundles, *found]:
        outcome, _ = bundles.read_bundle(bundle)
        reported.add(outcome.request)
        state = records.record(repo, bundle, git=git, progress=show)
        print(f"{outcome.request}: {state.status.value if state else 'status unchanged'}")
    for rel in claimed:
        if rel not in reported:
            state = records.record_missing(repo, rel, git=git)
            print(f"{rel}: no bundle; {state.status.value if state else 'status unchanged'}")
    return 0
