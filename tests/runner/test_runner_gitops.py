"""Pushes that the remote rejects are retried; a lost claim race takes the next request."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaderboard.core import errors
from leaderboard.queue import claims
from leaderboard.store import commits
from leaderboard.store.repo import Repo
from tests.lbtest import git, make_request

SHA = "a" * 40
#: Commit each claim and push it to origin, as the runner does.
ORIGIN = claims.CommitPolicy(remote="origin")


def _commit_file(clone: Path, rel: str, text: str) -> None:
    (clone / rel).parent.mkdir(parents=True, exist_ok=True)
    (clone / rel).write_text(text)
    git(clone, "add", rel)
    git(clone, "commit", "-q", "-m", f"write {rel}")
    git(clone, "push", "-q", "origin", "main")


def test_a_rejected_push_is_rebased_and_retried(make_queue):
    queue, _ = make_queue([])
    mine, theirs = queue.clone("mine"), queue.clone("theirs")
    calls = []

    def apply() -> list[str]:
        calls.append(1)
        if len(calls) == 1:  # someone else pushes between our commit and our push
            _commit_file(theirs, "results/x/y/other.json", "{}\n")
        (mine / "results/x/y/mine.json").parent.mkdir(parents=True, exist_ok=True)
        (mine / "results/x/y/mine.json").write_text("{}\n")
        return ["results/x/y/mine.json"]

    sha = commits.commit_and_push(mine, "record mine", apply, remote="origin", branch="main")
    assert len(calls) == 1  # the rebase went through: no need to re-apply
    assert sha == git(queue.remote, "rev-parse", "main")
    assert set(queue.files("results")) == {"results/x/y/mine.json", "results/x/y/other.json"}
    assert git(queue.remote, "log", "--format=%s", "-2", "main").splitlines() == [
        "record mine",
        "write results/x/y/other.json",
    ]


def test_a_conflicting_push_is_reapplied_on_the_newer_state(make_queue):
    queue, _ = make_queue([])
    mine, theirs = queue.clone("mine"), queue.clone("theirs")
    rel = "notes.txt"
    _commit_file(mine, rel, "base\n")
    git(theirs, "pull", "-q", "origin", "main")
    seen = []

    def apply() -> list[str]:
        current = (mine / rel).read_text()
        seen.append(current)
        if len(seen) == 1:
            _commit_file(theirs, rel, current + "theirs\n")
        (mine / rel).write_text(current + "mine\n")
        return [rel]

    commits.commit_and_push(mine, "append mine", apply, remote="origin", branch="main")
    assert seen == ["base\n", "base\ntheirs\n"]  # re-applied on top of their change
    assert git(queue.remote, "show", f"main:{rel}") == "base\ntheirs\nmine"


def test_losing_the_claim_race_takes_the_next_request(make_queue, monkeypatch):
    first = make_request("acme/one", SHA, age_minutes=2)
    second = make_request("acme/two", SHA, age_minutes=1)
    queue, (first_rel, second_rel) = make_queue([first, second])
    mine, theirs = queue.clone("mine"), queue.clone("theirs")
    real_push = commits.push
    raced = []

    def push_after_a_rival(root: Path, remote: str, branch: str) -> None:
        if root == Path(mine).resolve() and not raced:
            # The rival claims the same request and pushes first.
            raced.append(claims.claim(Repo(theirs), runner="rival", policy=ORIGIN))
        real_push(root, remote, branch)

    monkeypatch.setattr(commits, "push", push_after_a_rival)
    got = claims.claim(Repo(mine), runner="me", policy=ORIGIN)
    assert raced[0].path == first_rel
    assert got.path == second_rel
    assert queue.request(first_rel).runner == "rival"
    assert queue.request(second_rel).runner == "me"
    assert queue.request(second_rel).status.value == "RUNNING"
    monkeypatch.setattr(commits, "push", real_push)
    assert claims.claim(Repo(mine), runner="me", policy=ORIGIN) is None


def test_claim_refuses_a_request_that_is_not_pending(make_queue):
    queue, (rel,) = make_queue([make_request("acme/one", SHA, age_minutes=1)])
    clone = queue.clone("mine")
    claims.claim(Repo(clone), runner="me", policy=ORIGIN, only=rel)
    try:
        claims.claim(Repo(clone), runner="me", policy=ORIGIN, only=rel)
    except errors.LeaderboardError as exc:
        assert "is not PENDING (RUNNING)" in str(exc)
    else:
        raise AssertionError("a RUNNING request was claimed twice")


def test_the_runner_never_discards_a_persons_work(make_queue):
    queue, (rel,) = make_queue([make_request("acme/one", SHA, age_minutes=1)])
    clone = queue.clone("mine")
    (clone / rel).write_text((clone / rel).read_text() + "# a note\n")
    with pytest.raises(errors.GitError, match="uncommitted changes"):
        claims.claim(Repo(clone), runner="me", policy=ORIGIN)
    git(clone, "commit", "-qam", "local work")
    with pytest.raises(errors.GitError, match="1 commit"):
        claims.claim(Repo(clone), runner="me", policy=ORIGIN)
    assert "# a note" in (clone / rel).read_text()
