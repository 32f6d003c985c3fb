"""Flags and unflags: the command prepares them, the validator accepts or refuses them."""

from __future__ import annotations

from tests.curation.curation_world import SHA_A, SHA_C, World, one

FLAGS = "curation/flags.yaml"
LINK = "https://github.com/example/leaderboard/discussions/7"


def flag(world: World, *extra: str) -> int:
    return world.run(
        "flag", "org/model-a", "--category", "contamination", "--discussion", LINK, *extra
    )


def test_flag_command_prepares_a_valid_change(world: World, capsys) -> None:
    assert flag(world, "--note", "trained on the test set") == 0
    out = capsys.readouterr().out
    assert "changed  curation/flags.yaml" in out
    assert "git switch -c curation/flag-org-model-a-contamination" in out
    assert "gh pr create --body-file .github/PULL_REQUEST_TEMPLATE/curation.md" in out
    flags = world.repo.flags().flags
    assert [(f.model, f.sha, f.category.value, f.maintainer) for f in flags] == [
        ("org/model-a", None, "contamination", "alice")
    ]
    assert world.check() == []
    assert world.classify() == "flag"


def test_flag_one_commit_and_unflag(world: World, capsys) -> None:
    assert flag(world, "--sha", SHA_A) == 0
    world.merge()
    assert world.run("unflag", "org/model-a", "--sha", SHA_A) == 0
    assert "Unflag org/model-a@aaaaaaaaaaaa" in capsys.readouterr().out
    assert world.repo.flags().flags == []
    assert world.check() == []
    assert world.classify() == "unflag"


def test_flag_command_refuses_what_the_validator_would(world: World, capsys) -> None:
    assert flag(world, "--maintainer", "mallory") == 2
    assert "mallory is not a maintainer" in capsys.readouterr().err
    assert world.run("flag", "org/nope", "--category", "other", "--discussion", LINK) == 2
    assert "no request for org/nope" in capsys.readouterr().err
    assert flag(world, "--sha", SHA_C) == 2  # SHA_C belongs to another model
    assert flag(world) == 0
    assert flag(world) == 2
    assert "already flagged" in capsys.readouterr().err
    assert world.run("flag", "org/model-a", "--category", "other", "--discussion", "nope") == 2


def test_flag_by_a_non_maintainer_is_refused_with_its_line(world: World) -> None:
    assert flag(world) == 0
    world.edit(FLAGS, "maintainer: alice", "maintainer: mallory")
    problem = one(world.check(), "flag")
    assert problem.path == FLAGS and problem.field == "flags.0.maintainer"
    assert (
        problem.line
        == (world.root / FLAGS).read_text().splitlines().index("  maintainer: mallory") + 1
    )
    assert "mallory is not a maintainer (@alice, @bob)" in problem.message


def test_flag_with_a_bad_category_is_a_schema_error(world: World) -> None:
    assert flag(world) == 0
    world.edit(FLAGS, "category: contamination", "category: vibes")
    problem = one(world.check(), "schema")
    lines = (world.root / FLAGS).read_text().splitlines()
    assert problem.field == "flags.0.category"
    assert problem.line == lines.index("  category: vibes") + 1
    assert "contamination" in problem.message and "unattributed-copy" in problem.message


def test_flag_without_discussion_link_or_with_unknown_field(world: World) -> None:
    assert flag(world) == 0
    world.edit(FLAGS, f"discussion: {LINK}", "discusion: somewhere")
    problems = world.check()
    fields = {p.field for p in problems}
    assert {"flags.0.discussion", "flags.0.discusion"} <= fields
    assert any("unknown field 'discusion'" in p.message for p in problems)


def test_flag_of_an_unknown_model_or_commit_or_in_the_future(world: World) -> None:
    assert flag(world) == 0
    world.edit(FLAGS, "model: org/model-a", "model: org/model-typo")
    world.edit(FLAGS, "date: '20", "date: '29")
    problems = world.check()
    messages = sorted(p.message for p in problems)
    assert messages == [
        "the date is in the future",
        "there is no request for org/model-typo under requests/: check the name",
    ]


def test_the_same_model_flagged_twice(world: World) -> None:
    assert flag(world) == 0
    text = (world.root / FLAGS).read_text()
    entry = text.split("flags:\n", 1)[1]
    (world.root / FLAGS).write_text(text + entry)
    problem = one(world.check(), "flag")
    assert "flagged twice (entries 1 and 2)" in problem.message


def test_deleting_the_flags_file_is_refused(world: World) -> None:
    (world.root / FLAGS).unlink()
    problem = one(world.check(), "history")
    assert problem.path == FLAGS and "empty its list" in problem.message
