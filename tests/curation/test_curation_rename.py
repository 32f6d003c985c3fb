"""Renames: the command checks the Hub (a real client against the devhub server), moves the
request and result files, records the alias; the validator checks the moves."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from leaderboard.core.ids import index_path, request_path, result_path
from leaderboard.core.models import Status
from leaderboard.devtools import devhub
from leaderboard.store.files import dump_result, write_text_atomic
from tests.curation.curation_world import World, make_request, make_result, one, validate
from tests.lbtest import iso_days_ago

OLD, NEW = "org/renamed-me", "neworg/better-name"
CARD = {"README.md": b"---\nlicense: mit\n---\n# A model\n", "config.json": b"{}"}


@pytest.fixture
def hub(devhub) -> Path:
    """The shared devhub fixture (real huggingface_hub client over HTTP); its folder."""
    return devhub.root


@pytest.fixture
def shas(world: World, hub: Path) -> list[str]:
    """OLD on the Hub with two commits, both evaluated on the leaderboard (one with a result)."""
    first = devhub.publish(hub, OLD, CARD)
    second = devhub.publish(hub, OLD, {"notes.txt": b"v2"})
    done = make_request(OLD, first)
    world.repo.write_request(request_path(done.identity), done)
    write_text_atomic(
        world.root / result_path(done.identity, "demo", 1), dump_result(make_result(done))
    )
    failed = make_request(OLD, second, Status.failed)
    world.repo.write_request(request_path(failed.identity), failed)
    third = devhub.publish(hub, OLD, {"notes.txt": b"v3"})
    waiting = make_request(OLD, third, Status.pending)
    world.repo.write_request(request_path(waiting.identity), waiting)
    world.run("flag", OLD, "--category", "other", "--discussion", "https://example.org/d/1")
    world.merge()
    return [first, second, third]


def rename_on_hub(hub: Path) -> None:
    """The Hub's rename: the same repository, with its history, under the new name."""
    shutil.copytree(devhub.repo_dir(hub, OLD), devhub.repo_dir(hub, NEW))


def test_rename_moves_files_rewrites_models_and_records_the_alias(
    world: World, hub: Path, shas: list[str], capsys
) -> None:
    rename_on_hub(hub)
    assert world.run("rename", OLD, NEW) == 0
    out = capsys.readouterr().out
    assert f"moved    requests/{OLD}/{shas[0]}_bfloat16_nochat.yaml -> requests/{NEW}/" in out
    assert not (world.root / "requests" / OLD).exists()
    assert not (world.root / "results" / OLD).exists()
    moved = sorted(world.repo.request_files(NEW))
    assert len(moved) == 3 and all(world.repo.read_request(r).model == NEW for r in moved)
    [result] = world.repo.result_files(NEW)
    prov = world.repo.read_json(result)["provenance"]
    assert prov["model"] == NEW and prov["request"].startswith(f"requests/{NEW}/")
    assert f"pretrained={NEW}," in prov["command"]
    assert world.repo.read_json(result)["model_name"] == OLD  # lm-eval's own record stays
    [entry] = world.repo.renames().renames
    assert (entry.old, entry.new, entry.maintainer) == (OLD, NEW, "alice")
    assert [f.model for f in world.repo.flags().flags] == [NEW]
    assert world.check() == []
    assert world.check(renames=False) == []  # as delete + add pairs too
    assert world.classify() == "rename"
    code, report = validate(world, capsys, "bob")
    assert (code, report["problems"]) == (0, []), report


def test_rename_refuses_a_missing_or_different_repository(
    world: World, hub: Path, shas: list[str], capsys
) -> None:
    assert world.run("rename", OLD, NEW) == 2
    assert f"{NEW} cannot be found on the Hub" in capsys.readouterr().err
    devhub.publish(hub, NEW, {"README.md": b"another model"})  # not OLD renamed: other commits
    assert world.run("rename", OLD, NEW) == 2
    assert "does not serve commit" in capsys.readouterr().err
    assert world.repo.request_files(OLD) and not world.repo.request_files(NEW)


def test_rename_reports_an_unreachable_hub_as_such(
    world: World, shas: list[str], monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "ENDPOINT", "http://127.0.0.1:9")  # nothing listens there
    assert world.run("rename", OLD, NEW) == 2
    assert "try again" in capsys.readouterr().err


def test_moving_files_without_a_renames_entry_is_refused(
    world: World, hub: Path, shas: list[str]
) -> None:
    rename_on_hub(hub)
    assert world.run("rename", OLD, NEW) == 0
    world.git("checkout", "origin/main", "--", "curation/renames.yaml")
    problems = world.check()
    history = [p for p in problems if p.rule == "history"]
    assert len(history) == 4  # three requests and one result deleted without a recorded rename
    assert [p.rule for p in problems if p not in history] == ["results"]  # the "new" result


def test_a_renames_entry_without_moving_the_files_is_refused(
    world: World, hub: Path, shas: list[str]
) -> None:
    rename_on_hub(hub)
    assert world.run("rename", OLD, NEW) == 0
    world.git("checkout", "origin/main", "--", "requests", "results", "index")
    world.git("clean", "-qfd", "requests", "results", "index")
    problems = world.check()
    assert {p.rule for p in problems} == {"rename"} and len(problems) == 4
    assert all(p.path.startswith((f"requests/{OLD}/", f"results/{OLD}/")) for p in problems)
    assert "must move this file to" in problems[0].message


def _renamed(world: World, hub: Path, shas: list[str]) -> str:
    """OLD renamed to NEW by `leaderboard rename`; the path its first request moved to."""
    rename_on_hub(hub)
    assert world.run("rename", OLD, NEW) == 0
    return f"requests/{NEW}/{shas[0]}_bfloat16_nochat.yaml"


def test_a_moved_request_or_result_with_other_changes_is_refused(
    world: World, hub: Path, shas: list[str]
) -> None:
    req = _renamed(world, hub, shas)
    world.edit(req, "submitter: carol", "submitter: mallory")
    [res] = world.repo.result_files(NEW)
    world.edit(res, '"acc,none":0.5', '"acc,none":0.99')  # results files are one line
    problems = world.check()
    by_path = {p.path: p for p in problems}
    # The moved index entry was made from the result before the edit: it no longer matches.
    assert set(by_path) == {req, res, index_path(res)}, [p.render() for p in problems]
    assert by_path[req].field == "submitter" and by_path[req].line
    assert "lm-eval's own output" in by_path[res].message
    assert by_path[index_path(res)].field == "blob"


def test_a_moved_request_whose_model_does_not_match_its_path_is_refused(
    world: World, hub: Path, shas: list[str]
) -> None:
    req = _renamed(world, hub, shas)
    world.edit(req, f"model: {NEW}", f"model: {OLD}")
    problem = one(world.check(), "rename")
    assert problem.field == "model" and problem.path == req


def test_renames_history_and_loops(world: World, hub: Path, shas: list[str]) -> None:
    rename_on_hub(hub)
    assert world.run("rename", OLD, NEW) == 0
    world.merge()
    renames = world.root / "curation/renames.yaml"
    text = renames.read_text()
    renames.write_text(text.replace(f"old: {OLD}", "old: org/other"))
    problems = world.check()
    assert "history" in {p.rule for p in problems}
    renames.write_text(
        text + f"- old: {NEW}\n  new: {OLD}\n  date: '{iso_days_ago(1)}'\n  maintainer: bob\n"
    )
    problems = world.check()
    messages = " | ".join(p.message for p in problems)
    assert "renames would loop" in messages and f"{NEW} has no request" not in messages


def test_a_rename_onto_a_model_with_requests_in_another_case_is_refused(
    world: World, hub: Path, shas: list[str]
) -> None:
    """The Hub's names ignore case, so ``NeWorg/Better-Name``'s requests on the base make NEW a
    taken name. In --head mode the base is exported only where the change touches it: the rule
    reads the whole base's folders (it missed this one there)."""
    taken = make_request("NeWorg/Better-Name", shas[0], Status.finished)
    world.repo.write_request(request_path(taken.identity), taken)
    world.merge()
    rename_on_hub(hub)
    assert world.run("rename", OLD, NEW) == 0
    problems = [p for p in world.check() if "already has requests" in p.message]
    assert problems and f"requests/{taken.model}/" in problems[0].message
