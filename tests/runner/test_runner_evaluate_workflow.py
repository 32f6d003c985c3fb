"""The evaluate workflow keeps the GPU runner away from pull requests and write tokens."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

WORKFLOW = Path(__file__).parents[2] / ".github" / "workflows" / "evaluate.yml"


def _load() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text())
    data["on"] = data.pop(True)  # YAML 1.1 reads the key `on` as a boolean
    return data


def test_triggers_never_include_pull_requests():
    triggers = _load()["on"]
    assert set(triggers) == {"push", "workflow_dispatch", "schedule"}
    assert triggers["push"] == {"branches": ["main"], "paths": ["requests/**"]}


def test_jobs_permissions_and_the_gpu_job_has_no_write_token():
    data = _load()
    assert data["permissions"] == {}
    jobs = data["jobs"]
    assert list(jobs) == ["dispatch", "evaluate", "record"]
    # The leg runs on its plan's pool: the labels come from the claim, never from a PR.
    assert jobs["evaluate"]["runs-on"] == "${{ matrix.labels }}"
    assert jobs["evaluate"]["permissions"] == {"contents": "read"}
    assert jobs["evaluate"]["needs"] == "dispatch"
    assert jobs["dispatch"]["runs-on"] == jobs["record"]["runs-on"] == "ubuntu-latest"
    assert jobs["record"]["permissions"]["contents"] == "write"
    assert "matrix" in jobs["evaluate"]["strategy"]
    group = jobs["evaluate"]["concurrency"]
    assert "matrix.request" in group["group"] and group["cancel-in-progress"] is False
    # A record waiting behind another must never be cancelled: it carries results.
    assert jobs["record"]["concurrency"]["queue"] == "max"
    assert data["defaults"]["run"]["shell"] == "bash"  # -eo pipefail: `record | tee` fails
    evaluate_steps = [s.get("run", "") for s in jobs["evaluate"]["steps"]]
    assert any("--no-git --out bundle" in run for run in evaluate_steps)
    record_steps = " ".join(s.get("run", "") for s in jobs["record"]["steps"])
    assert "leaderboard record --push" in record_steps and "--from bundles" in record_steps
    assert "gh workflow run publish.yml" in record_steps


def test_actions_are_pinned_to_full_commit_shas():
    uses = re.findall(r"uses:\s*(\S+)", WORKFLOW.read_text())
    assert uses
    for ref in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", ref), ref


def test_untrusted_values_reach_shell_only_through_the_environment():
    for job in _load()["jobs"].values():
        for step in job["steps"]:
            assert "${{" not in step.get("run", ""), step


def test_the_gpu_job_builds_its_own_environment_and_ends_before_reconcile():
    from leaderboard.core.models import Settings

    job = _load()["jobs"]["evaluate"]
    runs = "\n".join(step.get("run", "") for step in job["steps"])
    assert "--system-site-packages" not in runs  # nothing from the machine's Python leaks in
    assert '"torch==2.13.0" --index-url "$TORCH_INDEX_URL"' in runs
    secrets = re.findall(r"secrets\.(\w+)", yaml.safe_dump(job))
    assert set(secrets) == {"HF_READ_TOKEN"}  # in the prepare step and the evaluation
    hours = Settings.model_fields["reconcile_timeout_hours"].default
    # The timeout is the plan's (core.plan.timeout_minutes), by size, and under reconcile's
    # window for every size (tests/runner/test_runner_plans.py checks each window).
    assert job["timeout-minutes"] == "${{ matrix.timeout_minutes }}"
    from leaderboard.core.models import Precision
    from leaderboard.core.plan import timeout_minutes

    assert timeout_minutes(10**15, Precision.int8, hours) < hours * 60


def test_each_leg_gets_its_plan_from_the_claim():
    data = _load()
    dispatch, evaluate = data["jobs"]["dispatch"], data["jobs"]["evaluate"]
    claim = next(s for s in dispatch["steps"] if s.get("id") == "claim")
    assert "leaderboard claim --push" in claim["run"] and "--plan --json" in claim["run"]
    assert evaluate["strategy"]["matrix"] == {
        "include": "${{ fromJSON(needs.dispatch.outputs.requests) }}"
    }
    step = next(s for s in evaluate["steps"] if s.get("name") == "Evaluate")
    assert step["env"]["PLAN"] == "${{ toJSON(matrix) }}"
    assert step["env"]["REQUEST"] == "${{ matrix.request }}"
    assert '--plan "$PLAN"' in step["run"]
    # The record job gets the same list: plans name their requests (cli.options.claimed_paths).
    record = " ".join(str(s.get("env", {})) for s in data["jobs"]["record"]["steps"])
    assert "needs.dispatch.outputs.requests" in record
