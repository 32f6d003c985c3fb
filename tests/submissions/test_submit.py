"""`leaderboard submit` against the devhub: resolve, check, write, never overwrite."""

from __future__ import annotations

import shlex

import pytest

from leaderboard.cli.main import main
from leaderboard.hub import facts
from leaderboard.store.repo import Repo

#: A chat model at the tag v1.
GOOD_AT_V1 = "org/good --revision v1 --precision bfloat16 --model-type chat --chat-template"
GOOD_AT_V1 += " --submitter bob"


def _submit(checkout, *args: str) -> int:
    """``leaderboard submit`` in ``checkout``; each of ``args`` may hold several words (split
    as a shell would)."""
    words = [w for a in args for w in shlex.split(a)]
    return main(["submit", "--repo", str(checkout.path), *words])


def test_submit_resolves_the_tag_writes_pending_and_prints_git_commands(
    leaderboard_repo, hub, capsys
):
    tag_sha = facts.resolve_revision("org/good", "v1")
    code = _submit(leaderboard_repo, GOOD_AT_V1)
    out = capsys.readouterr().out
    rel = f"requests/org/good/{tag_sha}_bfloat16_chat.yaml"
    assert code == 0 and f"wrote {rel}" in out
    assert f"git add {rel}" in out and "git push -u origin" in out
    request = Repo(leaderboard_repo.path).read_request(rel)
    assert (
        request.status.value == "PENDING"
        and request.submitter == "bob"
        and request.revision == tag_sha
    )
    # What submit wrote, validate accepts (the submitter's local pre-check equals CI's).
    capsys.readouterr()
    assert main(["validate", "--repo", str(leaderboard_repo.path), "--author", "bob"]) == 0
    # Never overwrites: the same request again is a duplicate.
    assert _submit(leaderboard_repo, GOOD_AT_V1) == 1
    assert "[duplicate]" in capsys.readouterr().err


def test_dry_run_writes_nothing(leaderboard_repo, hub, capsys):
    args = "org/good --precision float16 --model-type pretrained --submitter bob --dry-run"
    assert _submit(leaderboard_repo, args) == 0
    assert "dry run" in capsys.readouterr().out
    assert not (leaderboard_repo.path / "requests").exists()


def test_submit_refuses_a_failing_model_with_the_reason(leaderboard_repo, hub, capsys):
    args = "org/nolicense --precision float16 --model-type pretrained --submitter bob"
    assert _submit(leaderboard_repo, args) == 1
    err = capsys.readouterr().err
    assert "[hub-license]" in err and "license:" in err
    assert not (leaderboard_repo.path / "requests").exists()


def test_submit_needs_to_know_the_submitter(leaderboard_repo, hub, capsys, monkeypatch):
    monkeypatch.delenv("GITHUB_ACTOR", raising=False)
    assert _submit(leaderboard_repo, "org/good --precision float16 --model-type pretrained") == 2
    assert "--submitter" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["org/missing", "--precision", "float16"], "not found"),
        (["org/good", "--revision", "nope", "--precision", "float16"], "no revision 'nope'"),
        (["'not a model'", "--precision", "float16"], "not a Hub model id"),
    ],
)
def test_submit_errors_say_what_to_fix(leaderboard_repo, hub, capsys, args, message):
    code = _submit(leaderboard_repo, *args, "--model-type pretrained --submitter bob")
    assert code in (1, 2)
    assert message in capsys.readouterr().err


def test_submit_pins_the_base_model_of_an_adapter(leaderboard_repo, hub, capsys):
    """`--base-revision` (default main) is resolved to the commit that base_revision pins."""
    args = "org/adapter --precision bfloat16 --model-type fine-tuned"
    args += " --weight-type Adapter --base-model org/good --submitter bob"
    assert _submit(leaderboard_repo, args, "--base-revision v1") == 0
    [rel] = Repo(leaderboard_repo.path).request_files("org/adapter")
    request = Repo(leaderboard_repo.path).read_request(rel)
    assert request.base_revision == facts.resolve_revision("org/good", "v1")
    assert facts.resolve_revision("org/good") != request.base_revision  # main moved on since
    capsys.readouterr()
    assert main(["validate", "--repo", str(leaderboard_repo.path), "--author", "bob"]) == 0
    original = ["org/good", "--precision", "bfloat16", "--model-type", "chat", "--submitter", "bob"]
    assert _submit(leaderboard_repo, *original, "--base-revision", "v1") == 2
    assert "--base-revision pins the base model" in capsys.readouterr().err


def test_the_submitter_can_ask_for_a_community_evals_pull_request(leaderboard_repo, hub, capsys):
    """Issue 27: an optional request field, written only when asked for (the default file is
    unchanged), and accepted by validation as CI runs it."""
    args = "org/good --precision float16 --model-type pretrained --submitter bob"
    assert _submit(leaderboard_repo, args, "--eval-results-pr") == 0
    [rel] = Repo(leaderboard_repo.path).request_files()
    text = (leaderboard_repo.path / rel).read_text()
    assert "eval_results_pr: true\n" in text
    assert Repo(leaderboard_repo.path).read_request(rel).eval_results_pr is True
    capsys.readouterr()
    assert main(["validate", "--repo", str(leaderboard_repo.path), "--author", "bob"]) == 0
    assert (
        _submit(
            leaderboard_repo,
            "org/good --precision bfloat16 --model-type pretrained --submitter bob",
        )
        == 0
    )
    plain = Repo(leaderboard_repo.path).request_files()
    assert (
        "eval_results_pr"
        not in (leaderboard_repo.path / next(p for p in plain if p != rel)).read_text()
    )
