"""The PR workflow's security shape, read from the YAML file itself."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")


def load(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as True
    return data


def steps(workflow: dict) -> list[dict]:
    return [s for job in workflow["jobs"].values() for s in job.get("steps", [])]


def test_actions_are_pinned_and_checkouts_keep_no_credentials():
    uses = [s for s in steps(load("validate.yml")) if "uses" in s]
    assert uses
    for step in uses:
        assert PINNED.match(step["uses"]), f"{step['uses']} is not pinned to a full commit sha"
        if step["uses"].startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False


def test_the_verdict_comes_from_the_base_branch_and_pr_content_is_only_data():
    workflow = load("validate.yml")
    # pull_request would run the PR's own copy of this file; pull_request_target runs the base's.
    assert set(workflow["on"]) == {"pull_request_target", "merge_group"}
    assert workflow["on"]["pull_request_target"] is None  # no path filter: never a hung check
    assert workflow["permissions"] == {}
    [job] = workflow["jobs"].values()
    assert job["permissions"] == {"contents": "read", "pull-requests": "write"}
    assert "secrets" not in yaml.safe_dump(workflow)
    checkouts = [s for s in steps(workflow) if s.get("uses", "").startswith("actions/checkout@")]
    assert [c["with"]["ref"] for c in checkouts] == [
        "${{ github.event.merge_group.base_sha || github.sha }}"
    ]
    runs = "\n".join(s.get("run", "") for s in steps(workflow))
    assert "install --quiet --disable-pip-version-check ./base" in runs
    assert 'fetch --quiet --no-tags origin "$HEAD_SHA"' in runs
    assert '--head "$HEAD_SHA"' in runs  # judged from git objects, never a checkout
    for forbidden in ("checkout ", "worktree", "switch ", "pip install ./pr", "refs/pull/"):
        assert forbidden not in runs
    assert "${{" not in runs  # untrusted values reach the shell only through the environment
