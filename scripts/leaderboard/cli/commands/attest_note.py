"""``leaderboard attest-note --plan DIR``: after the workflow's signing step, commit one note
per attested result so that the site can say "attested" (``queue.attestation``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..options import commit_policy, git_options


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "attest-note",
        parents=[git_options()],
        help="commit the notes of results that actions/attest signed (from `record --attest-plan`)",
    )
    p.add_argument("--plan", type=Path, required=True, metavar="DIR", help="the plan's folder")
    p.add_argument("--attestation-id", default=None, help="actions/attest's attestation-id output")
    p.add_argument(
        "--attestation-url", default=None, help="actions/attest's attestation-url output"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ...queue.attestation import commit_notes
    from ...store.repo import Repo

    written = commit_notes(
        Repo(args.root),
        args.plan,
        policy=commit_policy(args),
        attestation_id=args.attestation_id,
        attestation_url=args.attestation_url,
    )
    for rel in written:
        print(f"attested: {rel}")
    return 0
