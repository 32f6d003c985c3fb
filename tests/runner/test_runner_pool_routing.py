"""The runner pools through the CLI as evaluate.yml runs it: claim with plans, evaluate a leg
with its plan (8bit and 4bit through bitsandbytes on this CPU), and what the result records."""

from __future__ import annotations

import json
import os

import pytest

from tests.lbtest import git, make_request
from tests.runner.runnertest import leaderboard

SETTINGS = (
    "schema_version: 1\nsuite: demo\nmaintainers: [alice]\nrunner_pools:\n"
    "- name: small\n  labels: [self-hosted, gpu-small]\n  gpus: 1\n  gpu_memory_gb: 24\n"
    "- name: large\n  labels: [self-hosted, gpu-large]\n  gpus: 8\n  gpu_memory_gb: 80\n"
)


def test_claim_plans_each_request_commits_the_plan_and_emits_it(hub_models, hub_env, make_queue):
    tiny = hub_models.shas["acme/tiny"]
    # Declared sizes plan without the Hub; the tiny model's is counted on the (dev)Hub.
    big = make_request("acme/big", "b" * 40, age_minutes=4, params=70.553706, precision="bfloat16")
    huge = make_request("acme/huge", "c" * 40, age_minutes=3, params=900.0)
    small = make_request("acme/tiny", tiny, age_minutes=2)
    queue, (big_rel, huge_rel, small_rel) = make_queue([big, huge, small], SETTINGS)
    work = queue.clone("dispatch")
    proc = leaderboard(
        "claim", "--push", "--max", "4", "--plan", "--json", "--runner", "gha-7",
        cwd=work, env={**hub_env, "COLUMNS": "500"},  # progress lines unwrapped
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    plans = json.loads(proc.stdout)
    assert [p["request"] for p in plans] == [big_rel, small_rel]
    by = {p["request"]: p for p in plans}
    assert (by[big_rel]["pool"], by[big_rel]["parallelism"]) == ("large", "model")
    assert by[big_rel]["labels"] == ["self-hosted", "gpu-large"] and by[big_rel]["gpus"] == 8
    assert by[big_rel]["model_args"]["parallelize"] is True
    assert by[big_rel]["model_args"]["max_memory_per_gpu"].endswith("GB")
    assert (by[small_rel]["pool"], by[small_rel]["parallelism"]) == ("small", "single")
    assert by[small_rel]["model_args"]["revision"] == tiny
    # What no pool holds stays PENDING, and the run says why.
    assert queue.request(huge_rel).status.value == "PENDING"
    assert f"{huge_rel} stays PENDING: it cannot be planned: 900.0B parameters" in proc.stderr
    # Each claim commit records what it planned, for audit.
    body = git(queue.remote, "log", "--format=%B", "-1", "main", "--", big_rel)
    assert body.startswith(f"Claim {big_rel} for gha-7 (attempt 1)")
    assert "Planned: pool large (8 × 80 GB), split over 8 GPUs" in body
    recorded = json.loads(body.split("\nPlan: ", 1)[1].strip())
    assert recorded == by[big_rel]


def test_without_plan_the_claim_prints_paths_as_before(hub_models, hub_env, make_queue):
    queue, (rel,) = make_queue([make_request("acme/x", "d" * 40, age_minutes=1)], SETTINGS)
    proc = leaderboard("claim", "--json", cwd=queue.clone("w"), env=hub_env)
    assert proc.returncode == 0 and json.loads(proc.stdout) == [rel], proc.stderr


@pytest.mark.slow
@pytest.mark.parametrize("precision", ["8bit", "4bit"])
def test_a_quantized_leg_runs_with_its_plan_and_records_the_pool(
    hub_models, hub_env, make_queue, tmp_path, precision
):
    """bitsandbytes runs 8bit and 4bit on this CPU: the whole path, not only its arguments."""
    request = make_request(
        "acme/tiny", hub_models.shas["acme/tiny"], age_minutes=1, precision=precision
    )
    queue, (rel,) = make_queue([request], SETTINGS)
    proc = leaderboard(
        "claim", "--push", "--plan", "--json", "--runner", "gha-1",
        cwd=queue.clone("dispatch"), env=hub_env
    )  # fmt: skip
    [plan] = json.loads(proc.stdout)
    assert plan["model_args"]["quantization_config"]["quant_method"] == "bitsandbytes"
    bundle = tmp_path / "bundle"
    proc = leaderboard(
        "evaluate", rel, "--no-git", "--out", str(bundle), "--limit", "2",
        "--plan", json.dumps(plan), cwd=queue.clone("gpu"), env=hub_env
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    outcome = json.loads((bundle / "outcome.json").read_text())
    assert outcome["status"] == "FINISHED", outcome
    provenance = json.loads((bundle / "result.json").read_text())["provenance"]
    assert provenance["pool"] == "small" and provenance["parallelism"] == "single"
    assert provenance["planned_memory_gb"] == plan["memory_gb"]
    # No GPU here: nothing is measured, and nothing is made up.
    assert "gpu_model" not in provenance and "peak_memory_gb" not in provenance
    assert f'"load_in_{precision}":true' in provenance["command"]
    assert "parallelize" not in provenance["command"]


def test_a_plan_for_another_request_is_refused(hub_models, hub_env, make_queue, tmp_path):
    request = make_request("acme/tiny", hub_models.shas["acme/tiny"], age_minutes=1)
    queue, (rel,) = make_queue([request], SETTINGS)
    plan = {
        "request": "requests/acme/other/x.yaml",
        "pool": "small",
        "labels": ["gpu-small"],
        "gpus": 1,
        "gpu_memory_gb": 24,
        "parallelism": "single",
        "memory_gb": 3.0,
        "params_b": 0.0004,
        "precision": "float16",
        "timeout_minutes": 61,
        "model_args": {},
    }
    proc = leaderboard(
        "evaluate", rel, "--no-git", "--out", str(tmp_path / "b"), "--plan", json.dumps(plan),
        cwd=queue.clone("gpu"), env=hub_env
    )  # fmt: skip
    assert proc.returncode == 2
    assert "the plan given is for requests/acme/other/x.yaml" in proc.stderr


def test_runner_plan_says_where_each_request_runs_and_which_cannot(make_queue):
    fits = make_request("acme/big", "b" * 40, age_minutes=2, params=70.553706, precision="8bit")
    huge = make_request("acme/huge", "c" * 40, age_minutes=1, params=900.0)
    queue, (fits_rel, huge_rel) = make_queue([fits, huge], SETTINGS)
    work = queue.clone("w")
    env = dict(os.environ)
    proc = leaderboard(
        "runner", "plan", fits_rel, str(work / huge_rel), "--json", cwd=work, env=env
    )
    assert proc.returncode == 1, proc.stderr
    planned, refused = json.loads(proc.stdout)
    assert (planned["request"], planned["pool"], planned["parallelism"]) == (
        fits_rel,
        "large",
        "model",
    )
    assert planned["model_args"]["quantization_config"]["load_in_8bit"] is True
    assert refused["request"] == huge_rel and refused["rule"] == "runner-capacity"
    assert "900.0B parameters in float16 need about" in refused["error"]
    proc = leaderboard("runner", "plan", fits_rel, cwd=work, env=env)
    assert proc.returncode == 0
    assert proc.stdout.startswith(f"{fits_rel}: pool large (8 × 80 GB), split over 8 GPUs")


@pytest.mark.parametrize(
    ("text", "paths"),
    [
        ('["requests/a/b/x.yaml"]', ["requests/a/b/x.yaml"]),
        ('[{"request": "requests/a/b/x.yaml", "pool": "p"}]', ["requests/a/b/x.yaml"]),
        ("[]", []),
    ],
)
def test_record_and_notify_take_what_the_claim_printed(text, paths):
    from leaderboard.cli.options import claimed_paths

    assert claimed_paths(text) == paths


@pytest.mark.parametrize("text", ['{"request": "x"}', '[{"pool": "p"}]', "[1]", "not json"])
def test_anything_else_is_refused_as_claimed(text):
    from leaderboard.cli.options import claimed_paths
    from leaderboard.core.errors import LeaderboardError

    with pytest.raises(LeaderboardError, match="--claimed"):
        claimed_paths(text)
