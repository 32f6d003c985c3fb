"""The environment variables the leaderboard reads, in one place, each with its default."""

from __future__ import annotations

import os
import socket

#: Seconds to wait for one Hub answer when ``LEADERBOARD_HUB_TIMEOUT`` is unset.
DEFAULT_TIMEOUT = 30.0


def timeout() -> float:
    """Seconds to wait for the Hub's answer to one API call (``LEADERBOARD_HUB_TIMEOUT``).

    ``HfApi.model_info`` waits forever by default, so a Hub that accepts connections and never
    answers would hang CI's validation and the runner instead of saying "try again".
    """
    return float(os.environ.get("LEADERBOARD_HUB_TIMEOUT") or DEFAULT_TIMEOUT)


def default_runner_name() -> str:
    """``$LEADERBOARD_RUNNER``, else the host name: recorded in claims and results."""
    return os.environ.get("LEADERBOARD_RUNNER") or socket.gethostname()


def ci_log_url() -> str | None:
    """The GitHub Actions run this process belongs to, if any: where its logs are."""
    parts = [os.environ.get(k) for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID")]
    if not all(parts) or not str(parts[0]).startswith("https://"):
        return None
    server, repository, run_id = parts
    return f"{server}/{repository}/actions/runs/{run_id}"
