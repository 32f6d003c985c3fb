"""Maintainer's choice, do-not-submit, settings and CODEOWNERS, and unknown curation files."""

from __future__ import annotations

from leaderboard.checks import codeowners_rule
from leaderboard.core import ids
from leaderboard.core.models import Change, ChangeKind
from tests.curation.curation_world import World, one
from tests.lbtest import iso_days_ago

CHOICE = "curation/maintainers-choice.yaml"
DNS = "curation/do-not-submit.yaml"
SETTINGS = "curation/settings.yaml"


def test_choice_add_and_remove(world: World, capsys) -> None:
    assert world.run("choice", "add", "meta-llama") == 0
    assert world.run("choice", "add", "Allenai") == 0
    assert "changed  curation/maintainers-choice.yaml" in capsys.readouterr().out
    assert world.repo.maintainers_choice().organisations == ["Allenai", "meta-llama"]
    assert world.run("choice", "add", "allenai") == 2
    assert "already in the maintainer's choice" in capsys.readouterr().err
    assert world.check() == []
    assert world.classify() == "maintainer's choice"
    world.merge()
    assert world.run("choice", "remove", "allenai") == 0
    assert world.repo.maintainers_choice().organisations == ["meta-llama"]
    assert world.run("choice", "remove", "nobody") == 2
    assert world.run("choice", "add", "../etc") == 2
    assert world.check() == []


def test_choice_duplicates_and_bad_names_are_refused(world: World) -> None:
    (world.root / CHOICE).write_text(
        "schema_version: 1\norganisations:\n- a-org\n- A-org\n- ../x\n"
    )
    problem = one(world.check(), "schema")
    assert (problem.field, problem.line) == ("organisations.2", 5)
    (world.root / CHOICE).write_text("schema_version: 1\norganisations:\n- a-org\n- A-org\n")
    problem = one(world.check(), "duplicate")
    assert (problem.field, problem.line) == ("organisations.1", 4)


def test_do_not_submit_add_and_remove(world: World, capsys) -> None:
    assert world.run("do-not-submit", "add", "org/secret", "--reason", "authors asked, #12") == 0
    assert "note:" not in capsys.readouterr().out
    assert world.run("do-not-submit", "add", "org/model-a", "--reason", "asked") == 0
    assert "also run: leaderboard remove org/model-a" in capsys.readouterr().out
    assert [m.model for m in world.repo.do_not_submit().models] == ["org/secret", "org/model-a"]
    assert world.run("do-not-submit", "add", "org/other") == 2
    assert "needs --reason" in capsys.readouterr().err
    assert world.run("do-not-submit", "add", "Org/Secret", "--reason", "again") == 2
    assert world.check() == []
    assert world.classify() == "do-not-submit"
    world.merge()
    assert world.run("do-not-submit", "remove", "org/secret") == 0
    assert [m.model for m in world.repo.do_not_submit().models] == ["org/model-a"]
    assert world.check() == []


def test_do_not_submit_entries_need_a_reason_and_a_past_date(world: World) -> None:
    (world.root / DNS).write_text(
        "schema_version: 1\nmodels:\n"
        f"- model: org/x\n  reason: ' '\n  date: '{iso_days_ago(-365)}'\n"
        f"- model: ORG/x\n  reason: dup\n  date: '{iso_days_ago(30)}'\n"
    )
    problems = world.check()
    assert {(p.field, p.line) for p in problems} == {
        ("models.0.reason", 4),
        ("models.0.date", 5),
        ("models.1.model", 6),
    }, [p.render() for p in problems]


def test_settings_change_must_keep_codeowners_in_step(world: World, capsys) -> None:
    world.edit(SETTINGS, "- bob\n", "- bob\n- dana\n")
    problems = world.check()
    assert {p.path for p in problems} == {ids.CODEOWNERS_PATH}
    assert (
        "missing @dana" in problems[0].message and "leaderboard codeowners" in problems[0].message
    )
    assert world.run("codeowners", "--check") == 1
    assert world.run("codeowners") == 0
    assert "@alice @bob @dana" in (world.root / ids.CODEOWNERS_PATH).read_text()
    assert world.run("codeowners", "--check") == 0
    assert world.check() == []
    assert world.classify() == "settings"


def test_codeowners_edited_by_hand_is_refused(world: World) -> None:
    world.edit(ids.CODEOWNERS_PATH, "/curation/ @alice @bob", "/curation/ @alice @mallory")
    problem = one(world.check(), "codeowners")
    assert problem.field == "/curation/"
    assert (
        "missing @bob" in problem.message
        and "not maintainers in settings: @mallory" in problem.message
    )


def test_settings_without_maintainers_or_with_bad_values(world: World) -> None:
    world.edit(SETTINGS, "per_namespace: 5", "per_namespace: 0")
    problem = one(world.check(), "schema")
    assert problem.field == "rate_limit.per_namespace" and problem.line
    world.edit(SETTINGS, "per_namespace: 0", "per_namespace: 5")
    world.edit(SETTINGS, "maintainers:\n- alice\n- bob\n", "maintainers: []\n")
    problem = one(world.check(), "settings")
    assert problem.field == "maintainers" and "nobody could curate" in problem.message


def test_unknown_curation_files_and_hostile_paths(world: World) -> None:
    (world.root / "curation/extra.yaml").write_text("a: 1\n")
    problem = one(world.check(), "curation")
    assert problem.path == "curation/extra.yaml" and "curation/flags.yaml" in problem.message
    hostile = [Change(kind=ChangeKind.modified, path="requests/../../etc/passwd")]
    from leaderboard.checks.curation_rules import check_change

    problems = check_change(world.base(), world.repo, hostile, "alice")
    assert [p.rule for p in problems] == ["path"]


def test_curation_yaml_is_parsed_strictly(world: World) -> None:
    (world.root / "curation/flags.yaml").write_text("schema_version: 1\nflags: &a []\nmore: *a\n")
    problem = one(world.check(), "yaml")
    assert problem.line == 2 and "anchors" in problem.message


def test_this_repository_curation_files_parse_and_codeowners_agree() -> None:
    """The files shipped in this repository: strict parse, and CODEOWNERS from settings."""
    from pathlib import Path

    from leaderboard.core.models import CURATION_FILES
    from leaderboard.store.repo import Repo

    root = Path(__file__).resolve().parents[2]
    for kind, (rel, _) in CURATION_FILES.items():
        assert (root / rel).is_file(), rel
        Repo(root).read_curation(kind)
    assert codeowners_rule.codeowners_problems(Repo(root)) == []


def test_runner_pools_must_be_told_apart_by_their_labels(world: World) -> None:
    """GitHub gives a job to any runner that has all the labels it asks for: a pool whose
    labels another pool's runners all carry could see its jobs land on the wrong machines."""
    from leaderboard.core.models import RunnerPool, Settings

    def pools(*specs: tuple[str, list[str]]) -> Settings:
        return Settings(
            maintainers=["alice", "bob"],
            runner_pools=[
                RunnerPool(name=n, labels=labels, gpus=1, gpu_memory_gb=24) for n, labels in specs
            ],
        )

    world.repo.write_curation(
        "settings", pools(("small", ["self-hosted", "gpu"]), ("big", ["self-hosted", "GPU", "x8"]))
    )
    problem = one(world.check(), "settings")
    assert problem.field == "runner_pools.0.labels" and problem.line
    assert "runner pool 'small' has no label that 'big' lacks" in problem.message
    world.repo.write_curation("settings", pools(("small", ["gpu-24gb"]), ("small", ["gpu-80gb"])))
    problem = one(world.check(), "duplicate")
    assert problem.field == "runner_pools.1.name"
    world.repo.write_curation(
        "settings", pools(("small", ["self-hosted", "gpu-24gb"]), ("big", ["self-hosted", "x8"]))
    )
    assert world.check() == []
    assert world.classify() == "settings"
