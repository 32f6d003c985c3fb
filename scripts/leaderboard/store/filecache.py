"""What a bulk reader derived from each file, kept between builds of one checkout.

At 10,000 models a rebuild after one new result would read and score 10,000 index entries to
change one row. This cache (of built rows: ``table.row_cache``) keeps, per entry, the value
built from some files and those files' identities (size, modification time in nanoseconds,
inode, as git's own index does): an entry is used only while every one of its files is
unchanged, and one changed file rebuilds only the entries that read it. The whole cache is
dropped when its ``salt`` changes (the code that builds the values, or the global inputs such
as the suite and curation files).

It lives in ``.cache/leaderboard/`` at the repository root (ignored by git, never published),
stores only JSON (never pickles: a cache must not be a way to run code), and is rebuilt from
the files themselves whenever it is missing, unreadable or stale: ``leaderboard cache clear``
removes it. A fresh checkout (CI) starts without one and pays the full read.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path
from typing import Any

import orjson

from .files import write_text_atomic

CACHE_DIR = ".cache/leaderboard"
_PACKAGE = Path(__file__).resolve().parents[1]


@cache
def code_fingerprint() -> str:
    """A digest of the package's source: values built by other code are not reused."""
    digest = hashlib.sha256()
    for file in sorted(_PACKAGE.rglob("*.py")):
        digest.update(file.relative_to(_PACKAGE).as_posix().encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


def identity(file: Path | str) -> list[int] | None:
    """What tells that a file changed without reading it; None when it does not exist."""
    try:
        st = os.stat(file)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


class FileCache:
    """Values keyed by name, each valid while the files it was built from are unchanged."""

    def __init__(self, root: Path, name: str, salt: str) -> None:
        self.root = root
        self.file = root / CACHE_DIR / f"{name}.json"
        self.salt = hashlib.sha256(f"{code_fingerprint()}\n{salt}".encode()).hexdigest()
        self.entries: dict[str, list[Any]] = {}
        self.used: dict[str, list[Any]] = {}
        self.changed = False
        try:
            stored = orjson.loads(self.file.read_bytes())
            if isinstance(stored, dict) and stored.get("salt") == self.salt:
                self.entries = stored.get("entries") or {}
        except (OSError, orjson.JSONDecodeError):
            pass  # no cache, or a broken one: everything is read from the files

    def get(self, key: str, rels: tuple[str, ...]) -> Any | None:
        """The value stored for ``key``, or None when any of ``rels`` changed since."""
        entry = self.entries.get(key)
        if entry is None or len(entry) != 2:
            return None
        ids = [identity(f"{self.root}/{rel}") for rel in rels]  # a Path costs twice the stat
        if entry[0] != ids or None in ids:
            return None
        self.used[key] = entry
        return entry[1]

    def put(self, key: str, rels: tuple[str, ...], value: Any) -> None:
        """Keep ``value``, built from ``rels`` as they are now."""
        self.used[key] = [[identity(f"{self.root}/{rel}") for rel in rels], value]
        self.changed = True

    def save(self) -> None:
        """Write the entries used in this run (entries of deleted files fall away)."""
        if not self.changed and len(self.used) == len(self.entries):
            return
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            ignore = self.file.parent / ".gitignore"
            if not ignore.exists():
                # Also in checkouts whose .gitignore does not name .cache/ (a data repository).
                ignore.write_text("*\n", encoding="utf-8")
            data = orjson.dumps({"salt": self.salt, "entries": self.used})
            write_text_atomic(self.file, data.decode())
        except OSError:
            pass  # a read-only checkout builds without a cache


def clear(root: Path) -> list[Path]:
    """Remove every cache file of the checkout at ``root``; returns what was removed."""
    folder = root / CACHE_DIR
    removed = sorted(folder.glob("*.json")) if folder.is_dir() else []
    for file in removed:
        file.unlink(missing_ok=True)
    return removed
