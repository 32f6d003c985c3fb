"""``leaderboard record [BUNDLE…] [--claimed JSON]``: commit evaluation bundles as results and
statuses; claimed requests that sent no bundle are retried as infrastructure failures."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ...core.errors import LeaderboardError
from ..options import add_git_options, git_from, progress_printer


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "record", help="commit bundles written by `evaluate --no-git --out` (results, status)"
    )
    p.add_argument("bundles", nargs="*", type=Path, metavar="BUNDLE", help="bundle folders")
    p.add_argument(
        "--claimed",
        default=None,
        metavar="JSON",
        help="JSON list of the request paths claimed for these bundles (`leaderboard claim "
        "--json`); those without a bundle count as failed runs and are retried",
    )
    p.add_argument(
        "--from",
        dest="search",
        type=Path,
        default=None,
        metavar="DIR",
        help="also record every bundle found in DIR, whatever its layout (download-artifact "
        "unpacks one artifact into DIR itself, several into DIR/<name>/)",
    )
    p.add_argument(
        "--attest-plan",
        type=Path,
        default=None,
        metavar="DIR",
        help="write what the workflow's actions/attest step signs into DIR (subjects.sha256, "
        "predicate.json, recorded.json): every result committed here and its index entry; "
        "nothing when `attestations: false` in the settings or nothing was recorded",
    )
    add_git_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ...queue import attestation, bundles, records
    from ...queue.bundle_search import find_bundles
    from ...store import git as store_git
    from ...store.repo import Repo

    claimed = _claimed(args.claimed)
    repo = Repo(args.root)
    git = git_from(args)
    show = progress_printer()
    reported = set()
    found = find_bundles(args.search) if args.search else []
    if args.search:
        show(f"{len(found)} bundle(s) in {args.search}")
    settings = repo.settings()
    signed: list[attestation.Recorded] = []
    for bundle in [*args.bundles, *found]:
        outcome, _ = bundles.read_bundle(bundle)
        reported.add(outcome.request)
        committed: list[str] = []
        state = records.record(repo, bundle, git=git, progress=show, recorded=committed)
        print(f"{outcome.request}: {state.status.value if state else 'status unchanged'}")
        if args.attest_plan is not None and settings.attestations:
            commit = store_git.head(repo.root) if store_git.is_git_repo(repo.root) else None
            signed += [attestation.recorded(repo, bundle, rel, commit) for rel in committed]
    for rel in claimed:
        if rel not in reported:
            state = records.record_missing(repo, rel, git=git)
            print(f"{rel}: no bundle; {state.status.value if state else 'status unchanged'}")
    if args.attest_plan is not None and signed:
        attestation.write_plan(
            args.attest_plan,
            signed,
            settings_repo_url=settings.repo_url,
            artifacts=attestation.artifact_digests(show),
        )
        print(f"to attest: {len(signed)} result(s) and their index entries ({args.attest_plan})")
    return 0


def _claimed(text: str | None) -> list[str]:
    if not text:
        return []
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LeaderboardError(f"--claimed is not JSON: {exc}") from None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LeaderboardError("--claimed must be a JSON list of request paths")
    return value
