"""``leaderboard suite-check [NAME...]``: check the repository's suites with lm-eval.

The same rules ``leaderboard validate`` applies to a pull request that changes a suite (its
schema, its baselines, and that its tasks and metric keys exist in lm-eval's task files, without
building lm-eval's full index), for every suite under ``suites/`` or the ones named.
"""

from __future__ import annotations

import argparse

from ..options import checkout


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "suite-check", parents=[checkout()], help="check the repository's suite files with lm-eval"
    )
    p.add_argument("names", nargs="*", metavar="NAME", help="suites to check (default: all)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ...checks.report import Report
    from ...checks.suite_rules import check_suites
    from ...core.ids import SUITES_DIR
    from ...core.models import Change, ChangeKind
    from ...harness.suite_check import check_suite_tasks
    from ...store.repo import Repo
    from ...suites.loader import SUITE_FILE

    repo = Repo(args.root)
    names = args.names or sorted(
        p.parent.name for p in repo.root.glob(f"{SUITES_DIR}/*/{SUITE_FILE}")
    )
    changes = [Change(kind=ChangeKind.added, path=f"{SUITES_DIR}/{n}/{SUITE_FILE}") for n in names]
    report = Report()
    report.checked = [c.path for c in changes]
    # Every suite is judged as new: without a base there is no version to compare with.
    report.problems = check_suites(repo, repo, changes, repo.settings(), check_suite_tasks)
    print(report.text())
    return report.exit_code()
