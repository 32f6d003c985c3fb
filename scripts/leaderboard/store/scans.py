"""Which request files a tree holds, and the requests in one status.

One truth for the status: a request's own strict parse, by the reader validation uses, so
whatever validation accepts, the runner sees as the schema does.

The queue's order comes from git (``store.git.additions``, ``core.priority``), not from
``submitted_at``, which the submitter writes.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

from ..core.ids import REQUESTS_DIR
from ..core.models import Request, Status
from .objects import TREE, Objects, TooBig
from .repo import Repo
from .tolerant import Skipped, requests

# --------------------------------------------------------------------------------------------
# Which requests exist: for duplicates and the rate limit (bounded by what a PR touches)
# --------------------------------------------------------------------------------------------


class Folders(Protocol):
    """The folders and files of one tree of the repository: the base a pull request is judged
    against, on disk (:class:`DiskFolders`) or in git (:class:`GitFolders`)."""

    def subfolders(self, folder: str) -> list[str]:
        """Names of the folders in ``folder`` (repository-relative); none if it is missing."""
        ...

    def files(self, folder: str) -> list[str]:
        """Names of the regular files in ``folder``."""
        ...

    def read(self, rel: str, limit: int) -> bytes | None:
        """A regular file's bytes, None when it is missing, a link, or over ``limit``."""
        ...


class DiskFolders:
    """A checkout's folders (``leaderboard submit``, explicit paths): what is on disk."""

    def __init__(self, root: Path):
        self.root = root

    def subfolders(self, folder: str) -> list[str]:
        try:
            with os.scandir(self.root / folder) as it:
                return [e.name for e in it if e.is_dir(follow_symlinks=False)]
        except (FileNotFoundError, NotADirectoryError):
            return []

    def files(self, folder: str) -> list[str]:
        try:
            with os.scandir(self.root / folder) as it:
                return [e.name for e in it if e.is_file(follow_symlinks=False)]
        except (FileNotFoundError, NotADirectoryError):
            return []

    def read(self, rel: str, limit: int) -> bytes | None:
        file = self.root / rel
        if file.is_symlink() or not file.is_file() or file.stat().st_size > limit:
            return None
        return file.read_bytes()


class GitFolders:
    """One commit's folders, read from git's objects: the base as it is at that commit, whole,
    without exporting or checking out any of it: listing needs no file, only trees."""

    def __init__(self, objects: Objects, tree: str):
        self.objects, self.tree = objects, tree

    def _entries(self, folder: str) -> list[tuple[str, str, str]]:
        entry = self.objects.lookup(self.tree, folder)
        if entry is None or not entry.is_tree:
            return []
        return self.objects.children(entry.oid, folder)

    def subfolders(self, folder: str) -> list[str]:
        return [name for mode, name, _ in self._entries(folder) if mode == TREE]

    def files(self, folder: str) -> list[str]:
        return [name for mode, name, _ in self._entries(folder) if mode.startswith("100")]

    def read(self, rel: str, limit: int) -> bytes | None:
        entry = self.objects.lookup(self.tree, rel)
        if entry is None or not entry.is_file:
            return None
        try:
            return self.objects.blob(entry.oid, rel, limit)
        except TooBig:
            return None


def folders_ignoring_case(folders: Folders, parent: str, name: str) -> list[str]:
    """Folders of ``parent`` named ``name`` ignoring case: Hub ids are case-insensitive, so
    ``requests/Org/Good`` and ``requests/org/good`` hold the same model."""
    return sorted(n for n in folders.subfolders(parent) if n.lower() == name.lower())


def request_files_of(folders: Folders, org: str, name: str | None = None) -> list[str]:
    """``requests/<o>/<n>/*.yaml`` of every spelling ``o`` of ``org`` (and ``n`` of ``name``;
    every model of the namespace without it), sorted."""
    out = []
    for o in folders_ignoring_case(folders, REQUESTS_DIR, org):
        parent = f"{REQUESTS_DIR}/{o}"
        names = folders_ignoring_case(folders, parent, name) if name else folders.subfolders(parent)
        for n in names:
            out += [
                f"{parent}/{n}/{f}" for f in folders.files(f"{parent}/{n}") if f.endswith(".yaml")
            ]
    return sorted(out)


# -- the queue ----------------------------------------------------------------------------------


def requests_with_status(
    repo: Repo, status: Status, skipped: Skipped | None = None
) -> list[tuple[str, Request]]:
    """Requests in ``status``. A corrupt file is named in ``skipped`` (a warning) and left out:
    one bad file must not stop the queue."""
    skipped = skipped if skipped is not None else Skipped()
    return [(rel, r) for rel, r in requests(repo, skipped) if r.status is status]
