"""``leaderboard suite-tasks NAME --out DIR``: a suite's task YAMLs, ready for ``lm_eval``.

The reproduction command starts with this when a suite bundles tasks or a run pinned Hub
datasets: it writes the task files (absolute data paths; each pinned task's lm-eval file with
``dataset_kwargs.revision``), for ``lm_eval --include_path DIR``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..options import checkout


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "suite-tasks",
        parents=[checkout()],
        help="write a suite's lm-eval task files for --include_path",
    )
    p.add_argument("name", help="suite name")
    p.add_argument("--out", type=Path, required=True, help="folder to write")
    p.add_argument(
        "--pin",
        action="append",
        default=[],
        metavar="REPO@SHA",
        help="pin a Hub dataset to a commit (repeat); the suite's own pins apply without it",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import tempfile

    from ...core.errors import LeaderboardError
    from ...harness.task_data import PINS_DIR, render_pins, suite_datasets
    from ...harness.tasks import render_bundled_tasks
    from ...suites.loader import load_suite

    suite = load_suite(args.name, args.root)
    pins = dict(suite.datasets)
    for item in args.pin:
        repo, sep, sha = item.partition("@")
        if not sep or not sha:
            raise LeaderboardError(f"--pin {item!r}: expected REPO@SHA")
        pins[repo] = sha
    out = args.out.resolve()
    if suite.bundled_task_dir:
        print(render_bundled_tasks(suite, out))
    with tempfile.TemporaryDirectory(prefix="lb-suite-") as tmp:
        pinned = [d for d in suite_datasets(suite, Path(tmp)) if d.repo in pins]
    if pinned:
        print(render_pins(pinned, pins, out / PINS_DIR))
    if not suite.bundled_task_dir and not pinned:
        raise LeaderboardError(
            f"suite {suite.name!r} uses lm-eval's built-in tasks ({', '.join(suite.tasks)}) and "
            "no dataset is pinned: no files to write"
        )
    return 0
