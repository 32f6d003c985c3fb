"""Rehearsals of evaluate.yml under act: claim, evaluate on CPU, record, publish; and what
happens when a leg, the origin or a runner fails."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from datetime import UTC, datetime, timedelta

import pytest

from leaderboard.core.ids import attestation_path, index_path
from leaderboard.queue.matrix import artifact_name
from tests.lbtest import git
from tests.workflows.rehearsal import Rehearsal

pytestmark = pytest.mark.slow

BOT = "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>"


def git_bytes(cwd, *args: str) -> bytes:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=True).stdout


def merge(github: Rehearsal, files: dict[str, str]):
    """A maintainer merges requests: the push to main that starts evaluate.yml."""
    before = github.main_sha()
    after = github.commit_main(files, "Merge pull request")
    event = {"ref": "refs/heads/main", "before": before, "after": after}
    return before, github.act("push", event, workflow="evaluate.yml", workflows_from=after)


def test_one_merged_request_is_claimed_evaluated_recorded_and_published(
    github: Rehearsal, shas, new_request
):
    rel, text = new_request("acme/tiny", shas["acme/tiny"], submitter="bob")
    before, run = merge(github, {rel: text})
    assert run.code == 0, run.log[-6000:]
    request = github.remote_request(rel)
    assert request["status"] == "FINISHED" and request["attempts"] == 1
    [result] = [f for f in github.remote_files("results/acme/tiny") if f.endswith(".json")]
    document = json.loads(github.remote_file(result))
    assert document["provenance"]["request"] == rel
    # Its index entry, in the same commit, made from the result's bytes as git holds them.
    entry = json.loads(github.remote_file(index_path(result)))
    assert entry["blob"] == git(github.remote, "rev-parse", f"main:{result}")
    assert "request" not in entry  # the request is read from its own file, never a copy
    added = git(github.remote, "log", "-1", "--format=%H", "main", "--", result)
    assert git(github.remote, "log", "-1", "--format=%H", "main", "--", index_path(result)) == added
    # Issue 27: one attestation request, for exactly this result and its index entry, with
    # their bytes' digests; once signed, the note that the site reads.
    [attested] = [
        json.loads(x) for x in (github.state / "attestations.jsonl").read_text().splitlines()
    ]
    statement = attested["statement"]
    assert {s["name"]: s["digest"]["sha256"] for s in statement["subject"]} == {
        path: hashlib.sha256(git_bytes(github.remote, "show", f"main:{path}")).hexdigest()
        for path in (result, index_path(result))
    }
    assert statement["predicateType"] == "https://in-toto.io/attestation/test-result/v0.1"
    [request_item, bundle_item] = statement["predicate"]["configuration"]
    assert request_item["name"] == rel and bundle_item["name"] == artifact_name(rel)
    assert bundle_item["digest"]["sha256"]  # the artifact's digest, as GitHub lists it
    note = json.loads(github.remote_file(attestation_path(result)))
    assert note["attestation_id"] == attested["id"] and note["blob"] == entry["blob"]
    # After the maintainer's merge, the claim, the record and the note: the bot's commits.
    assert github.authors(before) == [BOT, BOT, BOT, "test <test@leaderboard.invalid>"]
    assert github.gh_state()["dispatches"] == [["publish.yml", "--ref", "main"]]
    assert "FINISHED" in run.summaries["record"]
    # The dispatch's summary: the request and the pool it was planned on (the default one).
    assert f"| `{rel}` | gpu | 1 × 80 GB | single |" in run.summaries["dispatch"]
    assert json.loads(github.remote_file(result))["provenance"]["pool"] == "gpu"


def test_three_requests_one_model_failure_and_one_lost_leg_is_retried(
    github: Rehearsal, shas, new_request
):
    good, good_text = new_request("acme/tiny", shas["acme/tiny"], submitter="bob", age_minutes=30)
    broken, broken_text = new_request(
        "acme/broken", shas["acme/broken"], submitter="bob", age_minutes=20
    )
    lost, lost_text = new_request(
        "acme/tiny", shas["acme/tiny"], submitter="bob", precision="bfloat16", age_minutes=10
    )
    github.inject(**{"upload-artifact": [artifact_name(lost)]})
    _, run = merge(github, {good: good_text, broken: broken_text, lost: lost_text})
    assert github.remote_request(good)["status"] == "FINISHED"
    failed = github.remote_request(broken)
    assert failed["status"] == "FAILED" and failed["failure_category"] == "model", failed
    retried = github.remote_request(lost)
    assert retried["status"] == "PENDING" and retried["attempts"] == 1, retried
    summary = run.summaries["record"]
    assert f"{lost}: no bundle; PENDING" in summary and "FAILED" in summary
    assert run.step_failed("Upload the bundle") or "injected fault" in run.log


def test_an_origin_that_refuses_the_record_fails_the_job_and_loses_nothing(
    github: Rehearsal, shas, new_request
):
    rel, text = new_request("acme/tiny", shas["acme/tiny"], submitter="bob")
    github.reject_pushes_except_claims()
    _, run = merge(github, {rel: text})
    assert run.code != 0
    assert run.step_failed("Record results and statuses"), run.log[-4000:]
    assert not run.step_ran("Publish the site")
    assert github.remote_request(rel)["status"] == "RUNNING"  # claimed, not yet recorded
    # The bundle is still there, as its artifact: a later `leaderboard record` lands it.
    github.accept_pushes()
    bundles = github.artifacts(github.runs)
    assert (bundles / artifact_name(rel) / "outcome.json").is_file()
    from leaderboard.cli.main import main as leaderboard

    work = github.clone("later")
    code = leaderboard(
        [
            "record",
            "--root",
            str(work),
            "--push",
            "--claimed",
            json.dumps([rel]),
            "--from",
            str(bundles),
        ]
    )
    assert code == 0
    assert github.remote_request(rel)["status"] == "FINISHED"


def test_the_hourly_run_releases_a_stale_claim_and_leaves_a_queued_one_alone(
    github: Rehearsal, shas, new_request
):
    long_ago = (datetime.now(UTC) - timedelta(hours=13)).replace(microsecond=0)
    fields = {"status": "RUNNING", "attempts": 1, "started_at": long_ago}
    stale, stale_text = new_request(
        "acme/tiny", shas["acme/tiny"], submitter="bob", runner="github-actions-555", **fields
    )
    queued, queued_text = new_request(
        "acme/tiny",
        shas["acme/tiny"],
        submitter="bob",
        precision="bfloat16",
        runner="github-actions-556",
        **fields,
    )
    github.commit_main({stale: stale_text, queued: queued_text}, "Two claims, 13 hours ago")
    state = github.gh_state()
    state["runs"] = {
        "555": [
            {"name": f"Evaluate {stale}", "status": "completed", "started_at": long_ago.isoformat()}
        ],
        "556": [
            {"name": f"Evaluate {queued}", "status": "queued", "started_at": long_ago.isoformat()}
        ],
    }
    github.gh_state(state)
    run = github.act(
        "schedule",
        {"schedule": "23 * * * *"},
        workflow="evaluate.yml",
        workflows_from=github.main_sha(),
        env={},
        job="dispatch",
    )
    assert run.code == 0, run.log[-4000:]
    released = github.remote_request(stale)
    # Released, then claimed again by this run: a new attempt.
    assert released["attempts"] == 2 and released["runner"] == "github-actions-1", released
    untouched = github.remote_request(queued)
    assert untouched["attempts"] == 1 and untouched["runner"] == "github-actions-556"
    assert "RUNNING -> PENDING" in run.summaries["dispatch"]


def test_submitters_are_told_on_the_pull_request_that_added_their_request(
    github: Rehearsal, shas, new_request
):
    good, good_text = new_request("acme/tiny", shas["acme/tiny"], submitter="bob", age_minutes=30)
    broken, broken_text = new_request(
        "acme/broken", shas["acme/broken"], submitter="eve", age_minutes=20
    )
    github.merge_pr(github.open_pr(21, "bob", {good: good_text}))
    github.merge_pr(github.open_pr(22, "eve", {broken: broken_text}))
    # A maintainer's direct push: no pull request, so nobody to comment to.
    direct, direct_text = new_request(
        "acme/tiny", shas["acme/tiny"], submitter="maint", precision="bfloat16", age_minutes=10
    )
    _, run = merge(github, {direct: direct_text})
    assert run.code == 0, run.log[-6000:]
    assert github.remote_request(good)["status"] == "FINISHED"
    assert github.remote_request(direct)["status"] == "FINISHED"
    [told] = [c["body"] for c in github.comments(21)]
    assert "**Evaluated:** `acme/tiny`" in told and "| **Average** |" in told and " ± " in told
    assert "Its row: [https" in told
    assert "(<https://owner.github.io/leaderboard/model/?id=acme_tiny_float16_" in told
    [failed] = [c["body"] for c in github.comments(22)]
    assert "**Evaluation failed:**" in failed and "What next:" in failed
    assert set(github.gh_state()["comments"]) == {"21", "22"}
    posts = [c for c in github.gh_calls() if "POST" in c["args"]]
    assert len(posts) == 2 and all(c["token"] for c in posts)
    assert f"{direct}: no pull request added it" in run.summaries["record"]


POOLS = (
    "schema_version: 1\nsuite: demo\nmaintainers: [alice]\nrunner_pools:\n"
    "- name: small\n  labels: [self-hosted, gpu-small]\n  gpus: 1\n  gpu_memory_gb: 24\n"
    "- name: large\n  labels: [self-hosted, gpu-large]\n  gpus: 8\n  gpu_memory_gb: 80\n"
)
#: act's account of each matrix leg: the values its ``runs-on: ${{ matrix.labels }}`` reads.
LEG = re.compile(r"^\[evaluate/Evaluate (\S+?)-\d+\s*\]\s+🧪\s+Matrix: map\[(.*)\]$", re.M)


def _leg_labels(log: str) -> dict[str, list[str]]:
    legs = {}
    for request, matrix in LEG.findall(log):
        found = re.search(r"\blabels:\[([^\]]*)\]", matrix)
        assert found, matrix
        legs[request] = found.group(1).split()
    return legs


def test_a_small_and_a_large_request_each_run_on_their_own_pool(
    github: Rehearsal, shas, new_request
):
    """Two pools, each mapped to a host runner: the tiny model lands on the one-GPU pool and
    finishes; the 70B (header-only) lands on the 8-GPU pool, whose runner here has no GPU, so
    that leg ends as an infrastructure failure, retried, and never the submitter's.

    act in host mode runs every label on this machine and picks one platform per job, not per
    leg, so the routing is read from act's own log of each leg's matrix, which its
    ``runs-on: ${{ matrix.labels }}`` evaluates (tests/runner/test_runner_evaluate_workflow.py
    pins that line), and from the plan each leg then evaluated with."""
    github.commit_main({"curation/settings.yaml": POOLS}, "Two runner pools")
    small, small_text = new_request("acme/tiny", shas["acme/tiny"], submitter="bob", age_minutes=9)
    large, large_text = new_request(
        "acme/llama-70b", shas["acme/llama-70b"], submitter="bob", precision="bfloat16"
    )
    before = github.main_sha()
    after = github.commit_main({small: small_text, large: large_text}, "Merge pull request")
    run = github.act(
        "push",
        {"ref": "refs/heads/main", "before": before, "after": after},
        workflow="evaluate.yml",
        workflows_from=after,
        labels=("gpu-small", "gpu-large"),
    )
    assert run.code == 0, run.log[-6000:]
    assert _leg_labels(run.log) == {
        small: ["self-hosted", "gpu-small"],
        large: ["self-hosted", "gpu-large"],
    }
    # The claim planned both and said so in its commit.
    claims = git(github.remote, "log", "--format=%B", f"{before}..main", "--grep", "^Claim ")
    assert "Planned: pool small (1 × 24 GB), one GPU" in claims
    assert "Planned: pool large (8 × 80 GB), split over 8 GPUs" in claims
    # The small one finished on its pool; the large one's leg found no GPU: ours, retried.
    done = github.remote_request(small)
    assert done["status"] == "FINISHED", done
    [result] = [f for f in github.remote_files("results/acme/tiny") if f.endswith(".json")]
    assert json.loads(github.remote_file(result))["provenance"]["pool"] == "small"
    retried = github.remote_request(large)
    assert retried["status"] == "PENDING" and retried["attempts"] == 1, retried
    record = git(github.remote, "log", "-1", "--format=%B", "main", "--", large)
    assert "Record failure (infrastructure)" in record
    assert "splits the model over 8 GPUs of pool large" in record
