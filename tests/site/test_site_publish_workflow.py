"""The publish workflow's shape: triggers, least permissions, a never-cancelled pages group,
and actions pinned to full commit shas."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

WORKFLOW = Path(__file__).parents[2] / ".github" / "workflows" / "publish.yml"


def test_publish_workflow_shape() -> None:
    text = WORKFLOW.read_text("utf-8")
    wf = yaml.safe_load(text)
    triggers = wf[True]  # PyYAML reads the key `on` as True
    assert triggers["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in triggers and "repository_dispatch" in triggers
    assert wf["permissions"] == {}
    assert wf["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    build, deploy = wf["jobs"]["build"], wf["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read", "pages": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build"
    runs = " ".join(s.get("run", "") for s in build["steps"])
    assert "leaderboard build --site-dir site" in runs
    uses = re.findall(r"uses:\s*(\S+)", text)
    assert {u.split("@")[0] for u in uses} >= {
        "actions/checkout",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    }
    for ref in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", ref), ref
