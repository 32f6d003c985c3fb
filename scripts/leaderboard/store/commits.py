"""Git as the database's transaction log: commit, push with retry, and the claim.

The runner's checkout is dedicated to it: on a conflict it resets to the remote and re-applies
its change, so it never merges by hand. A push that the remote rejects means someone else
wrote first; for a claim that is the lock working, for a record it means fetch, rebase (or
re-apply) and try again with a growing pause.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path

from ..core.errors import GitError, PushRejected
from .git import current_branch, git, head, run, text

#: Identity for commits when the checkout has none configured (CI, fresh clones).
DEFAULT_NAME = "leaderboard-runner"
DEFAULT_EMAIL = "runner@leaderboard.invalid"


#: What git says when another writer got there first: a non-fast-forward, or (two pushes at
#: the same instant) the remote failing to lock or update the branch.
_RACE_SIGNS = (
    "[rejected]",
    "non-fast-forward",
    "fetch first",
    "cannot lock ref",
    "failed to update ref",
    "incorrect old value",
)


def _identity(root: Path) -> list[str]:
    args = []
    if not git(root, "config", "user.name", check=False):
        args += ["-c", f"user.name={DEFAULT_NAME}"]
    if not git(root, "config", "user.email", check=False):
        args += ["-c", f"user.email={DEFAULT_EMAIL}"]
    return args


def commit(root: Path, paths: list[str], message: str) -> str | None:
    """Commit exactly ``paths``; return the new sha, or None if nothing changed."""
    if not paths:
        return None
    # --sparse: a job that checks out no results/ still commits the result it records.
    git(root, "add", "--sparse", "--", *paths)
    if not git(root, "diff", "--cached", "--name-only", "--", *paths):
        return None
    git(root, *_identity(root), "commit", "-q", "-m", message, "--", *paths)
    return head(root)


def fetch(root: Path, remote: str, branch: str) -> None:
    git(root, "fetch", "-q", remote, branch)


def reset_to_remote(root: Path, remote: str, branch: str) -> None:
    """Make the checkout exactly the remote's branch (the runner's clone is dedicated)."""
    fetch(root, remote, branch)
    git(root, "reset", "-q", "--hard", f"{remote}/{branch}")


def sync_clean(root: Path, remote: str, branch: str) -> None:
    """Catch up with the remote, refusing to throw away anything a person left here.

    The runner resets its checkout when it loses a race, so it starts only from a clean
    checkout with no commits the remote lacks.
    """
    if git(root, "status", "--porcelain", "--untracked-files=no"):
        raise GitError(
            f"{root} has uncommitted changes: the runner needs a clean checkout of its own "
            "(commit or stash them, or use a separate clone)"
        )
    fetch(root, remote, branch)
    ahead = git(root, "rev-list", "--count", f"{remote}/{branch}..HEAD")
    if ahead != "0":
        raise GitError(
            f"{root} has {ahead} commit(s) that {remote}/{branch} lacks: push or drop them "
            "first; the runner never discards work"
        )
    git(root, "reset", "-q", "--hard", f"{remote}/{branch}")


def push(root: Path, remote: str, branch: str) -> None:
    """Push HEAD to ``remote``'s ``branch``; ``PushRejected`` if someone else pushed first."""
    proc = run(root, "push", "--porcelain", remote, f"HEAD:refs/heads/{branch}")
    if proc.returncode == 0:
        return
    output = text(proc.stdout + proc.stderr)
    if any(sign in output for sign in _RACE_SIGNS):
        raise PushRejected(f"the remote {remote} rejected the push to {branch}: {output}")
    raise GitError(f"git push to {remote} {branch} failed: {output}")


def pause(attempt: int, base: float = 0.2, cap: float = 10.0) -> None:
    """Exponential back-off with jitter, so racing runners spread out."""
    time.sleep(min(cap, base * 2**attempt) * (0.5 + random.random()))  # noqa: S311


def commit_and_push(
    root: Path,
    message: str,
    apply: Callable[[], list[str]],
    *,
    remote: str | None,
    branch: str | None = None,
    retries: int = 8,
) -> str | None:
    """Apply a change, commit it and push it, retrying when another writer got there first.

    ``apply`` writes files and returns their paths; it must be idempotent, because after a
    rebase that conflicts the checkout is reset to the remote and ``apply`` runs again on the
    newer state. Without ``remote``, only commits. Returns the commit sha (None: no change).
    """
    sha = commit(root, apply(), message)
    if remote is None or sha is None:
        return sha
    branch = branch or current_branch(root)
    for attempt in range(retries):
        try:
            push(root, remote, branch)
            return head(root)
        except PushRejected:
            pause(attempt)
            fetch(root, remote, branch)
            if run(root, "rebase", "-q", f"{remote}/{branch}").returncode != 0:
                # Someone changed the same file: start again from their state.
                run(root, "rebase", "--abort")
                git(root, "reset", "-q", "--hard", f"{remote}/{branch}")
                if commit(root, apply(), message) is None:
                    return head(root)
    raise GitError(f"could not push to {remote} {branch} after {retries} attempts")
