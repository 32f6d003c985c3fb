"""Rehearsal of publish.yml under act: the site is built and the Pages artifact holds it."""

from __future__ import annotations

import json
import random
import tarfile
from datetime import UTC, datetime

import pytest
import yaml

from leaderboard.devtools.synthetic import add_model
from leaderboard.store.repo import Repo
from leaderboard.suites.loader import load_suite
from tests.lbtest import git
from tests.workflows.rehearsal import Rehearsal

pytestmark = pytest.mark.slow


def test_publish_builds_the_site_and_deploys_the_pages_artifact(github: Rehearsal):
    # One evaluated model on main, as the record job commits it (request, result, index entry):
    # the build job checks out no results/, so its row can only come from the index.
    work = github.maintainer
    git(work, "pull", "-q", "--ff-only", "origin", "main")
    add_model(Repo(work), load_suite("demo"), "acme/indexed", 1, random.Random(1))
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "Record result of acme/indexed")
    git(work, "push", "-q", "origin", "HEAD:main")
    run = github.act(
        "workflow_dispatch",
        {"inputs": {}},
        workflow="publish.yml",
        workflows_from=github.main_sha(),
    )
    assert run.code == 0, run.log[-6000:]
    [deployment] = [
        json.loads(line) for line in (github.state / "deployments.jsonl").read_text().splitlines()
    ]
    assert deployment["page_url"] == "https://owner.github.io/leaderboard/"
    with tarfile.open(github.artifacts(github.runs) / "github-pages" / "artifact.tar") as tar:
        names = set(tar.getnames())
        sitemap = tar.extractfile("./sitemap.xml").read().decode()
    assert {"./index.html", "./data/table.json"} <= names, sorted(names)[:20]
    assert "./data/models/acme/indexed.json" in names
    assert not any("/.git/" in n or n.endswith("/.git") for n in names)
    # Built for the address the Pages API gave (instant navigation needs it).
    assert "https://owner.github.io/leaderboard/" in sitemap
    assert any("repos/owner/leaderboard/pages" in " ".join(c["args"]) for c in github.gh_calls())


def test_a_flag_pushed_to_main_is_told_on_the_flagged_requests_pull_request(
    github: Rehearsal, shas, new_request
):
    rel, text = new_request("acme/tiny", shas["acme/tiny"], submitter="bob")
    github.merge_pr(github.open_pr(31, "bob", {rel: text}))
    before = github.main_sha()
    flag = {
        "schema_version": 1,
        "flags": [
            {
                "model": "acme/tiny",
                "category": "contamination",
                "discussion": "https://github.com/owner/leaderboard/discussions/4",
                "date": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
                "maintainer": "maint",
                "note": "@everyone see #1",
            }
        ],
    }
    after = github.commit_main({"curation/flags.yaml": yaml.safe_dump(flag)}, "Flag acme/tiny")
    event = {"ref": "refs/heads/main", "before": before, "after": after}
    run = github.act("push", event, workflow="publish.yml", workflows_from=after)
    assert run.code == 0, run.log[-6000:]
    [told] = [c["body"] for c in github.comments(31)]
    assert "**Flagged (contamination):** `acme/tiny`" in told
    assert "discussions/4" in told.replace("\u200b", "")
    assert "told #31" in run.summaries["tell"]
