"""``leaderboard submit``: write a checked request file and say how to open the pull request."""

from __future__ import annotations

import argparse

from ...core.models import ModelType, Precision, WeightType
from ..options import checkout


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "submit",
        parents=[checkout()],
        help="resolve a model's revision on the Hub, check it, and write its request file",
        description=(
            "Resolves REV to its commit on the Hub, runs every check `leaderboard validate` runs, "
            "and writes requests/<org>/<model>/<sha>_<precision>_<chat|nochat>.yaml (status "
            "PENDING). Never overwrites a file. Prints the git commands that open the pull request."
        ),
    )
    p.add_argument("model", metavar="MODEL", help="Hub model id, org/name")
    p.add_argument(
        "--revision", default="main", metavar="REV", help="branch, tag or commit (default: main)"
    )
    p.add_argument("--precision", required=True, choices=[v.value for v in Precision])
    p.add_argument("--weight-type", default="Original", choices=[v.value for v in WeightType])
    p.add_argument(
        "--base-model", metavar="B", help="the base model (for Adapter and Delta weights)"
    )
    p.add_argument(
        "--base-revision",
        metavar="REV",
        help="the base model's branch, tag or commit, pinned as base_revision (default: main)",
    )
    p.add_argument("--model-type", required=True, choices=[v.value for v in ModelType])
    p.add_argument("--chat-template", action="store_true", help="evaluate with the chat template")
    p.add_argument(
        "--submitter", metavar="LOGIN", help="your GitHub login (default: git config github.user)"
    )
    p.add_argument(
        "--eval-results-pr",
        action="store_true",
        help="once evaluated, open a pull request with the scores (.eval_results/*.yaml) on the "
        "model's Hub repository, where this leaderboard allows it",
    )
    p.add_argument("--dry-run", action="store_true", help="check everything, write nothing")
    p.add_argument("--no-hub", action="store_true", help=argparse.SUPPRESS)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ...queue.submission import submit
    from ...store.git import github_login

    result = submit(
        args.root,
        model=args.model,
        revision=args.revision,
        precision=args.precision,
        weight_type=args.weight_type,
        base_model=args.base_model,
        base_revision=args.base_revision,
        model_type=args.model_type,
        use_chat_template=args.chat_template,
        submitter=args.submitter or github_login(args.root),
        dry_run=args.dry_run,
        eval_results_pr=args.eval_results_pr,
    )
    if args.dry_run:
        print(f"ok: {result.path} would be written (dry run; nothing written)")
        return 0
    print(f"wrote {result.path}\n\nOpen the pull request:\n")
    for command in result.git_commands:
        print(f"  {command}")
    return 0
