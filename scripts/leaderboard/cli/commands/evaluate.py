"""``leaderboard evaluate``: claim a request, evaluate it with lm-eval, record the result."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ...core.errors import LeaderboardError
from ..options import commit_policy, git_options, progress_printer


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "evaluate",
        parents=[git_options()],
        help="claim the oldest pending request (or REQUEST_PATH), evaluate it, record the result",
    )
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("request", nargs="?", metavar="REQUEST_PATH", help="a pending request file")
    which.add_argument("--next", action="store_true", help="the oldest pending request")
    p.add_argument(
        "--all",
        action="store_true",
        help="with --next: repeat until none is pending (each request once per run)",
    )
    p.add_argument("--suite", default=None, help="suite to run (default: settings.suite)")
    p.add_argument("--limit", type=float, default=None, help="documents per task (for tests)")
    p.add_argument("--runner", default=None, help="this runner's name (default: host name)")
    p.add_argument("--batch-size", default=None, help="lm-eval batch size (default: auto on GPU)")
    p.add_argument("--device", default=None, help="cuda, cuda:0, cpu… (default: cuda if present)")
    p.add_argument("--cache", type=Path, default=None, help="lm-eval request cache folder")
    p.add_argument(
        "--no-git",
        action="store_true",
        help="evaluate only: no claim, no commit; write a bundle to --out for `leaderboard record`",
    )
    p.add_argument("--out", type=Path, default=None, help="bundle folder (with --no-git)")
    p.add_argument(
        "--plan",
        metavar="JSON",
        default=None,
        help="with --no-git: the request's run plan (`leaderboard claim --plan --json` made "
        "it): a split model gets parallelize=True and the plan's per-GPU memory budget, and "
        "the result records the pool",
    )
    p.add_argument("--json", action="store_true", help="print the outcomes as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ...core import env
    from ...harness.options import EvalOptions
    from ...queue import bundles, evaluation
    from ...store.repo import Repo
    from ...suites.loader import load_suite

    if args.all and not args.next:
        raise LeaderboardError("--all goes with --next")
    repo = Repo(args.root)
    name = args.runner or env.default_runner_name()
    limit = None if args.limit is None else (int(args.limit) if args.limit >= 1 else args.limit)
    batch = args.batch_size
    options = EvalOptions(
        limit=limit,
        batch_size=int(batch) if batch and batch.isdigit() else batch,
        device=args.device,
        cache_dir=args.cache,
    )
    show = progress_printer()
    outcomes = []
    if args.plan is not None and not args.no_git:
        raise LeaderboardError("--plan goes with --no-git (the evaluate job of evaluate.yml)")
    if args.no_git:
        if not (args.request and args.out):
            raise LeaderboardError("--no-git evaluates one REQUEST_PATH into --out DIR")
        suite = load_suite(args.suite or repo.settings().suite, repo.root)
        outcome = bundles.run_bundle(
            repo,
            args.request,
            suite,
            options,
            args.out,
            runner=name,
            progress=show,
            plan=_plan(args.plan),
        )
        outcomes.append(outcome)
    else:
        policy = commit_policy(args)
        if args.all:
            outcomes = evaluation.evaluate_all(
                repo, runner=name, policy=policy, options=options, suite=args.suite, progress=show
            )
        else:
            evaluated = evaluation.evaluate_request(
                repo,
                runner=name,
                policy=policy,
                options=options,
                suite=args.suite,
                only=args.request,
                progress=show,
            )
            outcomes = [evaluated] if evaluated else []
        if not outcomes:
            show("nothing is pending")
    if args.json:
        print(json.dumps([o.model_dump(mode="json") for o in outcomes], indent=2))
    else:
        for o in outcomes:
            category = o.failure_category.value if o.failure_category else "unclassified"
            detail = f" ({category}: {o.failure_reason})" if o.failure_reason else ""
            print(f"{o.request}: {o.status.value}{detail}")
    return 0


def _plan(text: str | None):
    from pydantic import ValidationError

    from ...core.models import RunPlan

    if text is None:
        return None
    try:
        return RunPlan.model_validate_json(text)
    except ValidationError as exc:
        raise LeaderboardError(f"--plan is not a run plan: {exc}") from None
