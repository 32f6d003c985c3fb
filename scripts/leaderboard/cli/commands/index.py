"""``leaderboard index rebuild|check``: the result index the site is built from.

Each result has a small entry under ``index/`` (see ``store.result_index``), written by the
record job in the commit of its result. ``check`` compares every entry with its raw result and
names each difference by file and field (exit 1); ``rebuild`` writes the entries again from the
raw results (and removes entries whose result is gone), for a repository made before the index
or after a hand edit. Both need a checkout that holds ``results/``.
"""

from __future__ import annotations

import argparse

from ..options import checkout


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "index", parents=[checkout()], help="check or rebuild the result index under index/"
    )
    p.add_argument(
        "action",
        choices=["check", "rebuild"],
        help="check: compare every entry with its raw result (exit 1 on a difference); "
        "rebuild: write the entries again from the raw results",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ...checks.report import Report
    from ...core.ids import RESULTS_DIR
    from ...store import result_index
    from ...store.repo import Repo

    repo = Repo(args.root)
    if args.action == "rebuild":
        written, removed = result_index.rebuild(repo)
        print(f"index: {len(written)} entr(ies) written, {len(removed)} removed")
        for rel in written:
            print(f"  wrote    {rel}")
        for rel in removed:
            print(f"  removed  {rel}")
        if written or removed:
            print("commit them with their results: git add index/ && git commit")
        return 0
    report = Report()
    report.checked = repo.result_files()
    report.problems = result_index.check(repo)
    if not report.checked:
        print(f"no results under {RESULTS_DIR}/ in this checkout: nothing to check")
    print(report.text())
    return report.exit_code()
