"""A pull request's changes, read from git as data.

The validator never runs anything from a pull request: it asks git which paths changed and
reads their bytes. Paths come NUL-separated (``-z``) so that no name, however hostile, can be
misread, and files at other refs are read from git's object store (``cat-file``), where a
symbolic link is only a blob of text and never followed.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..core.errors import LeaderboardError, ValidationFailed
from ..core.ids import (
    CURATION_DIR,
    INDEX_DIR,
    REQUESTS_DIR,
    RESULTS_DIR,
    SUITES_DIR,
    is_safe_relpath,
)
from ..core.models import Change, ChangeKind, problem
from ..core.printable import EXCERPT
from ..core.rules import Rule
from .git import git_bytes, run, text

#: The folders whose files are data the validator judges (code is reviewed by people); suites
#: are maintainers' data like the curation files, and the index follows the results.
DATA_DIRS = (REQUESTS_DIR, RESULTS_DIR, INDEX_DIR, CURATION_DIR, SUITES_DIR)
_KINDS = {"A": ChangeKind.added, "M": ChangeKind.modified, "D": ChangeKind.deleted}
_SYMLINK_MODE = "120000"
SHA_OR_256 = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
_GITLINK_MODE = "160000"


def merge_base(repo: Path | str, ref: str = "origin/main", head: str = "HEAD") -> str:
    """The commit where ``head`` left ``ref``: what a pull request is compared to.

    A branch with several merge bases (it merged two commits of the base that the base merged
    too) is refused: git would pick one by the dates of their commits, which their authors
    write, and the diff from it need not be what merging the branch does.
    """
    try:
        found = git_bytes(repo, "merge-base", "--all", ref, head).decode().split()
    except LeaderboardError as exc:
        raise LeaderboardError(
            f"cannot find the merge base with {ref} ({exc}); fetch it (`git fetch origin main`) "
            "or pass --base REF"
        ) from None
    if len(found) > 1:
        raise ValidationFailed(
            [
                problem(
                    ".",
                    Rule.merge_conflict,
                    f"this branch has {len(found)} merge bases with {ref} (it merges "
                    f"commits that {ref} merged too), so what it changes depends on which one "
                    f"git picks: rebase it onto {ref} (`git rebase {ref}`) and push again",
                )
            ]
        )
    return found[0]


def merged_tree(repo: Path | str, base: str, head: str) -> tuple[str, list[str]]:
    """The tree that merging ``head`` into ``base`` gives, and the paths that conflict.

    What a pull request changes is what its merge changes on the base: diffing the branch from
    one merge base is not enough, since a branch that merges two commits of the base has
    several, and git picks one by the commit dates the branch's author wrote. ``git merge-tree
    --write-tree`` (git 2.38 or later) merges as GitHub does, without a working tree.
    """
    proc = run(repo, "merge-tree", "--write-tree", "-z", "--name-only", "--no-messages", base, head)
    fields = proc.stdout.decode("utf-8", errors="surrogateescape").split("\0")
    if proc.returncode in (0, 1) and SHA_OR_256.fullmatch(fields[0]):
        return fields[0], [f for f in fields[1:] if f]
    words = text(proc.stderr) or text(proc.stdout)
    if "unrelated histories" in words:
        raise ValidationFailed(
            [
                problem(
                    ".",
                    Rule.merge_conflict,
                    f"{head} shares no history with {base}: branch off the base branch "
                    "and add your files there",
                )
            ]
        )
    if "--write-tree" in words or "usage:" in words:
        raise LeaderboardError(
            f"git merge-tree --write-tree is not available ({words[:EXCERPT]}): judging a pull "
            "request's head (--head) needs git 2.38 or later"
        )
    raise LeaderboardError(f"git merge-tree failed: {words[:EXCERPT]}")


def changed_files(
    repo: Path | str, base: str, *, worktree: bool = True, head: str = "HEAD"
) -> list[Change]:
    """Data files that differ between ``base`` and the working tree, or ``HEAD``.

    With ``worktree``, uncommitted and untracked files count too, so that a request written by
    ``leaderboard submit`` is checked before it is even committed. Without it (CI, where the
    checkout is clean), only commits are compared: tree to tree, which never stats the
    100,000 files of the working tree.
    """
    target = [] if worktree else [head]
    out = git_bytes(
        repo, "diff", "--name-status", "-z", "-M", "--no-ext-diff", base, *target, "--", *DATA_DIRS
    )
    fields = out.decode("utf-8", errors="surrogateescape").split("\0")
    changes: list[Change] = []
    i = 0
    while i < len(fields) - 1:
        status = fields[i]
        if status.startswith(("R", "C")):
            old, new = fields[i + 1], fields[i + 2]
            if status.startswith("R"):
                changes.append(Change(kind=ChangeKind.renamed, path=new, old_path=old))
            else:
                changes.append(Change(kind=ChangeKind.added, path=new))
            i += 3
            continue
        kind = _KINDS.get(status[:1], ChangeKind.modified)  # T (type change) counts as modified
        changes.append(Change(kind=kind, path=fields[i + 1]))
        i += 2
    if worktree:
        others = git_bytes(
            repo, "ls-files", "-z", "--others", "--exclude-standard", "--", *DATA_DIRS
        )
        for path in others.decode("utf-8", errors="surrogateescape").split("\0"):
            if path:
                changes.append(Change(kind=ChangeKind.added, path=path))
    return sorted(changes, key=lambda c: c.path)


def export(repo: Path | str, ref: str, pathspecs: list[str], dest: Path) -> list[str]:
    """Write the files under ``pathspecs`` at ``ref`` into ``dest`` (regular files only).

    Used to give rules a base-branch view of just the folders a pull request touches, without
    checking out 100,000 files. Returns the paths written.
    """
    if not pathspecs:
        return []
    listing = git_bytes(repo, "ls-tree", "-r", "-z", ref, "--", *pathspecs).decode(
        errors="surrogateescape"
    )
    entries = []
    for item in listing.split("\0"):
        if not item:
            continue
        meta, path = item.split("\t", 1)
        mode, kind, oid = meta.split()
        if kind == "blob" and mode != _SYMLINK_MODE and is_safe_relpath(path):
            entries.append((path, oid))
    if not entries:
        return []
    batch = git_bytes(
        repo, "cat-file", "--batch", input="\n".join(oid for _, oid in entries).encode()
    )
    offset = 0
    written = []
    for path, _ in entries:
        header_end = batch.index(b"\n", offset)
        size = int(batch[offset:header_end].split()[2])
        data = batch[header_end + 1 : header_end + 1 + size]
        offset = header_end + 1 + size + 1
        target = dest / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(path)
    return written


def changed_entries(repo: Path | str, base: str, head: str = "HEAD") -> list[tuple[Change, bool]]:
    """Every path that differs between two commits, anywhere in the tree, with whether the new
    (or old) entry is a symbolic link or a submodule: what the trust boundary judges."""
    out = git_bytes(repo, "diff", "--raw", "-z", "-M", "--no-ext-diff", "--no-abbrev", base, head)
    fields = out.decode("utf-8", errors="surrogateescape").split("\0")
    entries: list[tuple[Change, bool]] = []
    i = 0
    while i < len(fields) - 1:
        meta = fields[i].lstrip(":").split()
        if len(meta) < 5:
            break
        old_mode, new_mode, status = meta[0], meta[1], meta[4]
        odd = bool({old_mode, new_mode} & {_SYMLINK_MODE, _GITLINK_MODE})
        if status.startswith(("R", "C")):
            old, new = fields[i + 1], fields[i + 2]
            kind = ChangeKind.renamed if status.startswith("R") else ChangeKind.added
            entries.append(
                (
                    Change(
                        kind=kind, path=new, old_path=old if kind is ChangeKind.renamed else None
                    ),
                    odd,
                )
            )
            i += 3
            continue
        kind = _KINDS.get(status[:1], ChangeKind.modified)
        entries.append((Change(kind=kind, path=fields[i + 1]), odd))
        i += 2
    return sorted(entries, key=lambda e: e[0].path)
