"""Removals and relaunches (edits of request files), and the history rule."""

from __future__ import annotations

from leaderboard.core.ids import request_path
from leaderboard.core.models import FailureCategory, Status
from tests.curation.curation_world import SHA_A, SHA_B, World, one


def test_remove_marks_every_request_of_the_model(world: World, capsys) -> None:
    assert world.run("remove", "org/model-a", "--reason", "authors asked") == 0
    out = capsys.readouterr().out
    finished, failed = (request_path(r.identity) for r in (world.finished, world.failed))
    assert f"changed  {finished}" in out and f"changed  {failed}" in out
    for rel in (finished, failed):
        removed = world.repo.read_request(rel).removed
        assert removed is not None and (removed.by, removed.reason) == ("alice", "authors asked")
    assert world.check() == []
    assert world.classify() == "removal"


def test_remove_one_commit_keeps_the_others(world: World) -> None:
    assert world.run("remove", "org/model-a", "--sha", SHA_A, "--reason", "superseded") == 0
    assert world.repo.read_request(request_path(world.finished.identity)).removed is not None
    assert world.repo.read_request(request_path(world.failed.identity)).removed is None
    assert world.check() == []


def test_remove_refuses_unknown_models_and_repeats(world: World, capsys) -> None:
    assert world.run("remove", "org/unknown", "--reason", "x") == 2
    assert world.run("remove", "org/model-a", "--sha", SHA_A, "--reason", "x") == 0
    assert world.run("remove", "org/model-a", "--sha", SHA_A, "--reason", "x") == 2
    assert "already removed" in capsys.readouterr().err


def test_a_removal_that_changes_more_than_removed_is_refused(world: World) -> None:
    assert world.run("remove", "org/model-a", "--sha", SHA_A, "--reason", "x") == 0
    rel = request_path(world.finished.identity)
    world.edit(rel, "submitter: carol", "submitter: dave")
    problem = one(world.check(), "request-edit")
    assert problem.path == rel and problem.field == "submitter"
    assert "changes submitter, removed" in problem.message
    assert (
        problem.line
        == world.root.joinpath(rel).read_text().splitlines().index("submitter: dave") + 1
    )


def test_a_removal_by_a_non_maintainer_or_a_changed_removal_is_refused(world: World) -> None:
    assert world.run("remove", "org/model-a", "--sha", SHA_A, "--reason", "x") == 0
    rel = request_path(world.finished.identity)
    world.edit(rel, "by: alice", "by: mallory")
    problem = one(world.check(), "removal")
    assert problem.field == "removed.by" and "mallory is not a maintainer" in problem.message
    world.edit(rel, "by: mallory", "by: alice")
    world.merge()
    world.edit(rel, "reason: x", "reason: y")
    problem = one(world.check(), "removal")
    assert "already removed" in problem.message


def test_relaunch_sends_a_failed_request_back_and_keeps_the_failure(world: World, capsys) -> None:
    rel = request_path(world.failed.identity)
    assert world.run("relaunch", rel, "--note", "runner had a bad GPU") == 0
    assert f"changed  {rel}" in capsys.readouterr().out
    request = world.repo.read_request(rel)
    assert request.status is Status.pending and request.failure_reason is None
    assert (request.runner, request.started_at, request.attempts) == (None, None, 1)
    assert request.finished_at is None, "a PENDING request has not finished"
    [entry] = request.relaunches
    assert (entry.by, entry.note, entry.previous_reason, entry.previous_category) == (
        "alice",
        "runner had a bad GPU",
        "CUDA out of memory",
        FailureCategory.infrastructure,
    )
    assert world.check() == []
    assert world.classify() == "relaunch"


def test_relaunch_accepts_a_path_from_the_current_folder(world: World, monkeypatch) -> None:
    monkeypatch.chdir(world.root / "requests" / "org")
    assert world.run("relaunch", f"model-a/{SHA_B}_bfloat16_nochat.yaml", "--note", "again") == 0
    assert world.check() == []


def test_relaunch_refuses_what_is_not_failed_or_has_no_note(world: World, capsys) -> None:
    finished = request_path(world.finished.identity)
    assert world.run("relaunch", finished, "--note", "again") == 2
    assert "is FINISHED; only a FAILED request can be relaunched" in capsys.readouterr().err
    assert world.run("relaunch", request_path(world.failed.identity), "--note", " ") == 2
    assert world.run("relaunch", "requests/org/model-a/nope.yaml", "--note", "x") == 2
    assert (
        world.run(
            "relaunch",
            request_path(world.failed.identity),
            "--note",
            "x",
            "--maintainer",
            "mallory",
        )
        == 2
    )


def test_a_status_changed_by_hand_is_refused(world: World) -> None:
    rel = request_path(world.finished.identity)
    world.edit(rel, "status: FINISHED", "status: PENDING")
    problem = one(world.check(), "relaunch")
    assert problem.field == "status" and "FINISHED -> PENDING" in problem.message


def test_a_relaunch_without_an_entry_is_refused(world: World) -> None:
    rel = request_path(world.failed.identity)
    text = world.root.joinpath(rel).read_text()
    text = text.replace("status: FAILED", "status: PENDING")
    text = "".join(line + "\n" for line in text.splitlines() if not line.startswith("failure_"))
    world.root.joinpath(rel).write_text(text)
    problem = one(world.check(), "relaunch")
    assert problem.field == "relaunches" and "appends exactly one entry" in problem.message


def test_a_relaunch_that_changes_other_fields_or_lies_about_the_failure(world: World) -> None:
    rel = request_path(world.failed.identity)
    assert world.run("relaunch", rel, "--note", "again") == 0
    world.edit(rel, "attempts: 1", "attempts: 0")
    world.edit(rel, "previous_reason: CUDA out of memory", "previous_reason: fine")
    world.edit(rel, "by: alice", "by: mallory")
    problems = world.check()
    assert {p.field for p in problems} == {
        "attempts",
        "relaunches.0.previous_reason",
        "relaunches.0.by",
    }, [p.render() for p in problems]
    assert all(p.rule == "relaunch" and p.line for p in problems)
    # Each problem's line is its field's own key, not the list that holds it.
    lines = world.root.joinpath(rel).read_text().splitlines()
    for p in problems:
        key = p.field.rsplit(".", 1)[-1]
        assert lines[p.line - 1].lstrip("- ").startswith(f"{key}:"), (p.render(), lines)


def test_an_invalid_request_edit_is_a_located_schema_error(world: World) -> None:
    rel = request_path(world.failed.identity)
    world.edit(rel, "status: FAILED", "status: DONE")
    problem = one(world.check(), "schema")
    assert problem.path == rel and problem.field == "status" and problem.line


def test_deleting_requests_or_results_is_refused(world: World) -> None:
    rel = request_path(world.pending.identity)
    world.root.joinpath(rel).unlink()
    world.root.joinpath(world.result_rel).unlink()
    problems = world.check()
    assert {(p.path, p.rule) for p in problems} == {(rel, "history"), (world.result_rel, "history")}
    assert "leaderboard remove" in problems[0].message


def test_results_are_never_added_or_edited_by_a_pull_request(world: World) -> None:
    result = world.root / world.result_rel
    result.write_text(result.read_text().replace('"acc,none":0.5', '"acc,none":0.9'))
    extra = world.root / "results/org/model-a/forged.json"
    extra.write_text("{}")
    problems = world.check()
    assert {(p.path, p.rule) for p in problems} == {
        (world.result_rel, "results"),
        ("results/org/model-a/forged.json", "results"),
    }
