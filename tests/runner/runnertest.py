"""Helpers for the runner's tests: git, requests, and running the real CLI as a process."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from leaderboard.core.models import Request
from tests.lbtest import git


@dataclass
class Models:
    """Shas of the models published on the session's devhub."""

    root: Path
    shas: dict[str, str] = field(default_factory=dict)


@dataclass
class Queue:
    """A bare remote holding the leaderboard repository, and a way to make runner clones."""

    remote: Path
    tmp: Path

    def clone(self, name: str) -> Path:
        path = self.tmp / name
        git(self.tmp, "clone", "-q", str(self.remote), str(path))
        return path

    def remote_request(self, rel: str) -> Request:
        """A request as the remote's main branch has it now."""
        import yaml

        text = git(self.remote, "show", f"main:{rel}")
        return Request.model_validate(yaml.safe_load(text))

    def git_show(self, rel: str) -> str:
        """A file as the remote's main branch has it now."""
        return git(self.remote, "show", f"main:{rel}")

    def remote_files(self, prefix: str) -> list[str]:
        out = git(self.remote, "ls-tree", "-r", "--name-only", "main", prefix)
        return [line for line in out.splitlines() if line]


def leaderboard(
    *args: str, cwd: Path, env: dict[str, str], timeout: float = 240
) -> subprocess.CompletedProcess[str]:
    """Run the real CLI in its own process, as a runner machine would."""
    return subprocess.run(
        [sys.executable, "-m", "leaderboard", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def spawn(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "leaderboard", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
