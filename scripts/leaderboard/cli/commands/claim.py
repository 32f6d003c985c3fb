"""``leaderboard claim``: set pending requests RUNNING and push (the dispatch job's step)."""

from __future__ import annotations

import argparse
import json

from ..options import add_git_options, git_from, progress_printer


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("claim", help="claim up to --max pending requests for evaluation")
    p.add_argument(
        "--max",
        type=int,
        default=1,
        help="how many to claim (default: 1; at most 256, the jobs one Actions matrix can hold)",
    )
    p.add_argument("--runner", default=None, help="name recorded in the claim")
    p.add_argument("--json", action="store_true", help="print the claimed paths as a JSON list")
    add_git_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ...core import env
    from ...queue import claims
    from ...queue.matrix import MATRIX_LIMIT, capped
    from ...store.repo import Repo

    repo = Repo(args.root)
    name = args.runner or env.default_runner_name()
    git = git_from(args)
    show = progress_printer()
    claimed: list[str] = []
    limit = capped(args.max)
    if limit < args.max:
        show(f"--max {args.max} is more than one matrix can run; claiming {MATRIX_LIMIT}")
    for _ in range(limit):
        got = claims.claim(repo, runner=name, git=git)
        if got is None:
            break
        claimed.append(got.path)
        show(f"claimed {got.path} (attempt {got.request.attempts})")
    print(json.dumps(claimed) if args.json else "\n".join(claimed))
    return 0
