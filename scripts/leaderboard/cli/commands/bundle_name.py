"""``leaderboard bundle-name REQUEST``: the artifact name of one request's bundle in a run."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "bundle-name",
        help="print the artifact name for a claimed request's bundle (the evaluate job's upload)",
    )
    p.add_argument("request", metavar="REQUEST", help="requests/ORG/MODEL/FILE.yaml")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ...queue.matrix import artifact_name

    print(artifact_name(args.request))
    return 0
