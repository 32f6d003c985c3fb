"""Maintainers' commands: flag, unflag, choice, do-not-submit, rename, remove, relaunch, codeowners.

Each prepares one curation act as file changes in the checkout (``leaderboard.curation``) and
prints what changed and the git commands that open the pull request. See docs/curation.md.
"""

from __future__ import annotations

import argparse
import sys

from ...checks import codeowners_rule
from ...core import codeowners, ids
from ...core.errors import LeaderboardError
from ...core.models import FlagCategory
from ...curation import acts
from ...store.files import write_text_atomic
from ...store.repo import Repo
from ..options import checkout


def register(sub: argparse._SubParsersAction) -> None:
    root = checkout()
    who = argparse.ArgumentParser(add_help=False)
    who.add_argument(
        "--maintainer",
        metavar="LOGIN",
        help="acting maintainer (default: `git config github.user`, then $GITHUB_ACTOR)",
    )

    p = sub.add_parser("flag", parents=[root, who], help="flag a model (maintainers)")
    p.add_argument("model", metavar="MODEL")
    p.add_argument("--sha", help="flag only this commit (default: every commit)")
    p.add_argument("--category", required=True, choices=[c.value for c in FlagCategory])
    p.add_argument(
        "--discussion", required=True, metavar="URL", help="link to the public discussion"
    )
    p.add_argument("--note", help="a short note shown with the flag")
    p.set_defaults(func=_flag)

    p = sub.add_parser("unflag", parents=[root], help="remove a model's flag (maintainers)")
    p.add_argument("model", metavar="MODEL")
    p.add_argument("--sha", help="remove only this commit's flag (default: all the model's flags)")
    p.set_defaults(func=_unflag)

    p = sub.add_parser("choice", parents=[root], help="edit the maintainer's choice (maintainers)")
    p.add_argument("action", choices=["add", "remove"])
    p.add_argument("org", metavar="ORG")
    p.set_defaults(func=_choice)

    p = sub.add_parser(
        "do-not-submit", parents=[root], help="edit the do-not-submit list (maintainers)"
    )
    p.add_argument("action", choices=["add", "remove"])
    p.add_argument("model", metavar="MODEL")
    p.add_argument("--reason", help="why (required to add), e.g. a link to the authors' request")
    p.set_defaults(func=_do_not_submit)

    p = sub.add_parser(
        "rename", parents=[root, who], help="move a model's files to its new Hub name (maintainers)"
    )
    p.add_argument("old", metavar="OLD")
    p.add_argument("new", metavar="NEW")
    p.set_defaults(func=_rename)

    p = sub.add_parser(
        "remove", parents=[root, who], help="take a model's rows off the leaderboard (maintainers)"
    )
    p.add_argument("model", metavar="MODEL")
    p.add_argument("--sha", help="remove only this commit (default: every commit)")
    p.add_argument("--reason", required=True, help="shown on the site")
    p.set_defaults(func=_remove)

    p = sub.add_parser(
        "relaunch",
        parents=[root, who],
        help="send a FAILED request back to the queue (maintainers)",
    )
    p.add_argument("request", metavar="REQUEST", help="path of the request file")
    p.add_argument("--note", required=True, help="why it should work this time")
    p.set_defaults(func=_relaunch)

    p = sub.add_parser(
        "codeowners",
        parents=[root],
        help="write (or --check) .github/CODEOWNERS from the maintainers in curation/settings.yaml",
    )
    p.add_argument("--check", action="store_true", help="exit 1 if CODEOWNERS disagrees")
    p.set_defaults(func=_codeowners)


def _show(prepared: acts.Prepared) -> int:
    print(prepared.render())
    return 0


def _flag(args: argparse.Namespace) -> int:
    repo = Repo(args.root)
    return _show(
        acts.flag(
            repo,
            args.model,
            sha=args.sha,
            category=args.category,
            discussion=args.discussion,
            maintainer=acts.default_login(repo, args.maintainer),
            note=args.note,
        )
    )


def _unflag(args: argparse.Namespace) -> int:
    return _show(acts.unflag(Repo(args.root), args.model, sha=args.sha))


def _choice(args: argparse.Namespace) -> int:
    act = acts.choice_add if args.action == "add" else acts.choice_remove
    return _show(act(Repo(args.root), args.org))


def _do_not_submit(args: argparse.Namespace) -> int:
    repo = Repo(args.root)
    if args.action == "remove":
        return _show(acts.do_not_submit_remove(repo, args.model))
    if not args.reason:
        raise LeaderboardError("do-not-submit add needs --reason")
    return _show(acts.do_not_submit_add(repo, args.model, reason=args.reason))


def _rename(args: argparse.Namespace) -> int:
    repo = Repo(args.root)
    login = acts.default_login(repo, args.maintainer)
    return _show(acts.rename(repo, args.old, args.new, maintainer=login))


def _remove(args: argparse.Namespace) -> int:
    repo = Repo(args.root)
    login = acts.default_login(repo, args.maintainer)
    return _show(acts.remove(repo, args.model, sha=args.sha, reason=args.reason, by=login))


def _relaunch(args: argparse.Namespace) -> int:
    repo = Repo(args.root)
    login = acts.default_login(repo, args.maintainer)
    return _show(acts.relaunch(repo, args.request, note=args.note, by=login))


def _codeowners(args: argparse.Namespace) -> int:
    repo = Repo(args.root)
    if args.check:
        problems = codeowners_rule.codeowners_problems(repo)
        for problem in problems:
            print(problem.render(), file=sys.stderr)
        return 1 if problems else 0
    text = codeowners.render_codeowners(repo.settings().maintainers)
    target = repo.root / ids.CODEOWNERS_PATH
    if target.exists() and target.read_text(encoding="utf-8") == text:
        print(f"{ids.CODEOWNERS_PATH} is up to date")
        return 0
    write_text_atomic(target, text)
    print(f"wrote {ids.CODEOWNERS_PATH}")
    return 0
