"""``leaderboard comment``: post validate's report as one sticky comment on the pull request."""

from __future__ import annotations

import argparse
from pathlib import Path

#: The login GITHUB_TOKEN comments as.
DEFAULT_BOT = "github-actions[bot]"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "comment",
        help="create or update the sticky validation comment on a pull request (uses `gh`)",
    )
    p.add_argument("report", type=Path, metavar="REPORT", help="the JSON file of validate")
    p.add_argument("--repository", required=True, metavar="OWNER/NAME")
    p.add_argument("--pr", required=True, metavar="NUMBER", help="the pull request's number")
    p.add_argument("--run-url", default="", help="the run's address, linked as the full log")
    p.add_argument("--bot", default=DEFAULT_BOT, help=f"our bot's login (default: {DEFAULT_BOT})")
    p.add_argument("--dry-run", action="store_true", help="print the body, post nothing")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ...checks import comment
    from ...core.errors import LeaderboardError
    from ...store import gh

    if not str(args.pr).isdigit():
        raise LeaderboardError(f"--pr {args.pr!r} is not a pull request number")
    text = (
        args.report.read_text(encoding="utf-8", errors="replace") if args.report.is_file() else None
    )
    body = comment.render(comment.parse_report(text), args.run_url)
    if args.dry_run:
        print(body)
        return 0
    repo, number = args.repository, args.pr
    existing = comment.find_own_comment(
        gh.api_list(f"repos/{repo}/issues/{number}/comments"), args.bot
    )
    if existing is None:
        gh.api(f"repos/{repo}/issues/{number}/comments", method="POST", body={"body": body})
        print(f"commented on #{number}")
    else:
        gh.api(f"repos/{repo}/issues/comments/{existing}", method="PATCH", body={"body": body})
        print(f"updated comment {existing} on #{number}")
    return 0
