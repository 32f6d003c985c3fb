"""The trust boundary: every path a pull request changes is judged, and the PR can be read
from git's objects alone (``--head``), as the base branch's workflow does."""

from __future__ import annotations

from leaderboard.core.codeowners import render_codeowners
from tests.submissions.submissions_helpers import request_text, rules, validate


def _pr(repo):
    repo.git("checkout", "-q", "-B", "pr", "origin/main")


def test_a_submission_that_edits_anything_else_names_each_path(judge, leaderboard_repo):
    _pr(leaderboard_repo)
    rel, text = request_text()
    leaderboard_repo.write(rel, text)
    leaderboard_repo.write(".github/workflows/validate.yml", "name: forged\n")
    leaderboard_repo.write("scripts/leaderboard/x.py", "print('hi')\n")
    leaderboard_repo.write("pyproject.toml", "[project]\n")
    (leaderboard_repo.path / "docs").mkdir()
    (leaderboard_repo.path / "docs" / "link.md").symlink_to("/etc/passwd")
    leaderboard_repo.commit("a request and more")
    code, report = judge("bob", "--no-hub", "--committed")
    assert code == 1
    refused = {p["path"]: p for p in report["problems"] if p["rule"] == "needs-maintainer"}
    assert set(refused) == {
        ".github/workflows/validate.yml",
        "scripts/leaderboard/x.py",
        "pyproject.toml",
        "docs/link.md",
    }
    for path, problem in refused.items():
        assert path in problem["message"] and "@alice" in problem["message"]
    assert "symbolic link" in refused["docs/link.md"]["message"]
    assert rel not in refused  # the request itself is judged by the submission rules


def test_a_submitter_may_not_touch_codeowners(judge, leaderboard_repo):
    _pr(leaderboard_repo)
    leaderboard_repo.write(".github/CODEOWNERS", "* @bob\n")
    leaderboard_repo.commit("take over")
    code, report = judge("bob", "--no-hub", "--committed")
    assert code == 1 and rules(report) == ["needs-maintainer"]
    assert ".github/CODEOWNERS" in report["problems"][0]["message"]


def test_a_maintainers_hand_edit_of_codeowners_reaches_the_codeowners_rule(judge, leaderboard_repo):
    leaderboard_repo.write(".github/CODEOWNERS", render_codeowners(["alice"]))
    leaderboard_repo.commit("owners")
    leaderboard_repo.git("push", "-q", "origin", "main")
    _pr(leaderboard_repo)
    leaderboard_repo.write(".github/CODEOWNERS", render_codeowners(["alice", "mallory"]))
    leaderboard_repo.commit("add an owner by hand")
    code, report = judge("alice", "--no-hub", "--committed")
    assert code == 1 and set(rules(report)) == {"codeowners"}
    assert "mallory" in report["problems"][0]["message"]
    # A maintainer's code change is reviewed by people, not refused.
    leaderboard_repo.write(".github/CODEOWNERS", render_codeowners(["alice"]))
    leaderboard_repo.write("scripts/tool.py", "x = 1\n")
    leaderboard_repo.commit("back, and a tool")
    code, report = judge("alice", "--no-hub", "--committed")
    assert (code, report["problems"]) == (0, [])


def test_head_is_read_from_git_objects_never_from_the_checkout(leaderboard_repo, capsys):
    _pr(leaderboard_repo)
    rel, text = request_text(submitter="mallory")
    leaderboard_repo.write(rel, text)
    head = leaderboard_repo.commit("a request in someone else's name")
    leaderboard_repo.git("checkout", "-q", "main")  # the base branch, as the workflow has it
    assert not (leaderboard_repo.path / rel).exists()
    code, report = validate(
        leaderboard_repo, capsys, "bob", "--no-hub", "--committed", "--head", head
    )
    assert code == 1 and rules(report) == ["submitter"]
    assert report["problems"][0]["path"] == rel
