"""No module a newcomer must read in one sitting: at most 600 lines of Python, 400 of JavaScript.

Past that a module is doing more than one job; split it by job, each part named for what it
does (``docs/architecture.md``).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON_LIMIT = 600
JS_LIMIT = 400


def oversized(files: Iterable[Path], limit: int) -> list[str]:
    """``path: N lines`` for each file longer than ``limit`` lines."""
    found = []
    for file in sorted(files):
        n = len(file.read_text(encoding="utf-8").splitlines())
        if n > limit:
            name = file.relative_to(ROOT) if file.is_relative_to(ROOT) else file
            found.append(f"{name.as_posix()}: {n} lines")
    return found


def test_no_python_module_is_over_the_limit() -> None:
    modules = [p for p in (ROOT / "scripts").rglob("*.py") if "node_modules" not in p.parts]
    assert len(modules) > 100  # the package is there
    assert oversized(modules, PYTHON_LIMIT) == []


def test_no_front_end_script_is_over_the_limit() -> None:
    scripts = list((ROOT / "docs" / "assets" / "leaderboard").rglob("*.js"))
    assert scripts
    assert oversized(scripts, JS_LIMIT) == []


def test_the_check_counts_lines(tmp_path: Path) -> None:
    long, short = tmp_path / "long.py", tmp_path / "short.py"
    long.write_text("x = 1\n" * 601)
    short.write_text("x = 1\n" * 600)
    found = oversized([long, short], PYTHON_LIMIT)
    assert [f.split(": ")[1] for f in found] == ["601 lines"]
