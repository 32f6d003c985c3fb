"""``leaderboard notify``: tell submitters on their pull requests what became of their request."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..options import checkout

#: The login GITHUB_TOKEN comments as.
DEFAULT_BOT = "github-actions[bot]"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "notify",
        parents=[checkout()],
        help="comment on the pull request that added each request: its recorded outcome "
        "(--claimed), or a maintainer's relaunch, flag, rename or removal (--before/--after)",
    )
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument(
        "--claimed",
        metavar="JSON",
        help="the requests the record job recorded: a JSON list of paths, or of plans "
        "(as `leaderboard claim --json` prints them)",
    )
    what.add_argument("--before", metavar="SHA", help="main before the push (with --after)")
    p.add_argument("--after", metavar="SHA", default="HEAD", help="main after the push")
    p.add_argument(
        "--queue",
        type=Path,
        metavar="QUEUE_JSON",
        help="with --before/--after: the site's data/queue.json, built at --after; each "
        "request the push added is told its place in line and its estimated start",
    )
    p.add_argument("--repository", metavar="OWNER/NAME", help="default: $GITHUB_REPOSITORY")
    p.add_argument("--site-url", help="the site's address (default: the settings', else Pages')")
    p.add_argument("--bot", default=DEFAULT_BOT, help=f"our bot's login (default: {DEFAULT_BOT})")
    p.add_argument("--dry-run", action="store_true", help="print the comments, post nothing")
    p.set_defaults(func=run)


def _site_url(args: argparse.Namespace, repo, repository: str | None) -> str | None:
    from ...core import env
    from ...core.errors import LeaderboardError
    from ...store import gh, tolerant
    from ...store.tolerant import Skipped

    url = args.site_url or env.site_url() or tolerant.curation(repo, "settings", Skipped()).site_url
    if url or args.dry_run or not repository:
        return str(url) if url else None
    try:
        pages = gh.api(f"repos/{repository}/pages")
    except LeaderboardError:
        return None  # no Pages site: the comment says the row appears once published
    return pages.get("html_url") if isinstance(pages, dict) else None


def run(args: argparse.Namespace) -> int:
    from ...core import env
    from ...core.errors import LeaderboardError
    from ...store import git
    from ...store.repo import Repo
    from ...table import notify
    from ..options import claimed_paths

    repository = args.repository or env.github_repository()
    if not repository and not args.dry_run:
        raise LeaderboardError("notify needs --repository OWNER/NAME (or $GITHUB_REPOSITORY)")
    root = args.root.resolve()
    if args.claimed is not None:
        repo = Repo(root)
        notices = notify.outcome_notices(
            repo, claimed_paths(args.claimed), _site_url(args, repo, repository)
        )
    elif set(args.before) == {"0"} or git.run(root, "cat-file", "-e", args.before).returncode:
        print(f"notify: {args.before} is not a commit here (a new branch?): nothing to compare")
        return 0
    else:
        queue = None
        if args.queue is not None:
            try:
                queue = json.loads(args.queue.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                print(f"notify: {args.queue} cannot be read ({exc}): no place in line is told")
            if not isinstance(queue, list):
                queue = None
        notices = notify.curation_notices(
            root,
            args.before,
            args.after,
            queue=queue,
            site_url=_site_url(args, Repo(root), repository) if queue is not None else None,
        )
    if args.dry_run:
        for n in notices:
            print(f"--- {n.request} ({n.event})\n{n.marker}\n{n.body}\n")
        return 0
    for line in notify.deliver(root, str(repository), notices, args.bot):
        print(line)
    if not notices:
        print("notify: nothing to tell")
    return 0
