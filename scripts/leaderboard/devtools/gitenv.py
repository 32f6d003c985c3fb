"""The git identity of what the dev tools, the benchmarks and the tests commit."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..core.errors import LeaderboardError
from ..store import git


def git_env(name: str) -> dict[str, str]:
    """Environment variables under which git commits as ``name`` on any machine: a fixed author
    and committer (``name@leaderboard.invalid``), and no system-wide config."""
    email = f"{name.lower()}@leaderboard.invalid"
    return {
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
        "GIT_CONFIG_NOSYSTEM": "1",
    }


def git_as(
    name: str,
    repo: Path | str,
    *args: str,
    input: bytes | None = None,
    env: Mapping[str, str] | None = None,
) -> bytes:
    """git in ``repo`` committing as ``name`` (so that it works where no identity is set); its
    output, or a ``LeaderboardError`` with git's words."""
    result = git.run(repo, *args, input=input, env={**git_env(name), **(env or {})})
    if result.returncode != 0:
        raise LeaderboardError(
            f"git {' '.join(args[:2])} failed in {repo}: {git.text(result.stderr)}"
        )
    return result.stdout
