"""The environment variables the leaderboard reads, in one place, each with its default.

Only reading is here; the few places that set variables for a child process (the site build,
the demo) name them from here too.
"""

from __future__ import annotations

import os
import socket

#: The data repository, when it is not the folder of mkdocs.yml (the offline demo, the tests
#: and the benchmark build the project's site over other data).
REPO_ENV = "LEADERBOARD_REPO"
#: Overrides the site's address. Material's instant navigation only intercepts links found in
#: sitemap.xml, whose addresses keep site_url's path and port (it swaps only protocol and host),
#: so a preview served elsewhere (tests, the demo) must be built for its own address.
SITE_URL_ENV = "LEADERBOARD_SITE_URL"

#: Seconds to wait for one Hub answer when ``LEADERBOARD_HUB_TIMEOUT`` is unset.
DEFAULT_TIMEOUT = 30.0


def timeout() -> float:
    """Seconds to wait for the Hub's answer to one API call (``LEADERBOARD_HUB_TIMEOUT``).

    ``HfApi.model_info`` waits forever by default, so a Hub that accepts connections and never
    answers would hang CI's validation and the runner instead of saying "try again".
    """
    return float(os.environ.get("LEADERBOARD_HUB_TIMEOUT") or DEFAULT_TIMEOUT)


#: Seconds all the Hub checks of one request may take (``LEADERBOARD_HUB_REQUEST_SECONDS``).
DEFAULT_REQUEST_SECONDS = 180.0
#: Seconds all the Hub checks of one pull request may take (``LEADERBOARD_HUB_PR_SECONDS``):
#: validate.yml's job has 15 minutes, and must still write its report and comment.
DEFAULT_PR_SECONDS = 600.0
#: Bytes the Hub checks of one pull request may download (``LEADERBOARD_HUB_PR_BYTES``).
DEFAULT_PR_BYTES = 512 * 2**20


def hub_request_seconds() -> float:
    """The deadline of one request's Hub checks: a Hub that sends a byte every few seconds
    never trips the per-call :func:`timeout`, which restarts with every byte."""
    return float(os.environ.get("LEADERBOARD_HUB_REQUEST_SECONDS") or DEFAULT_REQUEST_SECONDS)


def hub_pr_seconds() -> float:
    """The deadline of all the Hub checks of one pull request."""
    return float(os.environ.get("LEADERBOARD_HUB_PR_SECONDS") or DEFAULT_PR_SECONDS)


def hub_pr_bytes() -> int:
    """How many bytes the Hub checks of one pull request may download, each file once."""
    return int(os.environ.get("LEADERBOARD_HUB_PR_BYTES") or DEFAULT_PR_BYTES)


def hub_endpoint() -> str | None:
    """``$HF_ENDPOINT`` when it points somewhere other than huggingface.co (a devhub, a
    mirror): whoever reproduces a result needs it to find the same model files."""
    url = (os.environ.get("HF_ENDPOINT") or "").rstrip("/")
    return url if url and url != "https://huggingface.co" else None


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


def site_repo() -> str | None:
    """``$LEADERBOARD_REPO``: the repository the site is built from, if not mkdocs.yml's."""
    return os.environ.get(REPO_ENV) or None


def site_url() -> str | None:
    """``$LEADERBOARD_SITE_URL``: the address the site is built for, over the settings'."""
    return os.environ.get(SITE_URL_ENV) or None


def github_actor() -> str | None:
    """``$GITHUB_ACTOR``: who triggered the workflow run, in GitHub Actions."""
    return os.environ.get("GITHUB_ACTOR") or None


def in_github_actions() -> bool:
    """Whether this runs in a GitHub Actions job (``$GITHUB_ACTIONS``)."""
    return os.environ.get("GITHUB_ACTIONS") == "true"


def step_summary_file() -> str | None:
    """``$GITHUB_STEP_SUMMARY``: the file a job step appends its Markdown summary to."""
    return os.environ.get("GITHUB_STEP_SUMMARY") or None


def devhub_log() -> bool:
    """``$DEVHUB_LOG``: print every request the devhub serves."""
    return bool(os.environ.get("DEVHUB_LOG"))


def bench_python() -> str | None:
    """``$LEADERBOARD_BENCH_PYTHON``: the interpreter the validate benchmark runs, as CI would."""
    return os.environ.get("LEADERBOARD_BENCH_PYTHON") or None


def gpu_check_python() -> str | None:
    """``$GPU_CHECK_PYTHON``: the Python version ``scripts/gpu-check.sh gather`` gathers wheels
    for, when not the GPU machine's (the install test gathers for the Python it runs on)."""
    return os.environ.get("GPU_CHECK_PYTHON") or None


def github_repository() -> str | None:
    """``$GITHUB_REPOSITORY``: ``owner/name`` of the repository a workflow runs for."""
    return os.environ.get("GITHUB_REPOSITORY") or None


def github_run_id() -> str | None:
    """``$GITHUB_RUN_ID``: the workflow run, in GitHub Actions."""
    return os.environ.get("GITHUB_RUN_ID") or None


def github_run_attempt() -> str:
    """``$GITHUB_RUN_ATTEMPT``: which attempt of the run (1 unless re-run)."""
    return os.environ.get("GITHUB_RUN_ATTEMPT") or "1"


def github_workflow_ref() -> str | None:
    """``$GITHUB_WORKFLOW_REF``: ``owner/repo/.github/workflows/file.yml@ref``, the workflow
    that runs (what GitHub puts in an OIDC token's ``workflow_ref`` claim)."""
    return os.environ.get("GITHUB_WORKFLOW_REF") or None


#: ``huggingface_hub`` (1.19 and later) trades the CI job's OIDC identity for a short-lived Hub
#: token scoped to this resource (``datasets/org/name``): Hugging Face's Trusted Publishers.
HF_OIDC_RESOURCE_ENV = "HF_OIDC_RESOURCE"


def hf_oidc_resource() -> str | None:
    """``$HF_OIDC_RESOURCE``, as the process had it."""
    return os.environ.get(HF_OIDC_RESOURCE_ENV) or None


def hf_token() -> str | None:
    """``$HF_TOKEN``: the stored Hub token of a workflow step (the fallback of OIDC)."""
    return os.environ.get("HF_TOKEN") or None
