"""Fast scans over many request files, which read a field without parsing the file."""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path

from ..core.models import Request, Status
from .repo import Repo
from .yaml_strict import MAX_BYTES

_SUBMITTED_AT_RE = re.compile(rb"^submitted_at:\s*['\"]?([0-9T:.+\-Z ]+?)['\"]?\s*$", re.M)


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


def submitted_at_of(file: Path) -> datetime | None:
    with file.open("rb") as fh:
        match = _SUBMITTED_AT_RE.search(fh.read(MAX_BYTES))
    if not match:
        return None
    try:
        return datetime.fromisoformat(match.group(1).decode().strip().replace("Z", "+00:00"))
    except ValueError:
        return None


# -- the queue ----------------------------------------------------------------------------------


def requests_with_status(repo: Repo, status: Status) -> list[tuple[str, Request]]:
    """Requests in ``status``. Files that do not even mention it are skipped unparsed, which
    keeps a claim fast when most of 100,000 requests are long FINISHED."""
    marker = status.value.encode()
    out = []
    for rel in repo.request_files():
        if marker not in repo.path(rel).read_bytes():
            continue
        request = repo.load_request(rel)
        if request.status is status:
            out.append((rel, request))
    return out
