"""The type checker passes: mypy over ``scripts/leaderboard``, strict on the stages listed in
``pyproject.toml`` (``[tool.mypy]``).

It runs with its cache under ``.venv/`` (``cache_dir``): the first run of a fresh checkout reads
the libraries' types too; later runs check only what changed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def mypy(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _shadowed(rel: str, extra: str) -> subprocess.CompletedProcess[str]:
    """mypy with ``extra`` appended to one module, the file itself untouched."""
    module = ROOT / rel
    shadow = ROOT / ".venv" / "mypy-shadow.py"
    shadow.write_text(module.read_text(encoding="utf-8") + extra, encoding="utf-8")
    try:
        return mypy("--shadow-file", str(module), str(shadow))
    finally:
        shadow.unlink()


def test_the_package_type_checks() -> None:
    """One test, so that no two mypy processes share the cache at once (the suite runs on
    several workers)."""
    proc = mypy()
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]

    # A wrong type anywhere fails the check...
    proc = _shadowed("scripts/leaderboard/table/search.py", '\n\nWRONG: int = "text"\n')
    assert proc.returncode == 1
    assert "table/search.py" in proc.stdout and "[assignment]" in proc.stdout

    # ...and core, store and table are held to --strict: an unannotated function there fails.
    for rel in ("core/printable.py", "store/files.py", "table/bands.py"):
        proc = _shadowed(f"scripts/leaderboard/{rel}", "\n\ndef untyped(x):\n    return x\n")
        assert proc.returncode == 1, rel
        assert rel in proc.stdout and "[no-untyped-def]" in proc.stdout
