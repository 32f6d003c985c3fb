"""``leaderboard runner prepare``: fetch what a suite needs once, before any evaluation.

Datasets (at each pinned commit, or at ``main`` for an unpinned one) go into the Hugging Face
cache and nltk packages into nltk's data folder, so that evaluations then run with
``HF_DATASETS_OFFLINE=1`` and never download data in the middle of a run.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("runner", help="set up an evaluation runner")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    prep = actions.add_parser(
        "prepare", help="fetch the suite's datasets and nltk data into the caches, once"
    )
    prep.add_argument("--root", type=Path, default=Path("."), help="repository root")
    prep.add_argument("--suite", help="suite to prepare (default: settings.suite)")
    prep.add_argument("--json", action="store_true", help="print the dataset pins as JSON")
    prep.set_defaults(func=run)


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
