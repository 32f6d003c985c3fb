"""End to end: each curation act prepared by its command, judged by `leaderboard validate`
(the submissions helper's command, which calls curation_rules) on a real base and PR branch."""

from __future__ import annotations

import pytest

from leaderboard.core.ids import request_path
from tests.curation.curation_world import SHA_A, World, validate


@pytest.mark.parametrize(
    ("argv", "kind"),
    [
        (
            ["flag", "org/model-a", "--category", "other", "--discussion", "https://x.org/d/1"],
            "flag",
        ),
        (["choice", "add", "meta-llama"], "maintainer's choice"),
        (["do-not-submit", "add", "org/secret", "--reason", "asked"], "do-not-submit"),
        (["remove", "org/model-a", "--sha", SHA_A, "--reason", "superseded"], "removal"),
        (
            ["relaunch", f"requests/org/model-a/{'b' * 40}_bfloat16_nochat.yaml", "--note", "ok"],
            "relaunch",
        ),
    ],
)
def test_each_act_passes_for_a_maintainer_and_needs_one_otherwise(
    world: World, capsys: pytest.CaptureFixture[str], argv: list[str], kind: str
) -> None:
    assert world.run(*argv) == 0
    code, report = validate(world, capsys, "bob")
    assert (code, report["ok"], report["problems"]) == (0, True, []), report
    code, report = validate(world, capsys, "mallory")
    assert code == 1
    assert {p["rule"] for p in report["problems"]} == {"needs-maintainer"}
    assert all("@alice, @bob" in p["message"] for p in report["problems"])


def test_kind_of_change_and_located_problems_in_the_report(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    rel = request_path(world.failed.identity)
    assert world.run("relaunch", rel, "--note", "fixed") == 0
    world.edit(rel, "attempts: 1", "attempts: 7")
    code, report = validate(world, capsys, "alice")
    assert code == 1
    [problem] = report["problems"]
    assert (problem["path"], problem["rule"], problem["field"]) == (rel, "relaunch", "attempts")
    assert problem["kind"] == "relaunch" and problem["line"]


def test_a_broken_request_edit_is_reported_once(world: World, capsys) -> None:
    rel = request_path(world.failed.identity)
    world.edit(rel, "status: FAILED", "status: DONE")
    code, report = validate(world, capsys, "alice")
    assert code == 1
    assert [(p["path"], p["rule"], p["field"]) for p in report["problems"]] == [
        (rel, "schema", "status")
    ]
