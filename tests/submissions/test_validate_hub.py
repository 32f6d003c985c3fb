"""Rule 5 (the Hub) through `leaderboard validate`, the real client and the devhub."""

from __future__ import annotations

import json
import struct
import subprocess
import sys

import pytest
from huggingface_hub import HfApi

from leaderboard.hub import facts
from tests.lbtest import ci_checkout
from tests.submissions.submissions_helpers import open_pr, request_text, rules, validate


def _pr_for(checkout, model: str, revision: str | None = None, **kw) -> str:
    sha = revision or facts.resolve_revision(model) if model != "org/missing" else "b" * 40
    base = kw.get("base_model")
    if base and "base_revision" not in kw:  # pinned, as `leaderboard submit` writes it
        kw["base_revision"] = facts.resolve_revision(base) if base != "org/missing" else "c" * 40
    rel, text = request_text(model, sha, **kw)
    open_pr(checkout, {rel: text})
    return rel


@pytest.mark.parametrize(
    ("model", "kw", "expected"),
    [
        ("org/good", {"chat": True}, []),
        ("org/sharded", {}, []),
        # 200B parameters: within 4bit's size limit, but more than the default pool (one 80 GB
        # GPU) holds even at 4 bit (tests/submissions/test_runner_capacity.py has larger pools).
        ("org/huge", {"precision": "4bit"}, ["runner-capacity"]),
        ("org/adapter", {"weight_type": "Adapter", "base_model": "org/good"}, []),
        ("org/huge", {"precision": "bfloat16"}, ["hub-size", "runner-capacity"]),
        ("org/nochat", {"chat": True}, ["hub-chat-template"]),
        ("org/unknown-arch", {}, ["hub-config"]),
        ("org/automap", {}, ["hub-config"]),
        ("org/badtok", {}, ["hub-tokenizer"]),
        ("org/pickled", {}, ["hub-safetensors", "hub-size"]),
        ("org/shortcard", {}, ["hub-card"]),
        ("org/nolicense", {}, ["hub-license"]),
        ("org/formula-license", {}, ["hub-license"]),
        ("org/hugechat", {"chat": True}, ["hub-chat-template"]),
        ("org/hugechat", {}, []),
        ("org/nocard", {}, ["hub-card"]),
        ("org/adapter", {"weight_type": "Adapter", "base_model": "org/missing"}, ["hub-not-found"]),
    ],
)
def test_hub_rules(judge, hub, model, kw, expected):
    _pr_for(judge.repo, model, **kw)
    code, report = judge("bob")
    assert rules(report) == expected, report["problems"]
    assert code == (1 if expected else 0)
    for problem in report["problems"]:
        assert problem["line"] and problem["field"]


def test_gated_private_missing_and_unknown_revision(judge, leaderboard_repo, hub):
    gated_rel, gated = request_text("org/gated", facts.resolve_revision("org/gated"))
    private_rel, private = request_text("org/private", "c" * 40)
    missing_rel, missing = request_text("org/missing", "d" * 40)
    rev_rel, rev = request_text("org/good", "e" * 40)
    open_pr(
        leaderboard_repo,
        {gated_rel: gated, private_rel: private, missing_rel: missing, rev_rel: rev},
    )
    code, report = judge("bob")
    assert code == 1
    got = {p["path"]: (p["rule"], p["field"], p["message"]) for p in report["problems"]}
    assert got[gated_rel][0] == "hub-gated" and "remove the gate" in got[gated_rel][2]
    assert got[private_rel][0] == "hub-not-found" and "private" in got[private_rel][2]
    assert got[missing_rel][0] == "hub-not-found"
    assert got[rev_rel][:2] == ("hub-revision", "revision")


def test_gated_models_pass_when_settings_allow_them(leaderboard_repo, hub, capsys):
    from tests.submissions.submissions_helpers import on_main

    on_main(
        leaderboard_repo,
        {"curation/settings.yaml": "schema_version: 1\nmaintainers: [alice]\nallow_gated: true\n"},
    )
    _pr_for(leaderboard_repo, "org/gated")
    _, report = validate(leaderboard_repo, capsys, "bob")
    assert "hub-gated" not in rules(report)


def test_an_unreachable_hub_means_try_again_exit_2(leaderboard_repo, hub, capsys, monkeypatch):
    import huggingface_hub.constants as constants

    _pr_for(leaderboard_repo, "org/good")
    monkeypatch.setattr(constants, "ENDPOINT", "http://127.0.0.1:9")
    code, report = validate(leaderboard_repo, capsys, "bob")
    assert code == 2 and rules(report) == ["hub-unavailable"] and report["retry"] is True
    assert "try again" in report["problems"][0]["message"]


def test_the_cli_as_ci_runs_it(leaderboard_repo, hub):
    """A real `leaderboard validate` process, with HF_ENDPOINT pointing at the devhub."""
    rel = _pr_for(leaderboard_repo, "org/shortcard")
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "leaderboard",
            "validate",
            "--base",
            "origin/main",
            "--author",
            "bob",
            "--json",
        ],
        cwd=leaderboard_repo.path,
        env=hub.env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 1, out.stderr
    report = json.loads(out.stdout)
    assert [(p["path"], p["rule"]) for p in report["problems"]] == [(rel, "hub-card")]
    assert "at least 200" in report["problems"][0]["message"]


def test_a_chat_template_that_never_finishes_or_raises_is_a_located_problem(
    leaderboard_repo, hub, capsys
):
    """Rendered once, as lm-eval will, in a child process killed at its deadline; in CI's own
    mode (the base checked out, the PR read from git's objects)."""
    files = {}
    for model in ("org/slowchat", "org/raisechat", "org/good"):
        rel, text = request_text(model, facts.resolve_revision(model), chat=True)
        files[rel] = text
    open_pr(leaderboard_repo, files)
    head = leaderboard_repo.git("rev-parse", "HEAD")
    leaderboard_repo.git("checkout", "-q", "main")
    code, report = validate(leaderboard_repo, capsys, "bob", "--committed", "--head", head)
    assert code == 1
    by_model = {p["path"].split("/")[2]: p for p in report["problems"]}
    assert set(by_model) == {"slowchat", "raisechat"}, report["problems"]
    for problem in by_model.values():
        assert (problem["rule"], problem["field"]) == ("hub-chat-template", "use_chat_template")
        assert problem["line"] == 7
    assert "took longer than" in by_model["slowchat"]["message"]
    raised = by_model["raisechat"]["message"]
    assert "raised TemplateError: “\\u202e### ✅ Valid @org [x](https://e.vil)”" in raised


# -- the Hub's bounds: a deadline, sizes known before downloading, a cap on shards (issue 22) --


def _validate_process(checkout, hub, env: dict[str, str]) -> dict:
    """`leaderboard validate` in its own process, as validate.yml runs it (``--head``, in a
    blob-less clone of the base), under a wall-clock limit far beyond the deadlines it is given:
    a validator that waited on the Hub for ever would fail here instead of hanging."""
    base, head = ci_checkout(checkout.origin, checkout.path, checkout.path.parent / "ci-base")
    argv = ["validate", "--repo", str(base), "--base", "HEAD", "--head", head, "--committed"]
    out = subprocess.run(
        [sys.executable, "-m", "leaderboard", *argv, "--author", "bob", "--json"],
        env={**hub.env(), **env},
        capture_output=True,
        text=True,
        timeout=150,
    )
    assert out.returncode in (1, 2), out.stderr
    return json.loads(out.stdout)


def test_a_hub_that_sends_a_byte_at_a_time_is_cut_off_at_the_request_deadline(
    leaderboard_repo, hub
):
    """The devhub's test mode sends files one byte a second: every read gets a byte well within
    the per-call timeout, so only the deadline of the request's checks ends it."""
    rel = _pr_for(leaderboard_repo, "org/drip")
    report = _validate_process(leaderboard_repo, hub, {"LEADERBOARD_HUB_REQUEST_SECONDS": "3"})
    assert report["retry"] is True and rules(report) == ["hub-unavailable"], report
    [problem] = report["problems"]
    assert problem["path"] == rel
    assert "3 s for the checks of one request" in problem["message"]


def test_the_pull_requests_deadline_covers_every_request(leaderboard_repo, hub):
    files = dict(
        request_text(model, facts.resolve_revision(model))
        for model in ("org/drip", "org/drip-too", "org/good")
    )
    open_pr(leaderboard_repo, files)
    env = {"LEADERBOARD_HUB_REQUEST_SECONDS": "120", "LEADERBOARD_HUB_PR_SECONDS": "3"}
    report = _validate_process(leaderboard_repo, hub, env)
    assert report["retry"] is True, report
    # The first runs out of time; the others are not asked at all, and each is named.
    assert sorted(p["path"] for p in report["problems"]) == sorted(files), report
    assert all(p["rule"] == "hub-unavailable" for p in report["problems"])
    assert all("3 s for the checks of one pull request" in p["message"] for p in report["problems"])


@pytest.mark.parametrize(
    ("model", "rule", "says"),
    [
        ("org/bighead", "hub-safetensors", "a safetensors header cannot be read"),
        ("org/manyshards", "hub-safetensors", "names 600 shards; at most 512 are read"),
        ("org/bigcard", "hub-card", "is 2,097,"),
    ],
)
def test_files_too_large_to_read_are_the_models_located_problems(judge, hub, model, rule, says):
    """A 30 MB safetensors header escaped the checks as an error (validation crashed, and the
    pull request got "Could not read the validation report"); an index may name any number of
    shards, each header a request; sizes come with the model's page, before any download."""
    rel, text = request_text(model, facts.resolve_revision(model))
    open_pr(judge.repo, {rel: text})
    code, report = judge("bob")
    assert code == 1 and rules(report) == [rule], report
    [problem] = report["problems"]
    assert (problem["path"], problem["field"], problem["line"]) == (rel, "model", 2)
    assert says in problem["message"]


def test_the_bytes_a_pull_request_downloads_from_the_hub_are_capped(judge, hub, monkeypatch):
    """Fifty requests with large tokenizers took longer than the job's 15 minutes: the files
    each check downloads are counted from their sizes before anything is downloaded."""
    info = HfApi().model_info("org/good", files_metadata=True)
    one = sum(s.size for s in info.siblings if s.rfilename in facts.FILE_CAPS)
    monkeypatch.setenv("LEADERBOARD_HUB_PR_BYTES", str(int(one * 2.5)))
    files = dict(
        request_text(model, facts.resolve_revision(model))
        for model in ("org/good", "org/nolicense", "org/shortcard")
    )
    open_pr(judge.repo, files)
    code, report = judge("bob")
    by_rule = {p["rule"]: p for p in report["problems"]}
    assert code == 1 and sorted(by_rule) == ["hub-license", "pr-size"], report
    assert by_rule["pr-size"]["path"].startswith("requests/org/shortcard/")
    assert "split it into smaller pull requests" in by_rule["pr-size"]["message"]


# -- the base model of an Adapter or Delta is pinned (issue 22) ---------------------------------


def test_a_new_adapter_must_pin_its_base_and_is_told_the_sha(judge, hub):
    lora = facts.resolve_revision("org/adapter")
    rel, text = request_text("org/adapter", lora, weight_type="Adapter", base_model="org/good")
    open_pr(judge.repo, {rel: text})
    code, report = judge("bob")
    assert code == 1 and rules(report) == ["base-revision"], report
    [problem] = report["problems"]
    assert (problem["field"], problem["line"]) == ("base_revision", 6)
    assert f"`base_revision: '{facts.resolve_revision('org/good')}'`" in problem["message"]
    # Offline the rule still holds; it says how to find the commit.
    code, report = judge("bob", "--no-hub")
    assert (
        rules(report) == ["base-revision"]
        and "leaderboard submit" in report["problems"][0]["message"]
    )


def test_the_base_is_judged_at_its_pinned_commit(judge, hub):
    """The base's owner pushed a 200B model over it after the commit the request pins: the
    checks judge the pinned commit; a commit that does not exist is located at its field."""
    checked = facts.resolve_revision("org/base-grows", "v1")
    header = json.dumps({"w": {"dtype": "BF16", "shape": [200_000, 10**6], "data_offsets": [0, 0]}})
    grown = struct.pack("<Q", len(header)) + header.encode()
    hub.publish("org/base-grows", {"model.safetensors": grown}, message="200B parameters")
    lora = facts.resolve_revision("org/adapter")
    kw = {"weight_type": "Adapter", "base_model": "org/base-grows"}
    good, good_text = request_text("org/adapter", lora, base_revision=checked, **kw)
    bad, bad_text = request_text(
        "org/adapter", lora, precision="float16", base_revision="e" * 40, **kw
    )
    open_pr(judge.repo, {good: good_text, bad: bad_text})
    code, report = judge("bob")
    assert code == 1 and [p["path"] for p in report["problems"]] == [bad], report
    [problem] = report["problems"]
    assert (problem["rule"], problem["field"], problem["line"]) == (
        "hub-revision",
        "base_revision",
        7,
    )
