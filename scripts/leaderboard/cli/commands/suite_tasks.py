"""``leaderboard suite-tasks NAME --out DIR``: a suite's task YAMLs, ready for ``lm_eval``.

The reproduction command of a bundled suite starts with this: it writes the task files with
absolute data paths, for ``lm_eval --include_path DIR``.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("suite-tasks", help="write a suite's lm-eval task files for --include_path")
    p.add_argument("name", help="suite name")
    p.add_argument("--out", type=Path, required=True, help="folder to write")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ...core.errors import LeaderboardError
    from ...harness.tasks import render_bundled_tasks
    from ...suites.loader import load_suite

    suite = load_suite(args.name)
    if not suite.bundled_task_dir:
        raise LeaderboardError(
            f"suite {suite.name!r} uses lm-eval's built-in tasks ({', '.join(suite.tasks)}): "
            "no files to write"
        )
    print(render_bundled_tasks(suite, args.out.resolve()))
    return 0
