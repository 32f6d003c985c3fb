"""A commit's folders and files, read from git's object store within fixed bounds.

The validator reads a pull request as data, and a pull request is cheap to make huge: a few
kilobytes of objects can name a tree whose folders all share one subtree (millions of paths), a
blob built of deltas inflates to gigabytes, and 40,000 folders named as arguments are more than
a command line holds. So every read here goes through one ``git cat-file --batch`` process,
asked by object id (no path ever reaches a command line), and is bounded before it is made: an
object's size is asked before its bytes, a walk counts the entries it visits, an export counts
its files and bytes (:class:`Limits`). Going past a bound raises :class:`TooBig`, naming the
path, which the validator reports as a located problem.

A blob-less clone (CI's checkout, ``filter: blob:none``) holds every tree but no file contents,
and git fetches a missing blob on its own each time one is read. :meth:`Objects.export` asks
which of its blobs are missing and fetches them in one ``git fetch`` first.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ..core.errors import LeaderboardError
from ..core.ids import is_safe_relpath
from ..core.rules import Rule
from .git import git_bytes, start

TREE = "40000"
SYMLINK = "120000"
GITLINK = "160000"


@dataclass(frozen=True)
class Limits:
    """How much one validation may read of a pull request's objects."""

    #: One folder's tree object: 8 MiB is about 200,000 names.
    tree_bytes: int = 8 << 20
    #: Files and folders one walk, comparison or export may visit.
    entries: int = 100_000
    #: One file: the largest file the leaderboard keeps (a result) is 1 MiB.
    file_bytes: int = 2 << 20
    #: Every file of one export together.
    total_bytes: int = 256 << 20


class TooBig(LeaderboardError):
    """A bound of :class:`Limits` was reached at ``path``: nothing past it was read. ``rule``
    says which: ``size`` for one file, ``pr-size`` for the pull request as a whole."""

    def __init__(self, path: str, message: str, rule: Rule = Rule.pr_size):
        self.path, self.rule = path, rule
        super().__init__(message)


@dataclass(frozen=True)
class Entry:
    """One name in a tree: ``mode`` as git writes it (``100644``, ``40000``, ``120000``...)."""

    path: str
    mode: str
    oid: str

    @property
    def is_tree(self) -> bool:
        return self.mode == TREE

    @property
    def is_file(self) -> bool:
        """A regular file: not a folder, a symbolic link or a submodule (a gitlink)."""
        return self.mode.startswith("100")

    @property
    def odd(self) -> bool:
        """A symbolic link or a submodule: never data, whatever it points at."""
        return self.mode in (SYMLINK, GITLINK)


class Budget:
    """A count of entries visited, shared by the reads of one validation."""

    def __init__(self, limit: int):
        self.limit, self.used = limit, 0

    def spend(self, n: int, path: str) -> None:
        self.used += n
        if self.used > self.limit:
            raise TooBig(
                path or ".",
                f"reading this pull request visits more than {self.limit:,} files and folders "
                f"(stopped at {path or 'the top folder'}): split it into smaller ones",
            )


def _decode(name: bytes) -> str:
    return name.decode("utf-8", errors="surrogateescape")


class Objects:
    """Trees and blobs of the repository at ``repo``, through two long-lived ``cat-file``
    processes (sizes, contents); use it as a context manager so that they end."""

    def __init__(self, repo: Path | str, limits: Limits | None = None):
        self.repo = repo
        self.limits = limits or Limits()
        self._procs: dict[str, subprocess.Popen[bytes]] = {}
        self._trees: dict[str, list[tuple[str, str, str]]] = {}

    def __enter__(self) -> Objects:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for proc in self._procs.values():
            for stream in (proc.stdin, proc.stdout):
                if stream is not None:
                    stream.close()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self._procs.clear()

    # -- one object -----------------------------------------------------------------------------

    def _ask(self, mode: str, oid: str) -> tuple[str, int, IO[bytes]] | None:
        proc = self._procs.get(mode)
        if proc is None:
            proc = self._procs[mode] = start(self.repo, "cat-file", mode)
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write(oid.encode() + b"\n")
            proc.stdin.flush()
        except BrokenPipeError:
            raise LeaderboardError(f"git cat-file stopped in {self.repo}") from None
        header = proc.stdout.readline().split()
        if len(header) != 3:  # "<oid> missing", or git is gone
            return None
        return header[1].decode(), int(header[2]), proc.stdout

    def info(self, oid: str) -> tuple[str, int] | None:
        """An object's type and size, without reading it; None when the repository lacks it."""
        answer = self._ask("--batch-check", oid)
        return None if answer is None else answer[:2]

    def _contents(self, oid: str, size: int) -> bytes:
        answer = self._ask("--batch", oid)
        if answer is None or answer[1] != size:
            raise LeaderboardError(f"git cannot read object {oid} in {self.repo}")
        data = answer[2].read(size + 1)  # and the newline after it
        return data[:size]

    def blob(self, oid: str, path: str, limit: int | None = None) -> bytes:
        """A file's bytes; :class:`TooBig` when it is larger than ``limit``, unread."""
        limit = self.limits.file_bytes if limit is None else limit
        found = self.info(oid)
        if found is None or found[0] != "blob":
            raise LeaderboardError(f"git has no file {path} ({oid}) in {self.repo}")
        if found[1] > limit:
            raise TooBig(
                path, f"the file is {found[1]:,} bytes; at most {limit:,} are read", Rule.size
            )
        return self._contents(oid, found[1])

    # -- trees ----------------------------------------------------------------------------------

    def root(self, rev: str) -> str:
        """The tree of a commit (or a tree id itself)."""
        return git_bytes(self.repo, "rev-parse", "--verify", "--end-of-options", f"{rev}^{{tree}}")[
            :-1
        ].decode()

    def children(self, tree: str, path: str = "") -> list[tuple[str, str, str]]:
        """``(mode, name, oid)`` of every entry of one tree object, in git's order."""
        if tree in self._trees:
            return self._trees[tree]
        found = self.info(tree)
        if found is None or found[0] != "tree":
            raise LeaderboardError(f"git has no folder {path or '/'} ({tree}) in {self.repo}")
        if found[1] > self.limits.tree_bytes:
            raise TooBig(
                path or ".",
                f"the folder {path or '/'} is a tree of {found[1]:,} bytes; at most "
                f"{self.limits.tree_bytes:,} are read: split it",
            )
        data = self._contents(tree, found[1])
        width = len(tree) // 2  # 20 bytes of SHA-1, 32 of SHA-256
        out, i = [], 0
        while i < len(data):
            space = data.index(b" ", i)
            nul = data.index(b"\0", space)
            mode = data[i:space].decode()
            out.append(
                (mode, _decode(data[space + 1 : nul]), data[nul + 1 : nul + 1 + width].hex())
            )
            i = nul + 1 + width
        self._trees[tree] = out
        return out

    def lookup(self, tree: str, path: str) -> Entry | None:
        """The entry at ``path`` under ``tree``, or None."""
        oid, mode, done = tree, TREE, ""
        for part in path.split("/"):
            if mode != TREE:
                return None
            found = next((c for c in self.children(oid, done) if c[1] == part), None)
            if found is None:
                return None
            mode, _, oid = found
            done = f"{done}/{part}" if done else part
        return Entry(path, mode, oid)

    def walk(self, tree: str, prefix: str, budget: Budget) -> Iterator[Entry]:
        """Every entry under ``tree`` (whose path is ``prefix``), folders before their files."""
        stack = [(tree, prefix)]
        while stack:
            oid, folder = stack.pop()
            kids = self.children(oid, folder)
            budget.spend(len(kids), folder)
            for mode, name, child in kids:
                entry = Entry(f"{folder}/{name}" if folder else name, mode, child)
                yield entry
                if entry.is_tree:
                    stack.append((child, entry.path))

    def compare(
        self, old: str, new: str, budget: Budget, prefix: str = ""
    ) -> list[tuple[Entry | None, Entry | None]]:
        """The entries that differ between two trees, ``(old, new)`` (None where absent).

        Folders with the same id are skipped unread, as ``git diff-tree`` does; a folder on one
        side only is walked. Every entry that differs counts against the budget (one folder's
        names are bounded by :attr:`Limits.tree_bytes`): unlike ``git diff``, which collects
        every change before it writes the first, this stops there.
        """
        out: list[tuple[Entry | None, Entry | None]] = []
        stack = [(old, new, prefix)]
        while stack:
            a, b, folder = stack.pop()
            left = {n: (m, o) for m, n, o in (self.children(a, folder) if a else [])}
            right = {n: (m, o) for m, n, o in (self.children(b, folder) if b else [])}
            differ = sorted(n for n in left.keys() | right.keys() if left.get(n) != right.get(n))
            # Only what differs counts: the base's 100,000 requests are read, not visited.
            budget.spend(len(differ), folder)
            for name in differ:
                path = f"{folder}/{name}" if folder else name
                x = Entry(path, *left[name]) if name in left else None
                y = Entry(path, *right[name]) if name in right else None
                sub_a = x.oid if x and x.is_tree else ""
                sub_b = y.oid if y and y.is_tree else ""
                if sub_a or sub_b:
                    stack.append((sub_a, sub_b, path))
                leaf_x = x if x and not x.is_tree else None
                leaf_y = y if y and not y.is_tree else None
                if leaf_x or leaf_y:
                    out.append((leaf_x, leaf_y))
        return sorted(out, key=lambda pair: (pair[1] or pair[0]).path)  # type: ignore[union-attr]

    # -- exports --------------------------------------------------------------------------------

    def export(self, tree: str, paths: Iterable[str], dest: Path, budget: Budget) -> list[str]:
        """Write the regular files at or under each of ``paths`` of ``tree`` into ``dest``.

        Links, submodules and unsafe names are left out (the rules refuse them where they are
        changed). Every file's size is known before any is read: past a bound, nothing is
        written and :class:`TooBig` names the file.
        """
        files: dict[str, Entry] = {}
        folders: set[str] = set()
        for path in sorted(set(paths)):
            entry = self.lookup(tree, path)
            if entry is None:
                continue
            found = self.walk(entry.oid, path, budget) if entry.is_tree else [entry]
            if entry.is_tree:
                folders.add(entry.oid)
            else:
                parent = self.lookup(tree, path.rpartition("/")[0]) if "/" in path else None
                folders.add(parent.oid if parent else tree)
            for e in found:
                if e.is_file and is_safe_relpath(e.path):
                    files[e.path] = e
        self.prefetch(folders, {e.oid for e in files.values()})
        total = 0
        sizes = {}
        for path, e in sorted(files.items()):
            info = self.info(e.oid)
            if info is None:
                raise LeaderboardError(f"git has no file {path} ({e.oid}) in {self.repo}")
            size = info[1]
            if size > self.limits.file_bytes:
                raise TooBig(
                    path,
                    f"the file is {size:,} bytes; at most {self.limits.file_bytes:,} are read",
                    Rule.size,
                )
            total += size
            if total > self.limits.total_bytes:
                raise TooBig(
                    path,
                    f"the files this pull request touches hold more than "
                    f"{self.limits.total_bytes:,} bytes: split it into smaller ones",
                )
            sizes[path] = size
        for path, e in sorted(files.items()):
            target = dest / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(self._contents(e.oid, sizes[path]))
        return sorted(files)

    def prefetch(self, trees: Iterable[str], wanted: set[str]) -> None:
        """In a partial clone, fetch the ``wanted`` blobs it lacks in one ``git fetch``.

        ``git rev-list --missing=print`` lists what ``trees`` lack without fetching it (any
        other read would fetch each missing blob on its own).
        """
        remote = _promisor_remote(self.repo)
        roots = "\n".join(sorted(set(trees)))
        if remote is None or not wanted or not roots:
            return
        listed = git_bytes(
            self.repo, "rev-list", "--objects", "--missing=print", "--stdin", input=roots.encode()
        )
        missing = sorted(
            oid
            for line in listed.decode(errors="replace").splitlines()
            if line.startswith("?") and (oid := line[1:].strip()) in wanted
        )
        if missing:
            git_bytes(
                self.repo,
                "-c",
                "fetch.negotiationAlgorithm=noop",
                "fetch",
                "--quiet",
                "--no-tags",
                "--no-write-fetch-head",
                "--recurse-submodules=no",
                "--filter=blob:none",
                "--stdin",
                remote,
                input="\n".join(missing).encode() + b"\n",
            )


def _promisor_remote(repo: Path | str) -> str | None:
    """The remote a partial clone fetches missing objects from; None in a full clone."""
    try:
        listed = git_bytes(repo, "config", "--get-regexp", r"^remote\..*\.promisor$")
    except LeaderboardError:
        return None  # no such setting: a full clone
    for line in listed.decode(errors="replace").splitlines():
        key, _, value = line.partition(" ")
        if value.strip().lower() == "true":
            return key.removeprefix("remote.").removesuffix(".promisor")
    return None
