"""Command-line options shared by the commands: the checkout every command reads, and the
git options of the runner's commands (evaluate, claim, record, reconcile, attest-note)."""

from __future__ import annotations

import argparse
import functools
import json
from pathlib import Path

from ..queue.claims import CommitPolicy


@functools.cache
def checkout(*, repo_alias: bool = True) -> argparse.ArgumentParser:
    """The parent parser of every command that reads the leaderboard's checkout: ``--root``,
    also spelled ``--repo`` (the name ``validate``, ``submit`` and ``doctor`` had, which CI's
    validate.yml uses). ``verify`` goes without the alias: its ``--repo`` is the GitHub
    repository, as in ``gh attestation verify``."""
    parent = argparse.ArgumentParser(add_help=False)
    names = ("--root", "--repo") if repo_alias else ("--root",)
    parent.add_argument(
        *names,
        dest="root",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="the leaderboard's checkout (default: .)",
    )
    return parent


@functools.cache
def git_options() -> argparse.ArgumentParser:
    """The parent parser of the commands that commit to the queue: the checkout, and where and
    whether to push."""
    parent = argparse.ArgumentParser(add_help=False, parents=[checkout()])
    parent.add_argument(
        "--push", action="store_true", help="push each commit (the claim's push is the lock)"
    )
    parent.add_argument("--remote", default="origin", help="remote to push to (default: origin)")
    parent.add_argument(
        "--branch", default=None, help="branch of the queue (default: the current one)"
    )
    return parent


def commit_policy(args: argparse.Namespace, *, enabled: bool = True) -> CommitPolicy:
    return CommitPolicy(
        enabled=enabled, remote=args.remote if args.push else None, branch=args.branch
    )


def console():
    """Progress for people goes to standard error, so --json output stays clean."""
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def progress_printer():
    out = console()

    def show(message: str) -> None:
        out.log(message, markup=False)

    return show


def claimed_paths(text: str | None) -> list[str]:
    """The request paths of ``--claimed``: what ``leaderboard claim --json`` printed, a list of
    paths, or with ``--plan`` a list of plans, each naming its ``request``."""
    from ..core.errors import LeaderboardError

    if not text:
        return []
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LeaderboardError(f"--claimed is not JSON: {exc}") from None
    if not isinstance(value, list):
        raise LeaderboardError("--claimed must be a JSON list of request paths or plans")
    paths = [v.get("request") if isinstance(v, dict) else v for v in value]
    named = [p for p in paths if isinstance(p, str) and p]
    if len(named) != len(paths):
        raise LeaderboardError("--claimed must be a JSON list of request paths or plans")
    return named
