"""The workflow's logic, kept in the CLI: finding bundles, the matrix limit, artifact names,
when a run's evaluate job started, and the sticky comment."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from leaderboard.checks import comment
from leaderboard.core.errors import LeaderboardError
from leaderboard.core.models import Request, Settings, Status, iso_z
from leaderboard.core.transitions import stale_state
from leaderboard.queue import run_state
from leaderboard.queue.bundle_search import find_bundles
from leaderboard.queue.matrix import MATRIX_LIMIT, artifact_name, capped
from leaderboard.queue.reconciliation import _from_job_start
from leaderboard.store.gh import merge_group_pr

SHA = "a" * 40
REL = f"requests/acme/tiny/{SHA}_float16_nochat.yaml"


# -- bundles, matrix, names ---------------------------------------------------------------------


def _bundle(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "outcome.json").write_text("{}")
    (folder / "lm-eval" / "deep").mkdir(parents=True)
    return folder


def test_bundles_are_found_in_every_layout_download_artifact_leaves(tmp_path: Path):
    single = _bundle(tmp_path / "single")  # one artifact: its files in path itself
    assert find_bundles(single) == [single]
    many = tmp_path / "many"
    one, two = _bundle(many / "bundle-a"), _bundle(many / "bundle-b")
    (many / "stray").mkdir()
    assert find_bundles(many) == [one, two]
    assert find_bundles(tmp_path / "absent") == []


def test_claims_are_capped_at_the_matrix_limit():
    assert MATRIX_LIMIT == 256
    assert [capped(n) for n in (-1, 0, 4, 256, 257, 10_000)] == [0, 0, 4, 256, 256, 256]


def test_artifact_names_are_unique_and_valid():
    other = REL.replace("acme/tiny", "acme--tiny/x").replace("acme--tiny/x", "acme/tiny-x")
    a, b = artifact_name(REL), artifact_name(other)
    assert a != b and a.startswith("bundle-acme--tiny--aaaaaaaaaaaa-")
    assert not re.search(r'[":<>|*?\\/\r\n]', a)
    with pytest.raises(LeaderboardError):
        artifact_name("docs/index.md")


def test_the_merge_queue_branch_names_its_pull_request():
    assert merge_group_pr(f"refs/heads/gh-readonly-queue/main/pr-42-{SHA}") == 42
    with pytest.raises(LeaderboardError):
        merge_group_pr("refs/heads/main")


# -- when the evaluate job started ----------------------------------------------------------------


def _running(hours_ago: float, runner: str = "github-actions-77") -> Request:
    when = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=hours_ago)
    return Request(
        model="acme/tiny",
        revision=SHA,
        precision="float16",
        model_type="pretrained",
        submitter="bob",
        submitted_at=when,
        status=Status.running,
        attempts=1,
        runner=runner,
        started_at=when,
    )


def test_job_state_is_read_from_the_runs_jobs():
    began = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    jobs = [
        {"name": f"Evaluate {REL}", "status": "queued", "started_at": iso_z(began)},
        {"name": "Evaluate other", "status": "in_progress", "started_at": iso_z(began)},
    ]
    assert run_state.job_start(jobs, REL).waiting
    assert run_state.job_start(jobs, "other").started_at == began
    assert run_state.job_start(jobs, "missing") == run_state.UNKNOWN


def test_reconcile_counts_from_the_jobs_start_and_never_takes_back_a_queued_job():
    settings = Settings(maintainers=["alice"])
    now = datetime.now(UTC)
    claimed_long_ago = _running(hours_ago=20)
    waiting = run_state.JobStart(waiting=True)
    assert _from_job_start(REL, claimed_long_ago, lambda *_: waiting) is None
    recent = run_state.JobStart(started_at=now - timedelta(hours=1))
    judged = _from_job_start(REL, claimed_long_ago, lambda *_: recent)
    assert judged is not None and stale_state(judged, now, settings) is None
    old = run_state.JobStart(started_at=now - timedelta(hours=13))
    judged = _from_job_start(REL, claimed_long_ago, lambda *_: old)
    assert stale_state(judged, now, settings).status is Status.pending
    # Without an answer, the claim's time decides, as before.
    assert _from_job_start(REL, claimed_long_ago, lambda *_: run_state.UNKNOWN) is claimed_long_ago


def test_each_run_is_asked_once_and_a_failed_call_falls_back_to_the_claim(capsys):
    calls = []

    def fetch(repository: str, run: str) -> list[dict]:
        calls.append(run)
        if run == "78":
            raise LeaderboardError("HTTP 502")
        return [{"name": f"Evaluate {REL}", "status": "queued"}]

    lookup = run_state.github_job_starts("o/r", fetch)
    assert lookup(REL, _running(1)).waiting and lookup(REL, _running(1)).waiting
    assert lookup(REL, _running(1, "github-actions-78")) == run_state.UNKNOWN
    assert lookup(REL, _running(1, "my-laptop")) == run_state.UNKNOWN
    assert calls == ["77", "78"]
    assert "HTTP 502" in capsys.readouterr().err


# -- the sticky comment -------------------------------------------------------------------------


def test_the_comment_stays_under_githubs_limit_and_points_at_the_artifact():
    problems = [
        {"path": f"requests/a/b/{i}.yaml", "line": 1, "rule": "schema", "message": "x" * 500}
        for i in range(400)
    ]
    body = comment.render(comment.ParsedReport(False, False, problems), "https://run")
    assert len(body) < comment.GITHUB_LIMIT
    shown = sum(1 for line in body.splitlines() if line.startswith("| `requests/"))
    assert 0 < shown < 400
    assert f"and {400 - shown} more problems" in body and comment.ARTIFACT in body


def test_the_bots_comment_is_found_by_login_not_by_type():
    comments = [
        {"id": 1, "body": comment.MARKER, "user": {"login": "evil-app[bot]", "type": "Bot"}},
        {"id": 2, "body": "hello", "user": {"login": "github-actions[bot]", "type": "Bot"}},
        {"id": 3, "body": comment.MARKER + "x", "user": {"login": "github-actions[bot]"}},
    ]
    assert comment.find_own_comment(comments, "github-actions[bot]") == 3
    assert comment.find_own_comment(comments[:2], "github-actions[bot]") is None


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (None, "wrote no report"),
        ("{not json", "not JSON"),
        ("[1, 2]", "not a JSON object"),
        (json.dumps({"ok": True, "problems": "none"}), "not a list"),
        (json.dumps({"ok": False, "problems": [1]}), "not a list"),
    ],
)
def test_a_malformed_report_becomes_a_clear_comment_never_valid(text, why):
    parsed = comment.parse_report(text)
    body = comment.render(parsed, "https://run")
    assert why in body and "Could not read the validation report" in body
    assert "✅" not in body


def test_ok_needs_no_problems():
    assert comment.parse_report(json.dumps({"ok": True, "problems": []})).ok
    assert not comment.parse_report(json.dumps({"ok": True, "problems": [{"path": "x"}]})).ok


def test_the_bench_reads_each_rehearsals_time_and_refuses_a_failed_one():
    from leaderboard_bench.areas.workflows import durations, rehearsal_dir

    assert (rehearsal_dir() / "rehearsal.py").is_file()
    report = (
        '<testsuites><testsuite><testcase name="test_a" time="12.5"/>'
        '<testcase name="test_b" time="3"><skipped/></testcase></testsuite></testsuites>'
    )
    assert durations(report) == {"test_a": 12.5}
    with pytest.raises(LeaderboardError, match="test_c failed"):
        durations(
            report.replace('name="test_a" time="12.5"/>', 'name="test_c"><failure/></testcase>')
        )
