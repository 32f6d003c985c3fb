"""``leaderboard claim``: set pending requests RUNNING and push (the dispatch job's step)."""

from __future__ import annotations

import argparse
import json

from ..options import commit_policy, git_options, progress_printer


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "claim", parents=[git_options()], help="claim up to --max pending requests for evaluation"
    )
    p.add_argument(
        "--max",
        type=int,
        default=1,
        help="how many to claim (default: 1; at most 256, the jobs one Actions matrix can hold)",
    )
    p.add_argument("--runner", default=None, help="name recorded in the claim")
    p.add_argument(
        "--plan",
        action="store_true",
        help="plan each request on the runner pools first (see `leaderboard runner plan`), "
        "record the plan in its claim commit, and with --json print the plans; a request that "
        "cannot be planned stays PENDING",
    )
    p.add_argument(
        "--json",
        action="store_true",
        help="print the claimed paths as a JSON list (with --plan: a list of plans, each "
        "naming its request)",
    )
    p.add_argument(
        "--repository",
        metavar="OWNER/NAME",
        help="where the pull requests are, to count their votes when the settings turn votes "
        "on (default: $GITHUB_REPOSITORY; needs `gh` and GH_TOKEN)",
    )
    p.set_defaults(func=run)


def _votes(repo, args: argparse.Namespace, show):
    """The votes on the pending requests' pull requests, when the settings turn votes on;
    None otherwise, or when GitHub cannot be asked (the claim is then first come, first
    served, and says so)."""
    from ...core import env
    from ...core.errors import LeaderboardError
    from ...core.models import Status, utcnow
    from ...queue import votes
    from ...store import tolerant
    from ...store.scans import requests_with_status
    from ...store.tolerant import Skipped

    rules = tolerant.curation(repo, "settings", Skipped()).queue.votes
    if not rules.enabled:
        return None
    repository = args.repository or env.github_repository()
    if not repository:
        show(
            "votes are on but no repository is known (--repository or $GITHUB_REPOSITORY): "
            "claiming first come, first served"
        )
        return None
    try:
        pending = [
            (rel, r)
            for rel, r in requests_with_status(repo, Status.pending)
            if r.removed is None  # the order does not matter: every one is asked about
        ]
        seen = votes.ask_github(repo.root, repository, rules, pending, utcnow())
    except LeaderboardError as exc:
        show(f"votes could not be counted ({exc}): claiming first come, first served")
        return None
    show(f"votes counted on {len(seen.votes)} pending request(s)")
    return seen


def run(args: argparse.Namespace) -> int:
    from ...core import env
    from ...core.errors import LeaderboardError
    from ...core.models import Request, RunPlan
    from ...queue import claims
    from ...queue.matrix import MATRIX_LIMIT, capped
    from ...queue.plans import describe, request_plan
    from ...store.repo import Repo

    repo = Repo(args.root)
    name = args.runner or env.default_runner_name()
    policy = commit_policy(args)
    show = progress_printer()
    claimed: list[claims.Claim] = []
    limit = capped(args.max)
    if limit < args.max:
        show(f"--max {args.max} is more than one matrix can run; claiming {MATRIX_LIMIT}")
    unplanned: set[str] = set()
    seen = _votes(repo, args, show)

    def planner(rel: str, request: Request) -> RunPlan:
        # The settings of the claim's own checkout, after its sync with the remote.
        try:
            return request_plan(repo.settings(), rel, request)
        except LeaderboardError:
            unplanned.add(rel)  # asked once per run: the next claims skip it
            raise

    for _ in range(limit):
        got = claims.claim(
            repo,
            runner=name,
            policy=policy,
            planner=planner if args.plan else None,
            skip=set(unplanned),
            progress=show,
            votes=seen,
        )
        if got is None:
            break
        claimed.append(got)
        where = f" on {describe(got.plan)}" if got.plan else ""
        show(f"claimed {got.path} (attempt {got.request.attempts}){where}")
    if env.in_github_actions() and (summary := env.step_summary_file()):
        with open(summary, "a", encoding="utf-8") as fh:
            fh.write(summary_markdown(claimed))
    if args.json and args.plan:
        print(json.dumps([c.plan.model_dump(mode="json") for c in claimed if c.plan]))
    elif args.json:
        print(json.dumps([c.path for c in claimed]))
    else:
        print("\n".join(c.path for c in claimed))
    return 0


def summary_markdown(claimed: list) -> str:
    """The dispatch job's step summary: what was claimed, and where each will run."""
    from ...core.markdown import code, text

    if not claimed:
        return "Claimed: nothing pending\n"
    lines = [f"Claimed {len(claimed)} request(s):", ""]
    if all(c.plan for c in claimed):
        lines += ["| request | pool | GPUs | parallelism | memory (GB) | timeout (min) |"]
        lines += ["|---|---|---|---|---|---|"]
        lines += [
            f"| {code(c.path, in_table=True)} | {text(c.plan.pool)} | {c.plan.gpus} × "
            f"{c.plan.gpu_memory_gb:g} GB | {c.plan.parallelism} | {c.plan.memory_gb:g} | "
            f"{c.plan.timeout_minutes} |"
            for c in claimed
        ]
    else:
        lines += [f"- {code(c.path)}" for c in claimed]
    return "\n".join(lines) + "\n"
