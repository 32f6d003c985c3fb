"""``leaderboard validate``: judge a pull request's data files (what CI runs on every PR)."""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ...core.env import in_github_actions, step_summary_file
from ...store.git import github_login
from ..options import checkout

if TYPE_CHECKING:
    from ...core.models import Problem


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "validate",
        parents=[checkout()],
        help="check the request and curation files changed since a base (or the given paths)",
        description=(
            "Checks every file changed since --base (default: the merge base with origin/main), "
            "or the given PATHs. Exit 0 valid, 1 invalid, 2 usage or environment error "
            "(including a Hub that cannot be reached: try again)."
        ),
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="files to check as new requests")
    p.add_argument(
        "--base",
        metavar="REF",
        help="git ref to compare with (default: merge base with origin/main)",
    )
    p.add_argument("--author", metavar="LOGIN", help="GitHub login of the pull request's author")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--json-file", type=Path, metavar="FILE", help="also write the JSON report here")
    p.add_argument(
        "--committed",
        action="store_true",
        help="compare commits only, ignoring uncommitted files (CI's clean checkout; faster)",
    )
    p.add_argument("--no-hub", action="store_true", help="skip the Hub checks (offline)")
    p.add_argument(
        "--head",
        metavar="REF",
        help="judge this commit, read from git's objects only (never checked out); the base "
        "branch's workflow passes the pull request's head this way",
    )
    p.add_argument(
        "--merge-group-ref",
        metavar="REF",
        default=None,
        help="in GitHub's merge queue: the group's ref (gh-readonly-queue/…/pr-N-…); the author "
        "is then the pull request's, asked from GitHub with `gh` when --author is empty",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import importlib.util

    from ...checks.validate import validate_repo

    suite_tasks: Callable[..., list[Problem]] | None = None
    if importlib.util.find_spec("lm_eval") is not None:
        from ...harness.suite_check import check_suite_tasks as suite_tasks

    author = args.author or None
    if author is None and args.merge_group_ref:
        from ...store.gh import pr_author

        author = pr_author(args.merge_group_ref)
    author = author or github_login(args.root)
    if author is None:
        print(
            "note: no --author (nor `git config github.user` or $GITHUB_ACTOR): the check of who "
            "may change what is skipped",
            file=sys.stderr,
        )
    with tempfile.TemporaryDirectory(prefix="leaderboard-base-") as tmp:
        report = validate_repo(
            args.root,
            base=args.base,
            paths=args.paths,
            author=author,
            hub=not args.no_hub,
            committed=args.committed,
            scratch=Path(tmp),
            suite_tasks=suite_tasks,
            head_ref=args.head,
        )
    if suite_tasks is None and "suite" in report.kinds.values():
        print(
            "note: lm-eval is not installed here, so the changed suite's tasks and metric keys "
            "were not checked (install the 'eval' extra, or run `leaderboard suite-check`)",
            file=sys.stderr,
        )
    if args.json_file:
        report.write_json(args.json_file)
    if args.json:
        import json

        print(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        print(report.text())
    if in_github_actions():
        if report.problems:
            print(report.annotations())
        summary = step_summary_file()
        if summary:
            with open(summary, "a", encoding="utf-8") as fh:
                fh.write(report.step_summary())
    return report.exit_code()
