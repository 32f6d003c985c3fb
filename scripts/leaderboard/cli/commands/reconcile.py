"""``leaderboard reconcile``: recover RUNNING requests whose runner went silent."""

from __future__ import annotations

import argparse
import json

from ..options import commit_policy, git_options


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "reconcile",
        parents=[git_options()],
        help="RUNNING longer than settings.reconcile_timeout_hours: back to PENDING, or FAILED",
    )
    p.add_argument("--json", action="store_true", help="print the changes as JSON")
    p.add_argument(
        "--ask-github",
        action="store_true",
        help="count a run's age from when its evaluate job started, asking GitHub through `gh` "
        "($GITHUB_REPOSITORY); a job still waiting for a runner is left alone",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ...core import env
    from ...core.errors import LeaderboardError
    from ...queue import reconciliation, run_state
    from ...store.repo import Repo

    job_start = None
    if args.ask_github:
        repository = env.github_repository()
        if repository is None:
            raise LeaderboardError("--ask-github needs $GITHUB_REPOSITORY (owner/name)")
        job_start = run_state.github_job_starts(repository)
    changes = reconciliation.reconcile(
        Repo(args.root), policy=commit_policy(args), job_start=job_start
    )
    rows = [
        {
            "path": rel,
            "status": new.status.value,
            "attempts": new.attempts,
            "reason": new.failure_reason,
        }
        for rel, new in changes
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
    elif not rows:
        print("nothing to reconcile")
    for row in [] if args.json else rows:
        print(f"{row['path']}: RUNNING -> {row['status']} (attempts {row['attempts']})")
    return 0
