"""The git identity of what the dev tools, the benchmarks and the tests commit."""

from __future__ import annotations


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
