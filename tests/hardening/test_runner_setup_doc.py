"""The README's runner setup says what keeps pull requests away from the GPU runner, and the
workflows do what it says where a file can show it (GitHub's settings cannot be read here)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _section(title: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"^### {re.escape(title)}\n(.*?)(?=^##)", text, re.S | re.M)
    assert match, f"README has no section {title!r}"
    return match.group(1)


def test_the_runner_setup_names_every_safeguard():
    text = _section("Register a GPU runner")
    for needed in (
        "Ephemeral runners only",
        "--ephemeral",
        "restricted to `evaluate.yml` on `main`",
        "OWNER/REPO/.github/workflows/evaluate.yml@refs/heads/main",
        "Require approval for all outside collaborators",
        "No secret on the GPU job beyond the read token",
        "No `--system-site-packages`",
    ):
        assert needed in text, needed


def test_no_workflow_reuses_the_machines_python():
    for file in (ROOT / ".github" / "workflows").glob("*.yml"):
        assert "--system-site-packages" not in file.read_text(), file.name
