"""The Hub down, failing or slow: validation says "try again" (exit 2, no verdict on the model);
an evaluation ends as an infrastructure failure that goes back to PENDING, then FAILED at the
attempt limit, and a runner does not burn a request's attempts in one sitting.

The outages are real HTTP: nothing listening (down), a server answering 503 to everything
(failing), and one that accepts the connection and never answers in time (slow). The unreachable
case of ``validate`` with nothing listening is also in
``tests/submissions/test_validate_hub.py::test_an_unreachable_hub_means_try_again_exit_2``.
"""

from __future__ import annotations

import http.server
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace

import pytest

from leaderboard.core.models import FailureCategory, Status
from leaderboard.harness.options import EvalOptions
from leaderboard.queue import claims, evaluation
from leaderboard.store.repo import Repo
from tests.faults.faultkit import cli_env
from tests.lbtest import Queue, make_request, serving
from tests.submissions.submissions_helpers import open_pr, request_text

SHA = "d" * 40
#: Seconds the slow Hub takes to answer: far beyond the timeout the tests set.
SLOW_SECONDS = 60


class _OutageHandler(http.server.BaseHTTPRequestHandler):
    """Answers every request with 503 (``failing``) or not for a minute (``slow``)."""

    mode = "failing"

    def _answer(self) -> None:
        if self.mode == "slow":
            time.sleep(SLOW_SECONDS)
        body = b'{"error": "Service Unavailable"}'
        self.send_response(503)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_HEAD = _answer

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def outage(kind: str) -> Iterator[str]:
    """A Hub URL that is ``down`` (nothing listens), ``failing`` (503) or ``slow``."""
    if kind == "down":
        with socket.socket() as s:  # a port that was free a moment ago: nothing listens
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        yield f"http://127.0.0.1:{port}"
        return
    handler = type("Handler", (_OutageHandler,), {"mode": kind})
    try:
        with serving(handler) as url:
            yield url
    finally:
        import huggingface_hub

        huggingface_hub.close_session()


@pytest.fixture
def hub_down(monkeypatch: pytest.MonkeyPatch):
    """``hub_down(kind)``: point huggingface_hub, in this process and in children, at an outage.

    The client's own retries sleep 1, 2, 4, 8, 8 s on 5xx; those sleeps are cut to nothing
    (the retries still happen), and the Hub timeout is one second.
    """
    import huggingface_hub.constants as constants
    import huggingface_hub.utils._http as hf_http

    # Only huggingface_hub's view of ``time`` changes: the slow server must still be slow.
    monkeypatch.setattr(hf_http, "time", SimpleNamespace(sleep=lambda _s: None))
    monkeypatch.setenv("LEADERBOARD_HUB_TIMEOUT", "1")
    stack = []

    def start(kind: str) -> str:
        ctx = outage(kind)
        url = ctx.__enter__()
        stack.append(ctx)
        monkeypatch.setattr(constants, "ENDPOINT", url)
        template = url + "/{repo_id}/resolve/{revision}/{filename}"
        monkeypatch.setattr(constants, "HUGGINGFACE_CO_URL_TEMPLATE", template)
        monkeypatch.setenv("HF_ENDPOINT", url)
        return url

    yield start
    for ctx in stack:
        ctx.__exit__(None, None, None)


def _pull_request(checkout) -> str:
    rel, text = request_text("org/good", SHA)
    open_pr(checkout, {rel: text})
    return rel


@pytest.mark.parametrize("kind", ["failing", "slow"])
def test_validate_says_try_again_when_the_hub_fails_or_hangs(
    leaderboard_repo, hub_down, tmp_path, kind
):
    rel = _pull_request(leaderboard_repo)
    url = hub_down(kind)
    cmd = [sys.executable, "-m", "leaderboard", "validate", "--base", "origin/main"]
    start = time.monotonic()
    proc = subprocess.run(
        [*cmd, "--author", "bob", "--json"],
        cwd=leaderboard_repo.path,
        env=cli_env({"HF_ENDPOINT": url, "HF_HOME": str(tmp_path / "hf")}),
        capture_output=True,
        text=True,
        timeout=SLOW_SECONDS / 2,  # a hung client fails the test instead of blocking it
    )
    elapsed = time.monotonic() - start
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    report = json.loads(proc.stdout)
    assert report["retry"] is True
    (problem,) = report["problems"]
    assert problem["rule"] == "hub-unavailable" and problem["path"] == rel
    assert "says nothing about the model" in problem["message"]
    assert "try again" in problem["message"]
    assert elapsed < SLOW_SECONDS / 2


@pytest.mark.parametrize("kind", ["down", "failing", "slow"])
def test_an_evaluation_during_an_outage_is_retried_then_fails_as_infrastructure(
    tmp_path, hub_down, kind
):
    settings = "schema_version: 1\nsuite: demo\nmaintainers: [alice]\nmax_attempts: 2\n"
    queue = Queue.create(
        tmp_path,
        [make_request("acme/one", SHA, age_minutes=2), make_request("acme/two", SHA)],
        settings,
    )
    first, second = queue.files("requests")
    clone = queue.clone("runner")
    hub_down(kind)
    policy = claims.CommitPolicy(remote="origin", branch="main")
    options = EvalOptions(limit=2, device="cpu")

    def run_all() -> list:
        """What ``leaderboard evaluate --next --all`` does: evaluate until nothing is left."""
        return evaluation.evaluate_all(Repo(clone), runner="r1", policy=policy, options=options)

    outcomes = run_all()
    # One attempt each in this sitting: an outage must not burn every attempt in seconds.
    assert [o.request for o in outcomes] == [first, second]
    for outcome in outcomes:
        assert outcome.status is Status.failed
        assert outcome.failure_category is FailureCategory.infrastructure
        assert "Hub" in outcome.failure_reason
    for rel in (first, second):
        retry = queue.request(rel)
        assert (retry.status, retry.attempts, retry.runner) == (Status.pending, 1, None)
    assert queue.files("results") == []

    run_all()  # the next scheduled run: the outage goes on, and the limit is 2 attempts
    for rel in (first, second):
        failed = queue.request(rel)
        assert failed.status is Status.failed and failed.attempts == 2
        assert failed.failure_category is FailureCategory.infrastructure
        assert failed.failure_reason.startswith("gave up after 2 attempts; the last one: the Hub")
    assert queue.files("results") == []


def _http_error(status: int | None):
    import httpx2
    from huggingface_hub.errors import HfHubHTTPError

    request = httpx2.Request("GET", "http://hub.invalid/api/models/org/m")
    err = HfHubHTTPError(f"HTTP {status}", response=httpx2.Response(status or 500, request=request))
    if status is None:
        err.response = None  # what a request that never got a response carries
    return err


def _hub_errors():
    import httpx2
    from huggingface_hub import errors as hub_errors

    return [
        (_http_error(503), True),
        (_http_error(429), True),
        (_http_error(None), True),
        (_http_error(400), False),
        (httpx2.ConnectError("refused"), True),
        (hub_errors.LocalEntryNotFoundError("offline"), True),
        (TimeoutError("timed out"), True),
        (ConnectionError("reset by peer"), True),
        (OSError("We couldn't connect to 'https://huggingface.co'"), True),
        (ValueError("a bug of ours"), False),
    ]


def test_validation_and_the_runner_agree_on_what_an_outage_is():
    """One classification (``hub.outage.fault``): what validation calls "try again" is what
    the runner blames on the infrastructure and retries, and a refusal is the model's."""
    from leaderboard.harness.failures import classify
    from leaderboard.hub.outage import is_outage

    for exc, outage in _hub_errors():
        reason, category = classify(exc, "evaluate")
        assert is_outage(exc) is outage, exc
        if outage:
            assert category is FailureCategory.infrastructure, exc
        elif "the Hub refused" in reason:
            assert category is FailureCategory.model, exc
