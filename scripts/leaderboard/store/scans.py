"""Fast scans over many request files, and the order in which requests arrived.

One truth for the status: a request's own strict parse. The scan only skips, unparsed, a file
whose one ``status:`` line is in the canonical form ``status: FINISHED`` (what the runner and
``leaderboard submit`` write, and what validation requires of every new request, see
``store.request_file.canonical_problems``) for another status. Anything else (no status line,
a quoted value, a comment, flow style) is parsed, so whatever validation accepts, the runner
sees as the schema does.

The queue's order comes from git (``store.git.additions``, ``core.priority``), not from
``submitted_at``, which the submitter writes.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..core.errors import ValidationFailed
from ..core.models import Request, Status
from .repo import Repo
from .request_file import canonical_status
from .tolerant import Skipped, why

# --------------------------------------------------------------------------------------------
# Folders and one field, for duplicates and the rate limit (bounded by what a PR touches)
# --------------------------------------------------------------------------------------------


def folders_ignoring_case(parent: Path, name: str) -> list[str]:
    """Entries of ``parent`` equal to ``name`` ignoring case: Hub ids are case-insensitive."""
    try:
        with os.scandir(parent) as it:
            return [e.name for e in it if e.name.lower() == name.lower() and e.is_dir()]
    except (FileNotFoundError, NotADirectoryError):
        return []


def subfolders(folder: Path) -> list[str]:
    try:
        return [e.name for e in os.scandir(folder) if e.is_dir()]
    except (FileNotFoundError, NotADirectoryError):
        return []


def yaml_files(folder: Path) -> list[Path]:
    try:
        return [
            Path(e.path) for e in os.scandir(folder) if e.name.endswith(".yaml") and e.is_file()
        ]
    except (FileNotFoundError, NotADirectoryError):
        return []


# -- the queue ----------------------------------------------------------------------------------


def requests_with_status(
    repo: Repo, status: Status, skipped: Skipped | None = None
) -> list[tuple[str, Request]]:
    """Requests in ``status``. A file that states another status canonically is skipped
    unparsed, which keeps a claim fast when most of 100,000 requests are long FINISHED. A
    corrupt file is named in ``skipped`` (a warning) and left out: one bad file must not stop
    the queue."""
    skipped = skipped if skipped is not None else Skipped()
    out = []
    for rel in repo.request_files():
        try:
            stated = canonical_status(repo.path(rel).read_bytes())
            if stated is not None and stated is not status:
                continue
            # The strict reader, as validation's: a file it refuses is not run (few files
            # get here: those in ``status`` and those not in the canonical form).
            request = repo.read_request(rel)
        except (ValidationFailed, OSError, ValueError) as exc:
            skipped.add(rel, why(exc))
            continue
        if request.status is status:
            out.append((rel, request))
    return out
