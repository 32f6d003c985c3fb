"""Rehearsal of publish.yml under act: the site is built and the Pages artifact holds it."""

from __future__ import annotations

import json
import tarfile

import pytest
from rehearsal import Rehearsal

pytestmark = pytest.mark.slow


def test_publish_builds_the_site_and_deploys_the_pages_artifact(github: Rehearsal):
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
    assert not any("/.git/" in n or n.endswith("/.git") for n in names)
    # Built for the address the Pages API gave (instant navigation needs it).
    assert "https://owner.github.io/leaderboard/" in sitemap
    assert any("repos/owner/leaderboard/pages" in " ".join(c["args"]) for c in github.gh_calls())
