"""Models that cannot be evaluated end FAILED with category `model` and a reason to act on."""

from __future__ import annotations

import json

import pytest

from tests.lbtest import git, make_request
from tests.runner.runnertest import leaderboard


@pytest.mark.slow
def test_unloadable_and_pickle_only_models_fail_with_category_model(
    hub_models, hub_env, make_queue
):
    broken = make_request("acme/broken", hub_models.shas["acme/broken"], age_minutes=2)
    pickled = make_request("acme/pickled", hub_models.shas["acme/pickled"], age_minutes=1)
    queue, (broken_rel, pickled_rel) = make_queue([broken, pickled])
    clone = queue.clone("runner")
    proc = leaderboard(
        "evaluate", "--next", "--all", "--push", "--limit", "4", "--runner", "r1", "--json",
        cwd=clone, env=hub_env
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    outcomes = {o["request"]: o for o in json.loads(proc.stdout)}
    assert set(outcomes) == {broken_rel, pickled_rel}

    failed = queue.request(broken_rel)
    assert failed.status.value == "FAILED"
    assert failed.failure_category.value == "model"
    assert failed.failure_reason.startswith("the model could not be loaded")
    assert "do not match config.json" in failed.failure_reason
    # transformers' own words point at a report it logged, which no reader of the request has.
    assert "above report" not in failed.failure_reason, failed.failure_reason
    assert failed.attempts == 1 and failed.finished_at is not None

    refused = queue.request(pickled_rel)
    assert refused.status.value == "FAILED"
    assert refused.failure_category.value == "model"
    assert "safetensors" in refused.failure_reason
    assert "pytorch_model.bin" in refused.failure_reason
    # Nothing was recorded as a result, and the queue shows the reasons.
    assert queue.files("results") == []
    shown = leaderboard("queue", "--json", cwd=clone, env=hub_env)
    failed_rows = json.loads(shown.stdout)["failed"]
    assert {row["path"] for row in failed_rows} == {broken_rel, pickled_rel}
    assert all(row["category"] == "model" and row["reason"] for row in failed_rows)


@pytest.mark.slow
def test_the_three_job_flow_claim_evaluate_only_record(hub_models, hub_env, make_queue, tmp_path):
    """What evaluate.yml runs: claim and push; evaluate with no git into a bundle; record."""
    request = make_request("acme/pickled", hub_models.shas["acme/pickled"], age_minutes=2)
    lost = make_request("acme/tiny", hub_models.shas["acme/tiny"], age_minutes=1)
    queue, (rel, lost_rel) = make_queue([request, lost])
    dispatcher = queue.clone("dispatch")
    proc = leaderboard(
        "claim", "--push", "--max", "4", "--runner", "gha-1", "--json", cwd=dispatcher, env=hub_env
    )
    assert proc.returncode == 0, proc.stderr
    claimed = proc.stdout.strip()
    assert json.loads(claimed) == [rel, lost_rel]
    assert queue.request(rel).status.value == "RUNNING"

    gpu = queue.clone("gpu")
    before = git(queue.remote, "rev-parse", "main")
    bundle = tmp_path / "bundle"
    proc = leaderboard(
        "evaluate", rel, "--no-git", "--out", str(bundle), "--runner", "gpu-1", cwd=gpu, env=hub_env
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert git(queue.remote, "rev-parse", "main") == before  # the GPU job pushed nothing
    assert git(gpu, "status", "--porcelain") == ""
    outcome = json.loads((bundle / "outcome.json").read_text())
    assert outcome["status"] == "FAILED" and outcome["failure_category"] == "model"
    assert outcome["attempt"] == 1 and outcome["runner"] == "gpu-1"

    # The job evaluating the second request died without sending a bundle.
    recorder = queue.clone("record")
    proc = leaderboard(
        "record", "--push", "--claimed", claimed, str(bundle), cwd=recorder, env=hub_env
    )
    assert proc.returncode == 0, proc.stderr
    final = queue.request(rel)
    assert final.status.value == "FAILED" and "safetensors" in final.failure_reason
    retried = queue.request(lost_rel)
    assert retried.status.value == "PENDING" and retried.attempts == 1
    # Recording the same bundle again changes nothing.
    proc = leaderboard("record", "--push", str(bundle), cwd=recorder, env=hub_env)
    assert proc.returncode == 0 and "status unchanged" in proc.stdout
