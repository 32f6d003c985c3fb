"""Pushes rejected again and again: bounded retries, then a clear error, and nothing is lost.

Every rejection is real: just before each of our pushes a rival clone pushes a commit of its
own, so the remote refuses ours as non-fast-forward. The back-off sleeps are cut to nothing.
One rejected push that is rebased and retried is
``tests/runner/test_gitops.py::test_a_rejected_push_is_rebased_and_retried``.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from leaderboard.core import errors, transitions
from leaderboard.core.models import FailureCategory, Status, utcnow
from leaderboard.harness.options import EvalOptions
from leaderboard.queue import bundles, claims, evaluation, records
from leaderboard.store import commits
from leaderboard.store.repo import Repo
from tests.lbtest import Queue, git, make_request

ORIGIN = claims.CommitPolicy(remote="origin", branch="main")


class Rival:
    """While ``active``, a rival clone pushes a commit just before each of our pushes."""

    def __init__(self, queue: Queue, real_push) -> None:
        self.clone = queue.clone("rival")
        self.real_push = real_push
        self.active = True
        self.count = 0

    def push(self, root: Path, remote: str, branch: str) -> None:
        if self.active:
            self.count += 1
            note = self.clone / "notes" / f"{self.count}.txt"
            note.parent.mkdir(exist_ok=True)
            note.write_text("the rival was here\n")
            git(self.clone, "add", "-A")
            git(self.clone, "commit", "-q", "-m", f"rival {self.count}")
            git(self.clone, "push", "-q", "origin", "main")
        self.real_push(root, remote, branch)


@pytest.fixture
def rival(monkeypatch: pytest.MonkeyPatch):
    """``rival(queue)``: start a rival that always pushes first."""
    monkeypatch.setattr(commits, "pause", lambda *a, **k: None)

    def start(queue: Queue) -> Rival:
        r = Rival(queue, commits.push)
        monkeypatch.setattr(commits, "push", r.push)
        return r

    return start


def test_a_claim_whose_pushes_are_all_rejected_gives_up_and_claims_nothing(tmp_path, rival):
    queue = Queue.create(tmp_path, [make_request("acme/one", "a" * 40)])
    (rel,) = queue.files("requests")
    clone = queue.clone("runner")
    r = rival(queue)
    with pytest.raises(errors.GitError, match="could not claim a request: 5 pushes were rejected"):
        claims.claim(Repo(clone), runner="me", policy=ORIGIN, tries=5)
    assert r.count == 5
    assert queue.request(rel).status is Status.pending and queue.request(rel).attempts == 0
    r.active = False  # the remote calms down: the same checkout claims normally
    assert claims.claim(Repo(clone), runner="me", policy=ORIGIN).path == rel
    assert queue.request(rel).status is Status.running and queue.request(rel).attempts == 1


@pytest.mark.slow
def test_a_result_whose_pushes_are_all_rejected_is_kept_and_recorded_later(tmp_path, bundle, rival):
    claimed = transitions.mark_running(
        bundle.request.model_copy(update={"attempts": 0}), "g", utcnow()
    )
    queue = Queue.create(tmp_path, [claimed])
    clone = queue.clone("recorder")
    r = rival(queue)
    with pytest.raises(errors.RecordFailed) as failed:
        records.record(Repo(clone), bundle.path, policy=ORIGIN)
    message = str(failed.value)
    assert "could not push to origin main after 8 attempts" in message
    assert f"the bundle {bundle.path} is kept" in message
    assert r.count == 8 and len(queue.files("notes")) == 8  # bounded; the rival's work is kept
    assert queue.request(bundle.rel).status is Status.running
    assert queue.files("results") == []

    r.active = False
    state = records.record(Repo(clone), bundle.path, policy=ORIGIN)
    assert state.status is Status.finished
    assert queue.request(bundle.rel).status is Status.finished
    (result,) = queue.files("results")
    assert result.endswith("_demo_attempt-1.json")


def test_evaluate_keeps_the_bundle_when_recording_fails(tmp_path, rival, monkeypatch):
    """The all-in-one runner writes its bundle to a temporary folder; a failed record keeps it."""
    import huggingface_hub.constants as constants

    with socket.socket() as s:  # the Hub is down, so the run fails fast as infrastructure
        s.bind(("127.0.0.1", 0))
        monkeypatch.setattr(constants, "ENDPOINT", f"http://127.0.0.1:{s.getsockname()[1]}")
    queue = Queue.create(tmp_path, [make_request("acme/one", "a" * 40)])
    (rel,) = queue.files("requests")
    clone = queue.clone("runner")
    options = EvalOptions(limit=2, device="cpu")
    real_record = records.record
    started: list[Rival] = []

    def record_against_a_rival(repo, bundle, **kwargs):
        started.append(rival(queue))  # the claim went through; now every push is beaten
        return real_record(repo, bundle, **kwargs)

    monkeypatch.setattr(evaluation, "record", record_against_a_rival)
    with pytest.raises(errors.RecordFailed) as failed:
        evaluation.evaluate_request(Repo(clone), runner="r1", policy=ORIGIN, options=options)
    kept = Path(str(failed.value).split("the bundle ", 1)[1].split(" is kept", 1)[0])
    assert (kept / "outcome.json").is_file()
    assert queue.request(rel).status is Status.running

    started[0].active = False
    state = real_record(Repo(clone), kept, policy=ORIGIN)
    assert state.status is Status.pending and state.attempts == 1  # infrastructure: retried
    outcome, _ = bundles.read_bundle(kept)
    assert outcome.failure_category is FailureCategory.infrastructure
    assert "Hub" in outcome.failure_reason
