"""Status transitions: what a recorded outcome or a stale run does to a request."""

from __future__ import annotations

from datetime import timedelta

import pytest

from leaderboard.core.models import FailureCategory, RunOutcome, Settings, Status, utcnow
from leaderboard.core.transitions import mark_running, next_state, stale_state
from tests.lbtest import make_request

SHA = "b" * 40
#: The frozen clock these transitions are given, as the runner gives them its own now.
NOW = utcnow()


def _running(attempts: int = 0):
    return mark_running(make_request("acme/one", SHA, age_minutes=5, attempts=attempts), "r", NOW)


def _outcome(status: Status, attempt: int = 1, category: FailureCategory | None = None):
    failed = status is Status.failed
    return RunOutcome(
        request="requests/acme/one/x.yaml",
        attempt=attempt,
        runner="r",
        status=status,
        failure_reason="boom" if failed else None,
        failure_category=category if failed else None,
        started_at=NOW,
        finished_at=NOW,
    )


def test_claim_raises_the_attempt_count_and_records_the_runner(monkeypatch):
    for key in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID"):
        monkeypatch.delenv(key, raising=False)
    running = _running(attempts=1)
    assert running.status is Status.running and running.attempts == 2
    assert running.runner == "r" and running.started_at == NOW and running.log_url is None
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    monkeypatch.setenv("GITHUB_REPOSITORY", "owner/board")
    monkeypatch.setenv("GITHUB_RUN_ID", "42")
    assert _running().log_url == "https://github.com/owner/board/actions/runs/42"


def test_infrastructure_failures_are_retried_up_to_the_limit():
    settings = Settings(max_attempts=2)
    retry = next_state(
        _running(), _outcome(Status.failed, 1, FailureCategory.infrastructure), settings
    )
    assert retry.status is Status.pending and retry.attempts == 1 and retry.runner is None
    final = next_state(
        _running(attempts=1), _outcome(Status.failed, 2, FailureCategory.infrastructure), settings
    )
    assert final.status is Status.failed
    assert final.failure_category is FailureCategory.infrastructure
    assert final.failure_reason == "gave up after 2 attempts; the last one: boom"


def test_model_failures_are_final_and_finished_clears_nothing_it_should_keep():
    failed = next_state(_running(), _outcome(Status.failed, 1, FailureCategory.model), Settings())
    assert failed.status is Status.failed and failed.failure_reason == "boom"
    done = next_state(_running(), _outcome(Status.finished), Settings())
    assert done.status is Status.finished and done.finished_at == NOW and done.runner == "r"


def test_a_stale_outcome_does_not_override_a_newer_attempt():
    newer = _running(attempts=1)  # attempt 2 is running
    assert next_state(newer, _outcome(Status.finished, attempt=1), Settings()) is None


@pytest.mark.parametrize(("attempts", "expected"), [(1, Status.pending), (3, Status.failed)])
def test_reconcile_rules(attempts, expected):
    settings = Settings(reconcile_timeout_hours=2, max_attempts=3)
    running = mark_running(
        make_request("acme/one", SHA, age_minutes=500, attempts=attempts - 1), "lost-runner", NOW
    )
    assert stale_state(running, NOW + timedelta(hours=1), settings) is None
    new = stale_state(running, NOW + timedelta(hours=3), settings)
    assert new.status is expected and new.attempts == attempts
    if expected is Status.failed:
        assert new.failure_category is FailureCategory.infrastructure
        assert "lost-runner was lost" in new.failure_reason and "3 attempts" in new.failure_reason
