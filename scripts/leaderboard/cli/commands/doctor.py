"""``leaderboard doctor``: check what a deployment must have for the rules to hold."""

from __future__ import annotations

import argparse

from ..options import checkout


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "doctor",
        parents=[checkout()],
        help="check the deployment: validate required, re-checked in the merge queue",
        description=(
            "Asks GitHub (through `gh`, with its token) whether the branch requires the "
            "'validate' check and re-checks pull requests at merge time (the merge queue, or "
            "branches up to date), and checks that validate.yml runs on merge_group. Each line "
            "says ok, missing, or unknown when GitHub would not say. Exit 0 all ok, 1 something "
            "missing, 2 something could not be checked."
        ),
    )
    p.add_argument(
        "--repository",
        metavar="OWNER/NAME",
        help="the GitHub repository (default: $GITHUB_REPOSITORY)",
    )
    p.add_argument("--branch", default="main", help="the branch submissions merge into")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ...checks.deployment import doctor
    from ...core.env import github_repository
    from ...core.errors import LeaderboardError

    repository = args.repository or github_repository()
    if not repository:
        raise LeaderboardError("which repository? pass --repository OWNER/NAME")
    findings = doctor(args.root, repository, args.branch)
    for finding in findings:
        print(finding.render())
    statuses = {f.status for f in findings}
    return 1 if "missing" in statuses else 2 if "unknown" in statuses else 0
