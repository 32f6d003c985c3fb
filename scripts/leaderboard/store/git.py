"""The one module that runs git.

Every git process of the package starts in :func:`run` (or, for output read as it comes,
:func:`_log_fields`, and for a process that answers one question after another, :func:`start`),
so that every one of them gets the same safe defaults: git never waits
for a password nobody will type, and its words are in the C locale, which is what the
messages and parsers of the callers expect. Callers choose how a failure reads: :func:`git`
(text, ``GitError``) and :func:`git_bytes` (bytes, ``LeaderboardError``) here; the dev tools
put their own error types over :func:`run`.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from collections.abc import Generator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..core.env import github_actor
from ..core.errors import GitError, LeaderboardError

#: Under the caller's ``env``: a prompt would hang a runner or CI; C keeps git's words stable.
SAFE_ENV = {"GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}


def run(
    root: Path | str,
    *args: str,
    input: bytes | None = None,
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """Run ``git -C root ARGS`` and return what it did; never raises on git's failure.

    ``-C`` rather than a working directory, so that a missing ``root`` is git's error (an
    exit status and words) instead of an exception from starting the process. ``env`` is
    laid over the process's environment and :data:`SAFE_ENV`; bytes in and out, because
    some callers carry file contents and NUL-separated paths.
    """
    return subprocess.run(
        ["git", "-C", str(root), *args],
        input=input,
        capture_output=True,
        env={**os.environ, **SAFE_ENV, **(env or {})},
        check=False,
    )


def start(root: Path | str, *args: str) -> subprocess.Popen[bytes]:
    """Start ``git -C root ARGS`` with pipes to talk to it (``cat-file --batch``): the same
    safe defaults as :func:`run`, without the machine's system-wide config, errors dropped."""
    return subprocess.Popen(
        ["git", "-C", str(root), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **SAFE_ENV, "GIT_CONFIG_NOSYSTEM": "1"},
    )


def git(root: Path, *args: str, check: bool = True) -> str:
    """Run git in ``root`` and return its standard output, stripped."""
    proc = run(root, *args)
    if check and proc.returncode != 0:
        raise GitError(f"git {' '.join(args)} failed in {root}: {text(proc.stderr)}")
    return text(proc.stdout)


def git_bytes(repo: Path | str, *args: str, input: bytes | None = None) -> bytes:
    """Run git in ``repo``; a failure is an environment error (exit code 2), with git's words.

    Without the machine's system-wide git config, so that what the validator reads of a pull
    request does not depend on where it runs.
    """
    proc = run(repo, *args, input=input, env={"GIT_CONFIG_NOSYSTEM": "1"})
    if proc.returncode != 0:
        raise LeaderboardError(f"git {' '.join(args[:3])} failed: {text(proc.stderr)}")
    return proc.stdout


def text(data: bytes) -> str:
    """Stripped text that never raises: a name in another encoding must not hide git's words."""
    return data.decode(errors="replace").strip()


def github_login(root: Path) -> str | None:
    """Who is acting: `git config github.user` (set once by people), else $GITHUB_ACTOR (CI)."""
    return git(root, "config", "--get", "github.user", check=False) or github_actor()


def is_git_repo(root: Path) -> bool:
    return git(root, "rev-parse", "--is-inside-work-tree", check=False) == "true"


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD")


def current_branch(root: Path) -> str:
    branch = git(root, "rev-parse", "--abbrev-ref", "HEAD")
    if branch == "HEAD":
        raise GitError(f"{root} is on a detached HEAD: check out the branch the queue lives on")
    return branch


def blob_ids(root: Path, folder: str) -> dict[str, str]:
    """``path -> blob id`` of every file git's index holds under ``folder``: also the files a
    sparse checkout leaves out of the working tree. Empty outside a repository."""
    proc = run(root, "ls-files", "-s", "-z", "--", folder)
    if proc.returncode != 0:
        return {}
    out = {}
    for item in proc.stdout.split(b"\x00"):
        meta, _, path = item.partition(b"\t")
        fields = meta.split()
        if len(fields) == 3:
            out[path.decode(errors="surrogateescape")] = fields[1].decode()
    return out


def ignored(root: Path, paths: list[str]) -> dict[str, str]:
    """``path -> "source:line: pattern"`` for each of ``paths`` (relative to ``root``) that the
    checkout's ignore rules match, tracked or not (``--no-index``): a tracked file that a rule
    matches is still missing from every clone once it is deleted and added again. Empty outside
    a repository."""
    if not paths:
        return {}
    stdin = b"".join(p.encode(errors="surrogateescape") + b"\x00" for p in paths)
    proc = run(root, "check-ignore", "--no-index", "-v", "-z", "--stdin", input=stdin)
    # 0: some matched; 1: none did; anything else (not a repository): nothing to report.
    if proc.returncode != 0:
        return {}
    fields = proc.stdout.split(b"\x00")
    out = {}
    for i in range(0, len(fields) - 3, 4):
        source, line, pattern, path = (
            f.decode(errors="surrogateescape") for f in fields[i : i + 4]
        )
        if not pattern.startswith("!"):  # -v also names the paths a negation un-ignores
            out[path] = f"{source}:{line}: {pattern}"
    return out


def blob_id(data: bytes) -> str:
    """The id git gives a file with these bytes (``git hash-object``), without running git."""
    return hashlib.sha1(b"blob %d\x00" % len(data) + data, usedforsecurity=False).hexdigest()


_COMMIT_LINE = re.compile(rb"([0-9a-f]{40,64}) ([0-9]+) ([0-9a-f ]*)\x01(.*)", re.DOTALL)


@dataclass(frozen=True)
class Addition:
    """The commit that added a path on the first-parent line: its sha, committer time (Unix),
    number of parents and subject."""

    sha: str
    time: int
    parents: int
    subject: str

    @property
    def pull(self) -> int | None:
        """The pull request GitHub merged as this commit, as its subject says; None for any
        other commit (a maintainer's push, a rebase merge)."""
        return pull_number(self.subject, merge=self.parents > 1)


def additions(root: Path, paths: list[str], ref: str = "HEAD") -> dict[str, Addition]:
    """The commit that last added each of ``paths`` on ``ref``'s first-parent line.

    The first-parent line of ``main`` is its merge (or squash, or push) commits, which GitHub
    and the runner make; unlike ``submitted_at`` or a pull request's own commit dates, a
    submitter cannot choose them. A path re-added later counts from its last addition. Paths
    git cannot date are absent from the answer: not committed, or first seen at the edge of a
    shallow clone (where every file looks added).

    One ``git log`` of every addition, newest first, read until each path has been seen: a
    pending request is usually recent, so a long history is not walked to its start. No
    pathspec: git compares every entry of every commit's diff with each path it is given, so
    naming hundreds of pending requests in a long history took minutes.
    """
    wanted = set(paths)
    out: dict[str, Addition] = {}
    if not wanted:
        return out
    shallow = set(_shallow_commits(root))
    commit: Addition | None = None
    seen: set[str] = set()
    log = _log_fields(
        root,
        "log",
        "--first-parent",
        "--diff-filter=A",
        "--no-renames",
        "--format=%x00%H %ct %P%x01%s",
        "--name-only",
        "-z",
        ref,
        "--",
    )
    for field in log:
        field = field.strip(b"\n")
        head = _COMMIT_LINE.fullmatch(field)
        if head:
            sha = head.group(1).decode()
            parents = len(head.group(3).split())
            commit = (
                None
                if sha in shallow
                else Addition(sha, int(head.group(2)), parents, text(head.group(4)))
            )
        elif field:
            name = text(field)
            if name in wanted and name not in seen:  # newest first: the last addition counts
                seen.add(name)
                if commit is not None:
                    out[name] = commit
                if len(seen) == len(wanted):
                    break
    log.close()  # ends git if it is still writing
    return out


def added_at(root: Path, paths: list[str], ref: str = "HEAD") -> dict[str, int]:
    """When each of ``paths`` was added on ``ref``'s first-parent line: a Unix time (see
    :func:`additions`)."""
    return {path: added.time for path, added in additions(root, paths, ref).items()}


#: GitHub's subject for a pull request's merge commit, and for its squash commit: GitHub writes
#: the number first in the one and last in the other, around what the author chose.
_MERGE_SUBJECT = re.compile(r"^Merge pull request #([0-9]+) from \S")
_SQUASH_SUBJECT = re.compile(r"\(#([0-9]+)\)$")


def pull_number(subject: str, *, merge: bool) -> int | None:
    """The pull request a merge commit's (``merge``: two parents) or a squash commit's subject
    names, as GitHub writes it; None when it names none."""
    match = (_MERGE_SUBJECT if merge else _SQUASH_SUBJECT).search(subject.strip())
    return int(match.group(1)) if match else None


def messages(root: Path, grep: str, ref: str = "HEAD") -> Generator[tuple[str, str], None, None]:
    """``(author e-mail, message)`` of each commit on ``ref``'s first-parent line with a line
    matching ``grep`` (a regular expression), newest first; none when git cannot say. Closing
    the generator ends git."""
    log = _log_fields(
        root, "log", "--first-parent", "-z", f"--grep={grep}", "--format=%ae%x01%B", ref, "--"
    )
    try:
        for record in log:
            email, sep, body = text(record).partition("\x01")
            if sep:
                yield email.strip("\n"), body
    finally:
        log.close()


def _log_fields(root: Path, *args: str) -> Generator[bytes, None, None]:
    """The NUL-separated fields of git's standard output, as git writes them; none when git
    fails (not a repository, no such ref). Closing the generator ends the process."""
    proc = subprocess.Popen(
        ["git", "-C", str(root), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **SAFE_ENV},
    )
    assert proc.stdout is not None
    rest = b""
    try:
        while chunk := os.read(proc.stdout.fileno(), 1 << 16):  # what is there, as it comes
            *fields, rest = (rest + chunk).split(b"\x00")
            yield from fields
        if rest:
            yield rest
    finally:
        proc.kill()
        proc.stdout.close()
        proc.wait()


def added_by(root: Path, path: str, ref: str = "HEAD") -> str | None:
    """The commit on ``ref``'s first-parent line that last added ``path``: on ``main``, the
    merge (or squash) commit of the pull request that brought it, or a maintainer's push.
    ``None`` when git cannot say (not committed, or at the edge of a shallow clone)."""
    proc = run(
        root,
        "log",
        "--first-parent",
        "--diff-filter=A",
        "--no-renames",
        "-n",
        "1",
        "--format=%H",
        ref,
        "--",
        path,
    )
    sha = text(proc.stdout).strip() if proc.returncode == 0 else ""
    if not sha or sha in _shallow_commits(root):
        return None
    return sha


def _shallow_commits(root: Path) -> list[str]:
    """The commits at the edge of a shallow clone (none in a full one)."""
    proc = run(root, "rev-parse", "--git-path", "shallow")
    if proc.returncode != 0:
        return []
    file = Path(root) / text(proc.stdout)
    return file.read_text().split() if file.is_file() else []


def commit_time(
    root: Path, ref: str = "HEAD", path: str | None = None, *, author: bool = False
) -> int | None:
    """The committer (or ``author``) time of ``ref``, or of its last commit touching ``path``.

    A rebase keeps the author time, so a submitter's rebased branch still matches its file.
    """
    fmt = "--format=%at" if author else "--format=%ct"
    args = ["log", "-1", fmt, ref, *(["--", path] if path else [])]
    proc = run(root, *args)
    value = text(proc.stdout)
    return int(value) if proc.returncode == 0 and value.isdigit() else None
