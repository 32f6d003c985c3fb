"""`leaderboard requeue --suite-version OLD`: rows an older suite version scored go back to the
queue in one maintainer's pull request, which the validator accepts only for outdated rows."""

from __future__ import annotations

import shutil

from leaderboard.core.ids import request_path
from leaderboard.core.models import Relaunch, Status, utcnow
from leaderboard.core.transitions import apply_relaunch
from leaderboard.suites.loader import suite_dir
from tests.curation.curation_world import World, one

DEMO = (suite_dir("demo") / "suite.yaml").read_text()


def _on_demo_suite(world: World, version: str | None) -> None:
    """The base runs the demo suite; with ``version``, the repository's own copy at it."""
    settings = world.repo.settings().model_copy(update={"suite": "demo"})
    world.repo.write_curation("settings", settings)
    if version is not None:
        folder = world.root / "suites" / "demo"
        folder.mkdir(parents=True)
        (folder / "suite.yaml").write_text(DEMO.replace('version: "1"', f'version: "{version}"'))
        shutil.copytree(suite_dir("demo") / "tasks", folder / "tasks")
    world.merge()


def test_requeue_sends_rows_of_an_older_version_back_and_validates(world: World, capsys) -> None:
    _on_demo_suite(world, version="2")
    assert world.run("requeue", "--suite-version", "1") == 0
    rel = request_path(world.finished.identity)
    assert f"changed  {rel}" in capsys.readouterr().out
    request = world.repo.read_request(rel)
    assert request.status is Status.pending and request.attempts == 1
    assert request.relaunches[-1].note == "re-run on version 2 of the demo suite (was 1)"
    # The failed and pending requests are not re-queued.
    assert world.repo.read_request(request_path(world.failed.identity)).status is Status.failed
    assert world.check() == []


def test_requeue_of_the_current_version_and_a_hand_made_requeue_are_refused(
    world: World, capsys
) -> None:
    _on_demo_suite(world, version=None)
    assert world.run("requeue", "--suite-version", "1") == 2
    assert "is the demo suite's current one" in capsys.readouterr().err
    rel = request_path(world.finished.identity)
    entry = Relaunch(at=utcnow(), by="alice", note="again please")
    world.repo.write_request(rel, apply_relaunch(world.repo.read_request(rel), entry))
    problem = one(world.check(), "relaunch")
    assert problem.path == rel and problem.field == "status"
    assert "FINISHED to PENDING when the latest result is from an older suite" in problem.message
