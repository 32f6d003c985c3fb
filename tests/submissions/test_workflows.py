"""The PR workflows' security shape, read from the YAML files themselves."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
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


@pytest.mark.parametrize("name", ["validate.yml", "comment.yml"])
def test_actions_are_pinned_and_checkouts_keep_no_credentials(name):
    workflow = load(name)
    uses = [s for s in steps(workflow) if "uses" in s]
    assert uses
    for step in uses:
        assert PINNED.match(step["uses"]), f"{step['uses']} is not pinned to a full commit sha"
        if step["uses"].startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False


def test_validate_is_read_only_and_runs_the_base_validator():
    workflow = load("validate.yml")
    assert set(workflow["on"]) == {"pull_request"}
    assert set(workflow["on"]["pull_request"]["paths"]) == {"requests/**", "curation/**"}
    assert workflow["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in workflow["jobs"].values())
    text = (WORKFLOWS / "validate.yml").read_text()
    assert "secrets." not in text and "pull_request_target" not in text
    checkouts = [s for s in steps(workflow) if s.get("uses", "").startswith("actions/checkout@")]
    base = [
        c for c in checkouts if c["with"].get("ref") == "${{ github.event.pull_request.base.sha }}"
    ]
    assert len(base) == 1 and base[0]["with"]["path"] == "base"
    runs = "\n".join(s.get("run", "") for s in steps(workflow))
    assert "install --quiet --disable-pip-version-check ./base" in runs  # never ./pr
    assert "./pr" not in runs and "pr/scripts" not in runs
    assert 'leaderboard" validate --repo pr' in runs
    # Untrusted values reach the shell only through the environment, never inline.
    assert "${{" not in runs
    upload = [
        s for s in steps(workflow) if s.get("uses", "").startswith("actions/upload-artifact@")
    ]
    assert upload and upload[0]["if"] == "always()"


def test_comment_only_writes_comments_and_never_touches_pr_content():
    workflow = load("comment.yml")
    assert set(workflow["on"]) == {"workflow_run"}
    assert workflow["on"]["workflow_run"]["workflows"] == ["validate"]
    assert workflow["permissions"] == {}
    [job] = workflow["jobs"].values()
    assert job["permissions"] == {"actions": "read", "pull-requests": "write"}
    for step in steps(workflow):
        if step.get("uses", "").startswith("actions/checkout@"):
            ref = step["with"]["ref"]
            assert ref == "${{ github.event.repository.default_branch }}"
            assert "head" not in ref and "pull" not in ref
        assert "${{" not in step.get("run", "")


@pytest.mark.skipif(not shutil.which("zizmor"), reason="zizmor is not installed")
def test_zizmor_finds_nothing():
    out = subprocess.run(
        ["zizmor", "--offline", "--no-progress", str(WORKFLOWS)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_sticky_comment_escapes_untrusted_text():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "sticky", ROOT / ".github/scripts/sticky_comment.py"
    )
    sticky = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sticky)
    body = sticky.render(
        {
            "ok": False,
            "problems": [
                {"path": "a|b", "line": 3, "rule": "schema", "message": "@everyone <img>\n| x"}
            ],
        },
        "https://example.invalid/run",
    )
    assert sticky.MARKER in body and "❌" in body
    row = next(line for line in body.splitlines() if line.startswith("| `a"))
    assert "@everyone" not in row and "<img>" not in row and row.count(" | ") == 3
