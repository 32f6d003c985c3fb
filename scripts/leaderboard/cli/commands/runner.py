"""``leaderboard runner prepare`` and ``leaderboard runner plan``.

``prepare`` fetches what a suite needs once, before any evaluation: datasets (at each pinned
commit, or at ``main`` for an unpinned one) go into the Hugging Face cache and nltk packages
into nltk's data folder, so that evaluations then run with ``HF_DATASETS_OFFLINE=1`` and never
download data in the middle of a run.

``plan`` says which runner pool evaluates each request and how (``core.plan``): the one
answer validation, the claim and the queue also use.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..options import checkout


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("runner", help="set up an evaluation runner")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    prep = actions.add_parser(
        "prepare",
        parents=[checkout()],
        help="fetch the suite's datasets and nltk data into the caches, once",
    )
    prep.add_argument("--suite", help="suite to prepare (default: settings.suite)")
    prep.add_argument("--json", action="store_true", help="print the dataset pins as JSON")
    prep.set_defaults(func=run)
    plan = actions.add_parser(
        "plan",
        parents=[checkout()],
        help="which runner pool evaluates each request, and how (GPUs, memory, args)",
    )
    plan.add_argument("requests", nargs="+", metavar="REQUEST", help="request files")
    plan.add_argument(
        "--json",
        action="store_true",
        help="print a JSON list: request, pool, labels, gpus, parallelism, memory_gb, "
        "model_args, and more (an entry with `error` for a request no pool can run)",
    )
    plan.set_defaults(func=run_plan)


def run(args: argparse.Namespace) -> int:
    import tempfile

    from ...harness.task_data import prepare
    from ...store.repo import Repo
    from ...suites.loader import load_suite

    repo = Repo(args.root)
    suite = load_suite(args.suite or repo.settings().suite, repo.root)
    with tempfile.TemporaryDirectory(prefix="lb-prepare-") as tmp:
        pins = prepare(suite, Path(tmp), progress=lambda line: print(line, flush=True))
    if args.json:
        print(json.dumps(pins, indent=2))
    else:
        print(f"suite {suite.name} v{suite.version}: {len(pins)} dataset repo(s) cached")
    return 0


def run_plan(args: argparse.Namespace) -> int:
    """Exit 0 when every request has a plan, 1 when one cannot be planned (no pool holds it,
    or the Hub cannot count its parameters); 2 when the Hub is unreachable (try again)."""
    from ...core.errors import HubUnavailable, LeaderboardError, NoPoolFits
    from ...core.rules import Rule
    from ...queue.plans import describe, request_plan
    from ...store.repo import Repo

    repo = Repo(args.root)
    settings = repo.settings()
    entries: list[dict] = []
    lines: list[str] = []
    for given in args.requests:
        rel = _request_rel(repo.root, given)
        try:
            plan = request_plan(settings, rel, repo.read_request(rel))
        except HubUnavailable:
            raise
        except LeaderboardError as exc:
            entry = {"request": rel, "error": str(exc)}
            if isinstance(exc, NoPoolFits):
                entry["rule"] = Rule.runner_capacity.value
            entries.append(entry)
            lines.append(f"{rel}: cannot be planned: {exc}")
        else:
            entries.append(plan.model_dump(mode="json"))
            lines.append(f"{rel}: {describe(plan)}")
    print(json.dumps(entries, indent=2) if args.json else "\n".join(lines))
    return 1 if any("error" in e for e in entries) else 0


def _request_rel(root: Path, given: str) -> str:
    """A request path as the repository names it, whether given from the root or elsewhere."""
    path = Path(given)
    if not path.is_absolute() and not path.exists():
        return path.as_posix()
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
