"""A clone of the demo's repository builds its site with its own code.

The demo makes its repository as a deployment does (the project's files and ignore file,
committed and pushed to a bare origin). A clone of that origin must hold everything
``leaderboard build`` needs: it runs here with the clone's own package on ``PYTHONPATH``, so a
file the ignore rules kept out of git is missing, as it would be on a runner or a fork.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from leaderboard.devtools.demo.context import DemoRun, Reporter, git_env
from leaderboard.devtools.demo.steps import make_repository
from leaderboard.site.hooks import PROJECT_ROOT, hidden_sources

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    ctx = DemoRun(dir=folder, env=git_env(dict(os.environ)), out=Reporter(folder / "demo.log"))
    make_repository(ctx)
    return folder / "origin.git"


def _clone(origin: Path, dest: Path) -> Path:
    subprocess.run(["git", "clone", "-q", str(origin), str(dest)], check=True)
    return dest


def _in_clone(clone: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run Python in the clone with the clone's package first on the path, as an install of
    the clone would have it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "LEADERBOARD_"))}
    env["PYTHONPATH"] = str(clone / "scripts")
    return subprocess.run(
        [sys.executable, *args], cwd=clone, env=env, capture_output=True, text=True, check=False
    )


def test_a_clone_of_the_demo_repository_builds_its_site(origin: Path, tmp_path: Path) -> None:
    clone = _clone(origin, tmp_path / "clone")
    used = _in_clone(clone, "-c", "import leaderboard; print(leaderboard.__file__)")
    assert Path(used.stdout.strip()).is_relative_to(clone), used.stdout + used.stderr
    site = tmp_path / "site"
    proc = _in_clone(clone, "-m", "leaderboard", "build", "--site-dir", str(site))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert (site / "index.html").is_file() and (site / "data" / "contents.json").is_file()
    assert "cannot build its site" not in proc.stderr


def test_build_names_an_ignore_rule_that_hides_the_package(origin: Path, tmp_path: Path) -> None:
    """``site/`` (meant for the build output) also matches ``scripts/leaderboard/site/``: the
    checkout still builds, so the build says what a clone will lack and how to fix the line."""
    clone = _clone(origin, tmp_path / "clone")
    assert hidden_sources(clone) == []
    with (clone / ".gitignore").open("a") as f:
        f.write("site/\n")
    lines = (clone / ".gitignore").read_text().splitlines()
    [message] = hidden_sources(clone)
    assert message.startswith(f".gitignore:{len(lines)}: site/ ignores ")
    assert "scripts/leaderboard/site/__init__.py" in message and "(/site/)" in message
    proc = _in_clone(clone, "-m", "leaderboard", "build", "--site-dir", str(tmp_path / "site"))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert f"leaderboard build: {message}" in proc.stderr


def test_the_projects_own_ignore_file_hides_no_source() -> None:
    """The ignore file a fork or template starts from (and the demo copies)."""
    assert hidden_sources(PROJECT_ROOT) == []
