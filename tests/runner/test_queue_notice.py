"""A merged request's pull request is told where it stands: "#3 in line for pool gpu; estimated
start in about 2 h", from the queue the site was built with at the merge (publish.yml's tell
job hands it ``data/queue.json``), once, with every value through ``core.markdown``.

GitHub is the recording ``gh`` stand-in of the workflow rehearsals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from leaderboard.cli.main import main
from leaderboard.store.repo import Repo
from leaderboard.table import queue_view
from tests.lbtest import gh_standin, git, iso_days_ago
from tests.queueworld import QueueWorld

SITE = "https://owner.github.io/leaderboard/"


@pytest.fixture
def github(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return gh_standin(tmp_path / "gh-state", monkeypatch)


def merged_pull(world: QueueWorld, number: int) -> dict:
    return {
        "number": number,
        "user": {"login": "bob"},
        "merge_commit_sha": git(world.root, "rev-parse", "HEAD"),
        "merged_at": iso_days_ago(0),
    }


def test_the_pull_request_is_told_its_place_and_estimated_start_once(tmp_path, github, capsys):
    world = QueueWorld(tmp_path / "repo")
    for h in (1.5, 2.0, 2.5):
        world.finished(f"hist/seven-{h:g}", hours=h, params=7.0)
    world.merged("org/first", ago=3, pr=1)
    world.merged("org/second", ago=2, pr=2)
    before = git(world.root, "rev-parse", "HEAD")
    rel = world.merged("org/third", ago=0, pr=3)
    (github / "github.json").write_text(json.dumps({"pulls": {"3": merged_pull(world, 3)}}))
    queue = tmp_path / "queue.json"
    queue.write_text(json.dumps(queue_view.queue(Repo(world.root))))
    args = ["notify", "--root", str(world.root), "--before", before, "--after", "HEAD"]
    args += ["--queue", str(queue), "--repository", "owner/leaderboard", "--site-url", SITE]
    assert main(args) == 0
    assert f"{rel}: told #3 (queued)" in capsys.readouterr().out
    [comment] = json.loads((github / "github.json").read_text())["comments"]["3"]
    body = comment["body"].replace("\u200b", "")
    assert "**In the queue:** `org/third`" in body
    # Two ahead of it, 2 hours each (the median of the 7B runs), one runner.
    assert "#3 in line for pool gpu; estimated start in about 4 h (" in body
    assert "finish in about 6 h" in body
    assert f"[Queue page](<{SITE}queue/>)" in body
    assert "vote" not in body  # votes are off
    # A rerun of the job posts nothing twice.
    assert main(args) == 0
    assert "already told (queued)" in capsys.readouterr().out
    assert len(json.loads((github / "github.json").read_text())["comments"]["3"]) == 1


def test_without_history_the_notice_says_the_start_is_unknown(tmp_path, github, capsys):
    world = QueueWorld(tmp_path / "repo")
    before = git(world.root, "rev-parse", "HEAD")
    world.merged("org/only", ago=0, pr=8)
    (github / "github.json").write_text(json.dumps({"pulls": {"8": merged_pull(world, 8)}}))
    queue = tmp_path / "queue.json"
    queue.write_text(json.dumps(queue_view.queue(Repo(world.root))))
    args = ["notify", "--root", str(world.root), "--before", before, "--queue", str(queue)]
    assert main([*args, "--dry-run"]) == 0
    out = capsys.readouterr().out.replace("\u200b", "")
    assert "#1 in line for pool gpu; estimated start unknown: no run of this size" in out
    # A queue file that cannot be read is said, and nothing about the place is made up.
    queue.write_text("{not json")
    assert main([*args, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "cannot be read" in out and "In the queue" not in out


def test_a_queue_file_cannot_put_markup_or_made_up_times_in_the_notice(tmp_path, github, capsys):
    world = QueueWorld(tmp_path / "repo")
    before = git(world.root, "rev-parse", "HEAD")
    rel = world.merged("org/only", ago=0, pr=8)
    entry = {
        "request": rel,
        "status": "PENDING",
        "position": 2,
        "pool": "@octocat [x](https://evil.example) #12",
        "estimated_start": "soon, trust me",
        "estimated_finish": 7,
        "votes": "**999**",
    }
    queue = tmp_path / "queue.json"
    queue.write_text(json.dumps([entry]))
    args = ["notify", "--root", str(world.root), "--before", before, "--queue", str(queue)]
    assert main([*args, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "@\u200boctocat" in out and "](https" not in out and "#\u200b12" in out
    assert "estimated start unknown" in out
    assert "999" not in out and "vote" not in out
