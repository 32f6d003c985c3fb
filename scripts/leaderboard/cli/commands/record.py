"""``leaderboard record [BUNDLE…] [--claimed JSON]``: commit evaluation bundles as results and
statuses; claimed requests that sent no bundle are retried as infrastructure failures."""

from __future__ import annotations

import argparse
from pathlib import Path

from ...core.errors import LeaderboardError
from ..options import claimed_paths, commit_policy, git_options, progress_printer


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "record",
        parents=[git_options()],
        help="commit bundles written by `evaluate --no-git --out` (results, status)",
    )
    p.add_argument("bundles", nargs="*", type=Path, metavar="BUNDLE", help="bundle folders")
    p.add_argument(
        "--claimed",
        default=None,
        metavar="JSON",
        help="the requests claimed for these bundles, as `leaderboard claim --json` printed "
        "them (paths, or plans naming their request); those without a bundle count as failed "
        "runs and are retried",
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
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Record each bundle on its own: one refused or failed bundle never stops the others, and
    every claim ends recorded, retried, or (git refused the push) kept and raised at the end.

    With ``--claimed``, only the claimed requests are recorded, each from the artifact named
    for it; any other bundle found is ignored. What this prints may quote a bundle (a job
    without a write token wrote it): it goes through ``core.printable`` and, since the
    workflow appends it to the job summary, untrusted parts are code spans.
    """
    from ...core.errors import BundleRefused, RecordFailed
    from ...core.markdown import code
    from ...core.printable import EXCERPT, bounded
    from ...queue import attestation, bundles, records
    from ...queue.bundle_search import bundle_for, find_bundles
    from ...store import git
    from ...store.repo import Repo

    claimed = claimed_paths(args.claimed)
    repo = Repo(args.root)
    policy = commit_policy(args)
    show = progress_printer()
    todo: list[tuple[str | None, Path]] = [(None, b) for b in args.bundles]
    if args.search and args.claimed is not None:
        chosen = {rel: bundle_for(args.search, rel, alone=len(claimed) == 1) for rel in claimed}
        todo += [(rel, b) for rel, b in chosen.items() if b is not None]
        for other in sorted(set(find_bundles(args.search)) - set(chosen.values())):
            print(f"{code(other)}: not the artifact of a request this run claimed: ignored")
    elif args.search:
        found = find_bundles(args.search)
        show(f"{len(found)} bundle(s) in {args.search}")
        todo += [(None, b) for b in found]
    settings = repo.settings()
    signed: list[attestation.Recorded] = []
    done: set[str] = set()
    refused: dict[str, str] = {}
    failed: list[LeaderboardError] = []
    for expected, bundle in todo:
        committed: list[str] = []
        try:
            outcome, _ = bundles.read_bundle(bundle)
            if expected is not None and outcome.request != expected:
                raise BundleRefused(
                    f"the artifact of {expected} holds a bundle for another request"
                )
            if claimed and outcome.request not in claimed:
                raise BundleRefused("its request was not claimed in this run")
            if outcome.request in done:
                raise BundleRefused("a second bundle for a request already recorded")
            state = records.record(repo, bundle, policy=policy, progress=show, recorded=committed)
        except BundleRefused as exc:
            why = bounded(exc, EXCERPT)
            print(f"{code(bundle)}: refused: {code(why)}")
            if expected is not None:
                refused[expected] = why
            continue
        except LeaderboardError as exc:  # git or the details store: the bundle is kept
            print(f"{code(bundle)}: not recorded (see the error below)")
            failed.append(exc)
            done.add(outcome.request)
            continue
        except Exception as exc:  # a shape no check foresaw: this bundle alone is given up
            why = bounded(f"{type(exc).__name__}: {exc}", EXCERPT)
            print(f"{code(bundle)}: refused: {code(why)}")
            if expected is not None:
                refused[expected] = why
            continue
        done.add(outcome.request)
        print(f"{outcome.request}: {state.status.value if state else 'status unchanged'}")
        if args.attest_plan is not None and settings.attestations:
            commit = git.head(repo.root) if git.is_git_repo(repo.root) else None
            signed += [attestation.recorded(repo, bundle, rel, commit) for rel in committed]
    for rel in claimed:
        if rel not in done:
            state = records.record_missing(repo, rel, policy=policy, refused=refused.get(rel))
            what = "its bundle was refused" if rel in refused else "no bundle"
            print(f"{rel}: {what}; {state.status.value if state else 'status unchanged'}")
    if args.attest_plan is not None and signed:
        attestation.write_plan(
            args.attest_plan,
            signed,
            settings_repo_url=settings.repo_url,
            artifacts=attestation.artifact_digests(show),
        )
        print(f"to attest: {len(signed)} result(s) and their index entries ({args.attest_plan})")
    if len(failed) == 1:
        raise failed[0]
    if failed:
        raise RecordFailed(" | ".join(str(exc) for exc in failed))
    return 0
