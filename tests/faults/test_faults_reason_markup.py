"""A failure reason is exception text, sometimes quoting the model's own files: brackets in it
must neither crash the runner's progress output (between evaluating and recording, which would
strand the request) nor crash or garble ``leaderboard queue``, which uses rich."""

from __future__ import annotations

from leaderboard.cli.main import main
from leaderboard.cli.options import progress_printer
from leaderboard.core.models import Status
from tests.lbtest import Queue, make_request

REASON = "bad [/x] [b]tok"


def test_the_runner_progress_prints_brackets_verbatim(capsys):
    progress_printer()(f"failed (model): {REASON}")
    assert f"failed (model): {REASON}" in capsys.readouterr().err


def test_queue_shows_a_reason_with_brackets_and_its_category(tmp_path, capsys):
    failed = make_request(
        "acme/odd",
        "f" * 40,
        status=Status.failed,
        attempts=1,
        failure_reason=REASON,
        failure_category="model",
    )
    queue = Queue.create(tmp_path, [failed])
    assert main(["queue", "--root", str(queue.clone("reader"))]) == 0
    out = capsys.readouterr().out
    assert f"[model] {REASON}" in out
