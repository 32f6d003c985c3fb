"""Lint and format are part of the suite, so CI enforces them, not only good intentions."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.lbtest import NODE_DIR, node_tool

ROOT = Path(__file__).resolve().parents[1]


def _ruff() -> list[str]:
    found = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if not found:
        pytest.skip("ruff is not installed (the dev extra brings it)")
    return [found]


@pytest.mark.parametrize("args", [["check"], ["format", "--check"]], ids=["check", "format"])
def test_ruff(args: list[str]) -> None:
    proc = subprocess.run(
        [*_ruff(), *args, "scripts", "tests"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


# -- the front end: ESLint (flat config in scripts/node), zero findings --------------------------

ESLINT_CONFIG = NODE_DIR / "eslint.config.js"
#: What ESLint checks: the site's modules and the node tools.
ESLINT_TARGETS = ["docs/assets/leaderboard", "scripts/node"]


def _eslint(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    node = node_tool("eslint", "ESLint")
    eslint = NODE_DIR / "node_modules" / "eslint" / "bin" / "eslint.js"
    # From the repository root: with --config, ESLint resolves the config's patterns there.
    cmd = [node, str(eslint), "--config", str(ESLINT_CONFIG), "--max-warnings", "0", *args]
    return subprocess.run(
        cmd, cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=120, check=False
    )


def test_eslint_finds_nothing() -> None:
    proc = _eslint("--format", "json", *ESLINT_TARGETS)
    files = json.loads(proc.stdout or "[]")
    linted = {Path(f["filePath"]).name for f in files}
    assert {"main.js", "table.js", "grid.js", "actionlint.mjs"} <= linted, linted
    findings = [
        f"{Path(f['filePath']).relative_to(ROOT)}:{m['line']}:{m['column']}: {m['message']}"
        f" ({m['ruleId']})"
        for f in files
        for m in f["messages"]
    ]
    assert proc.returncode == 0 and not findings, "\n".join(findings) or proc.stderr


def test_eslint_catches_what_the_front_end_must_not_do() -> None:
    bad = (
        "var count = 0;\n"  # ES5 leftovers
        "export function show(host, name) { host.innerHTML = name; }\n"  # data as markup
        "undeclared = window.LBSearch;\n"  # a global shared between scripts
    )
    proc = _eslint(
        "--format", "json", "--stdin", "--stdin-filename", "docs/assets/leaderboard/x.js", stdin=bad
    )
    rules = {m["ruleId"] for f in json.loads(proc.stdout) for m in f["messages"]}
    assert proc.returncode == 1
    assert {"no-var", "no-restricted-syntax", "no-undef"} <= rules, rules
