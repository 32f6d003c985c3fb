"""The runner end to end: real git remote, real devhub, real lm-eval on the demo suite."""

from __future__ import annotations

import json
import os
import signal
import time

import pytest

from leaderboard.harness.hardware import default_device
from leaderboard.store.repo import Repo
from leaderboard.suites.scoring import score
from tests.lbtest import SETTINGS, make_request
from tests.runner.runnertest import leaderboard, spawn


@pytest.mark.slow
def test_two_runners_at_once_evaluate_three_requests_exactly_once(hub_models, hub_env, make_queue):
    tiny, lora = hub_models.shas["acme/tiny"], hub_models.shas["acme/tiny-lora"]
    requests = [
        make_request("acme/tiny", tiny, age_minutes=3),
        make_request(
            "acme/tiny",
            tiny,
            age_minutes=2,
            precision="bfloat16",
            use_chat_template=True,
            model_type="chat",
        ),
        make_request(
            "acme/tiny-lora",
            lora,
            age_minutes=1,
            weight_type="Adapter",
            base_model="acme/tiny",
            model_type="fine-tuned",
        ),
    ]
    queue, paths = make_queue(requests)
    clones = {name: queue.clone(name) for name in ("a", "b")}
    args = ("evaluate", "--next", "--all", "--push", "--limit", "2", "--json")
    procs = {n: spawn(*args, "--runner", n, cwd=c, env=hub_env) for n, c in clones.items()}
    outputs = {n: p.communicate(timeout=300)[0] for n, p in procs.items()}
    for name, proc in procs.items():
        assert proc.returncode == 0, outputs[name][-3000:]

    # Each request was evaluated exactly once: one claim, one attempt, one result file.
    results = queue.files("results")
    assert len(results) == 3, results
    assert all(r.endswith("_demo_attempt-1.json") for r in results)
    log = [line for line in _log(queue) if line.startswith("Claim ")]
    assert sorted(line.split()[1] for line in log) == sorted(paths)
    runners = set()
    for rel in paths:
        request = queue.request(rel)
        assert request.status.value == "FINISHED", (rel, request)
        assert request.attempts == 1
        runners.add(request.runner)
    assert runners <= {"a", "b"}

    # The result file is lm-eval's results JSON plus provenance, and it scores.
    checkout = queue.clone("reader")
    docs = {
        Repo(checkout).read_json(r)["provenance"]["request"]: Repo(checkout).read_json(r)
        for r in results
    }
    for doc in docs.values():
        for key in (
            "results",
            "configs",
            "versions",
            "n-shot",
            "n-samples",
            "config",
            "lm_eval_version",
            "total_evaluation_time_seconds",
        ):
            assert key in doc, key
        prov = doc["provenance"]
        assert prov["suite"] == "demo" and prov["suite_version"] == "1"
        assert prov["request_commit"] != prov["revision"] and len(prov["request_commit"]) == 40
        assert prov["limit"] == 2 and doc["config"]["limit"] == 2
        assert prov["command"].count("lm_eval --model hf") == 1
        assert (
            "trust_remote_code=False" in prov["command"]
            or '"trust_remote_code":false' in prov["command"]
        )
        assert prov["hub"]["model"] == doc["provenance"]["model"]
        # What the run used, not what the options left open: pasted here, it runs as it ran.
        assert prov["device"] == default_device() and prov["batch_size"] == "8"
        assert f"--batch_size 8 --device {prov['device']}" in prov["command"]
        # The model files came from this Hub, not huggingface.co: the command says so.
        endpoint = hub_env["HF_ENDPOINT"].rstrip("/")
        assert prov["command"].startswith(f"export HF_ENDPOINT={endpoint} && ")
        scores = score(doc, "demo")
        assert set(scores) == {"Arithmetic", "Arithmetic Raw", "Echo", "Echo Raw", "Average"}
        details = clones[prov["runner"]] / prov["details"]
        assert sorted(p.name.split("_2")[0] for p in details.glob("samples_*.jsonl")) == [
            "samples_demo_arithmetic",
            "samples_demo_echo",
        ]
    chat = docs[paths[1]]
    assert chat["fewshot_as_multiturn"] is True and chat["chat_template"]
    assert "--apply_chat_template --fewshot_as_multiturn" in chat["provenance"]["command"]
    assert chat["config"]["model_args"]["dtype"] == "bfloat16"
    adapter = docs[paths[2]]
    assert adapter["provenance"]["base_model"] == "acme/tiny"
    assert adapter["provenance"]["base_revision"] == tiny
    assert adapter["config"]["model_args"]["pretrained"] == "acme/tiny"
    assert adapter["config"]["model_args"]["peft"]
    assert " && hf download acme/tiny-lora --revision" in adapter["provenance"]["command"]


@pytest.mark.slow
def test_a_killed_runner_leaves_running_that_reconcile_recovers(hub_models, hub_env, make_queue):
    request = make_request("acme/tiny", hub_models.shas["acme/tiny"], age_minutes=1)
    # Runs older than about two seconds count as lost, so the test need not wait hours.
    queue, (rel,) = make_queue([request], SETTINGS + "reconcile_timeout_hours: 0.0005\n")
    doomed = spawn(
        "evaluate", "--next", "--push", "--runner", "doomed", "--limit", "4",
        cwd=queue.clone("doomed"), env=hub_env
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while queue.request(rel).status.value != "RUNNING":
        assert doomed.poll() is None, doomed.communicate()[0][-3000:]
        assert time.monotonic() < deadline
        time.sleep(0.2)
    os.kill(doomed.pid, signal.SIGKILL)  # mid-evaluation: claimed, not recorded
    doomed.wait()
    stranded = queue.request(rel)
    assert stranded.status.value == "RUNNING" and stranded.runner == "doomed"
    assert queue.files("results") == []

    time.sleep(2.0)
    other = queue.clone("rescuer")
    proc = leaderboard("reconcile", "--push", "--json", cwd=other, env=hub_env)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == [
        {"path": rel, "status": "PENDING", "attempts": 1, "reason": None}
    ]
    back = queue.request(rel)
    assert back.status.value == "PENDING" and back.attempts == 1 and back.runner is None

    proc = leaderboard(
        "evaluate", "--next", "--push", "--runner", "rescuer", "--limit", "4", cwd=other,
        env=hub_env
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    done = queue.request(rel)
    assert done.status.value == "FINISHED" and done.attempts == 2 and done.runner == "rescuer"
    assert [r.rsplit("_", 1)[-1] for r in queue.files("results")] == ["attempt-2.json"]


def _log(queue) -> list[str]:
    from tests.lbtest import git

    return git(queue.remote, "log", "--format=%s", "main").splitlines()
