"""The one module that runs git."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from ..core.errors import GitError, LeaderboardError


def run_git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run git in ``root`` without prompting, in a stable locale; never raises."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    return subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, env=env, check=False
    )


def git(root: Path, *args: str, check: bool = True) -> str:
    """Run git in ``root`` and return its standard output, stripped."""
    proc = run_git(root, *args)
    if check and proc.returncode != 0:
        raise GitError(f"git {' '.join(args)} failed in {root}: {proc.stderr.strip()}")
    return proc.stdout.strip()


def github_login(root: Path) -> str | None:
    """Who is acting: `git config github.user` (set once by people), else $GITHUB_ACTOR (CI)."""
    return git(root, "config", "--get", "github.user", check=False) or (
        os.environ.get("GITHUB_ACTOR") or None
    )


def is_git_repo(root: Path) -> bool:
    return git(root, "rev-parse", "--is-inside-work-tree", check=False) == "true"


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD")


def current_branch(root: Path) -> str:
    branch = git(root, "rev-parse", "--abbrev-ref", "HEAD")
    if branch == "HEAD":
        raise GitError(f"{root} is on a detached HEAD: check out the branch the queue lives on")
    return branch


def git_bytes(repo: Path | str, *args: str, input: bytes | None = None) -> bytes:
    """Run git in ``repo``; a failure is an environment error (exit code 2), with git's words."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C"}
    result = subprocess.run(
        ["git", "-C", str(repo), *args], input=input, capture_output=True, env=env, check=False
    )
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip()
        raise LeaderboardError(f"git {' '.join(args[:3])} failed: {message}")
    return result.stdout
