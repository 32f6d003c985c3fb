"""``leaderboard cache clear``: forget what builds kept of this checkout's parsed files.

The cache (``.cache/leaderboard/``, see ``store.filecache``) is rebuilt from the files on the
next build; clearing it is never needed for correctness, only to measure a cold build or to
reclaim its space.
"""

from __future__ import annotations

import argparse

from ..options import checkout


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("cache", parents=[checkout()], help="the checkout's cache of built rows")
    p.add_argument("action", choices=["clear"])
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ...store.filecache import clear

    removed = clear(args.root.resolve())
    print(f"removed {len(removed)} cache file(s)")
    return 0
