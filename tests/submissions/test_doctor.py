"""`leaderboard doctor`: what a deployment must have for the rate limit and the duplicate rule to
hold between pull requests, asked of GitHub through the `gh` stand-in (tests/workflows/standins)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from leaderboard.cli.main import main
from tests.lbtest import gh_standin

ROOT = Path(__file__).resolve().parents[2]  # this repository: its own validate.yml
REQUIRED = {
    "type": "required_status_checks",
    "parameters": {
        "strict_required_status_checks_policy": False,
        "required_status_checks": [{"context": "validate"}],
    },
}


@pytest.fixture
def github(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Set what the stand-in GitHub answers; returns a function that runs the doctor."""
    gh_standin(tmp_path, monkeypatch)

    def run(capsys, state: dict, repo: Path = ROOT) -> tuple[int, dict[str, str]]:
        (tmp_path / "github.json").write_text(json.dumps(state))
        capsys.readouterr()
        code = main(["doctor", "--repository", "o/r", "--repo", str(repo)])
        lines = capsys.readouterr().out.splitlines()
        return code, {line.split(":")[0].split(None, 1)[1]: line.split()[0] for line in lines}

    return run


def test_an_unprotected_branch_is_told_what_is_missing(github, capsys):
    code, found = github(capsys, {})
    assert code == 1
    assert found == {
        "workflow": "ok",
        "required check": "missing",
        "checked at merge time": "missing",
    }


@pytest.mark.parametrize(
    "state",
    [
        {"branch_rules": {"main": [REQUIRED, {"type": "merge_queue", "parameters": {}}]}},
        {
            "protection": {
                "main": {"required_status_checks": {"strict": True, "contexts": ["validate"]}}
            }
        },
    ],
    ids=["ruleset-merge-queue", "classic-up-to-date"],
)
def test_the_merge_queue_or_up_to_date_branches_are_enough(github, capsys, state):
    code, found = github(capsys, state)
    assert code == 0 and set(found.values()) == {"ok"}, found


def test_a_required_check_alone_lets_two_pull_requests_race(github, capsys):
    code, found = github(capsys, {"branch_rules": {"main": [REQUIRED]}})
    assert code == 1
    assert (found["required check"], found["checked at merge time"]) == ("ok", "missing")


def test_what_github_will_not_show_is_unknown_never_missing(github, capsys):
    """A token that may not read classic protection: rules in rulesets alone cannot say."""
    code, found = github(capsys, {"protection": {"main": "forbidden"}})
    assert code == 2
    assert (found["required check"], found["checked at merge time"]) == ("unknown", "unknown")


def test_a_workflow_that_does_not_run_in_the_merge_queue_is_missing(github, capsys, tmp_path):
    workflow = tmp_path / "checkout" / ".github" / "workflows" / "validate.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text("on:\n  pull_request_target:\njobs: {}\n")
    state = {"branch_rules": {"main": [REQUIRED, {"type": "merge_queue", "parameters": {}}]}}
    code, found = github(capsys, state, tmp_path / "checkout")
    assert code == 1 and found["workflow"] == "missing"
