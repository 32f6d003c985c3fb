"""``leaderboard verify MODEL``: check each of a model's results with ``gh attestation verify``,
and say what that proves and what it does not (``store.attestations``)."""

from __future__ import annotations

import argparse
import json
import shutil
import textwrap

from ...core.errors import LeaderboardError
from ..options import checkout


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "verify",
        parents=[checkout(repo_alias=False)],
        help="check a model's results against their signed attestations (needs `gh`)",
        description="Runs `gh attestation verify` on each result file of MODEL and on its index "
        "entry, as git holds them, and prints what was proven.",
    )
    p.add_argument("model", metavar="MODEL", help="the model's Hub id, org/name")
    p.add_argument(
        "--repo",
        default=None,
        metavar="OWNER/NAME",
        help="the GitHub repository that signed (default: each result's note, else the "
        "settings' repo_url)",
    )
    p.add_argument("--json", action="store_true", help="print the checks as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ...store import attestations as att
    from ...store.git import blob_ids
    from ...store.repo import Repo

    if shutil.which("gh") is None:
        raise LeaderboardError(
            "`gh` (the GitHub CLI) is not installed: see https://cli.github.com, then run "
            "`gh auth login` (verifying reads the attestations from GitHub's API)"
        )
    repo = Repo(args.root)
    results = att.model_results(repo, args.model)
    if not results:
        raise LeaderboardError(f"git holds no result of {args.model} in {repo.root}")
    notes = att.note_files(repo)
    index_blobs = blob_ids(repo.root, "index")
    fallback = args.repo or att.repository_of(repo.settings().repo_url)
    checks = []
    for result_rel, blob in results.items():
        note = att.note_for(repo, result_rel, blob, notes)
        repository = args.repo or (note.repository if note else fallback)
        if repository is None:
            raise LeaderboardError(
                f"{result_rel} has no attestation note and the settings name no repo_url: "
                "pass --repo OWNER/NAME"
            )
        workflow = note.signer_workflow if note and not args.repo else None
        for path, git_id in (
            (p, results.get(p) or index_blobs.get(p)) for p in att.subjects_of(result_rel)
        ):
            if git_id is None:
                checks.append(att.Verified(path, "", ok=False, reason="git holds no such file"))
                continue
            data = att.git_blob(repo, git_id)
            checks.append(att.verify_file(data, path, result_rel, repository, workflow))
    if args.json:
        print(
            json.dumps(
                {
                    "ok": all(c.ok for c in checks),
                    "proves": att.PROVES,
                    "does_not_prove": att.DOES_NOT_PROVE,
                    "files": [vars(c) for c in checks],
                },
                indent=2,
            )
        )
    else:
        for c in checks:
            print("\n".join(att.describe(c)))
        print()
        print(textwrap.fill(f"What a ✓ proves: {att.PROVES}.", 100))
        print(textwrap.fill(f"What it does not prove: {att.DOES_NOT_PROVE}.", 100))
    return 0 if all(c.ok for c in checks) else 1
