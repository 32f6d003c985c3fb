"""A runner SIGKILLed at each step leaves a state that ``leaderboard reconcile`` recovers.

Each case kills a real ``leaderboard`` process between two steps (see ``faultkit.KILLER``),
then checks what the remote holds, runs ``reconcile`` from another checkout (the scheduled
job's), and shows the request can be evaluated or recorded again: nothing is stranded. The dead
runner's own checkout refuses to go on while it holds work the remote lacks (it never discards
work); that message is checked too.
Killing mid-evaluation, with lm-eval running, is covered by
``tests/runner/test_runner_e2e.py::test_a_killed_runner_leaves_running_that_reconcile_recovers``.
"""

from __future__ import annotations

import json
import signal
import time

import pytest

from leaderboard.core.ids import result_path
from leaderboard.core.models import Status, utcnow
from leaderboard.core.transitions import mark_running
from tests.faults.faultkit import FAST_RECONCILE, leaderboard
from tests.lbtest import Queue, make_request

SHA = "c" * 40
EVALUATE = ("evaluate", "--next", "--push", "--runner", "doomed", "--limit", "2")


def _reconcile(queue: Queue) -> list[dict]:
    time.sleep(1.0)  # FAST_RECONCILE: a run older than 0.72 s counts as lost
    proc = leaderboard("reconcile", "--push", "--json", cwd=queue.clone("reconciler"))
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_killed_after_the_claim_commit_before_its_push(tmp_path):
    queue = Queue.create(tmp_path, [make_request("acme/tiny", SHA)], FAST_RECONCILE)
    (rel,) = queue.files("requests")
    doomed = queue.clone("doomed")
    proc = leaderboard(*EVALUATE, cwd=doomed, kill_at="claim-before-push")
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    # The claim exists only in the dead runner's clone: for everyone else it is still pending.
    assert queue.request(rel).status is Status.pending and queue.request(rel).attempts == 0
    assert not any(s.startswith("Claim") for s in queue.subjects())
    assert _reconcile(queue) == []
    # The dead runner's checkout says what holds it back instead of silently dropping it.
    proc = leaderboard("claim", "--push", "--json", "--runner", "again", cwd=doomed)
    assert proc.returncode == 2
    assert "has 1 commit(s) that origin/main lacks: push or drop them first" in proc.stderr
    proc = leaderboard("claim", "--push", "--json", "--runner", "again", cwd=queue.clone("new"))
    assert proc.returncode == 0 and json.loads(proc.stdout) == [rel], proc.stderr
    again = queue.request(rel)
    assert (again.status, again.attempts, again.runner) == (Status.running, 1, "again")


@pytest.mark.parametrize("point", ["claim-after-push", "evaluating"])
def test_killed_after_the_claim_was_pushed(tmp_path, point):
    queue = Queue.create(tmp_path, [make_request("acme/tiny", SHA)], FAST_RECONCILE)
    (rel,) = queue.files("requests")
    doomed = queue.clone("doomed")
    proc = leaderboard(*EVALUATE, cwd=doomed, kill_at=point)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    stranded = queue.request(rel)
    assert (stranded.status, stranded.attempts, stranded.runner) == (Status.running, 1, "doomed")
    assert queue.files("results") == []

    assert _reconcile(queue) == [{"path": rel, "status": "PENDING", "attempts": 1, "reason": None}]
    back = queue.request(rel)
    assert (back.status, back.attempts, back.runner) == (Status.pending, 1, None)
    assert queue.subjects()[0] == "Reconcile stale runs"


@pytest.mark.slow
@pytest.mark.parametrize("point", ["record-before-commit", "record-before-push"])
def test_killed_while_recording(tmp_path, bundle, point):
    claimed = mark_running(bundle.request.model_copy(update={"attempts": 0}), "gpu-1", utcnow())
    queue = Queue.create(tmp_path, [claimed], FAST_RECONCILE)
    rel = bundle.rel
    doomed = queue.clone("doomed")
    proc = leaderboard("record", str(bundle.path), "--push", cwd=doomed, kill_at=point)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    # Nothing half-recorded reached the remote: no result without its status, or the reverse.
    assert queue.request(rel).status is Status.running
    assert queue.files("results") == []
    # What the dead runner wrote locally is whole (written atomically), never half a file.
    local = doomed / result_path(bundle.request.identity, "demo", 1)
    assert json.loads(local.read_text())["provenance"]["attempt"] == 1
    assert not [p for p in (doomed / "results").rglob("*") if p.name.endswith(".tmp")]

    assert _reconcile(queue) == [{"path": rel, "status": "PENDING", "attempts": 1, "reason": None}]
    # The bundle outlives the runner: recording it later finishes the request (a late result
    # for a request sent back to PENDING counts, since the work was done).
    proc = leaderboard("record", str(bundle.path), "--push", cwd=queue.clone("later"))
    assert proc.returncode == 0, proc.stderr
    done = queue.request(rel)
    assert done.status is Status.finished and done.attempts == 1
    (result,) = queue.files("results")
    assert result.endswith("_demo_attempt-1.json")
