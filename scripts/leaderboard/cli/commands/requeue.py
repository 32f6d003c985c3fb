"""``leaderboard requeue --suite-version OLD``: re-queue the rows an older suite version scored.

Like the other maintainers' commands it only changes files in the checkout (each FINISHED
request whose latest result is from version OLD becomes PENDING, with a ``relaunches`` entry)
and prints the git commands that open the pull request; see docs/curation.md.
"""

from __future__ import annotations

import argparse

from ..options import checkout


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "requeue",
        parents=[checkout()],
        help="send the requests scored by an older suite version back to the queue (maintainers)",
    )
    p.add_argument(
        "--suite-version",
        required=True,
        metavar="OLD",
        help="re-queue the FINISHED requests whose latest result was made by this version",
    )
    p.add_argument("--note", help="why (default: says which versions)")
    p.add_argument(
        "--maintainer",
        metavar="LOGIN",
        help="acting maintainer (default: `git config github.user`, then $GITHUB_ACTOR)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ...curation import acts
    from ...curation.requeue import requeue_suite_version
    from ...store.repo import Repo

    repo = Repo(args.root)
    login = acts.default_login(repo, args.maintainer)
    prepared = requeue_suite_version(repo, args.suite_version, by=login, note=args.note)
    print(prepared.render())
    return 0
