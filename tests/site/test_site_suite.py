"""The site's words about the benchmarks come from the suite, and rows of another suite version
are pointed out, not silently mixed in."""

from __future__ import annotations

import shutil
from pathlib import Path

from leaderboard.devtools.synthetic import make_repo
from leaderboard.site.data import SiteData
from leaderboard.suites.loader import suite_dir

ABOUT = "Our lab's **own** words about these two tasks."
FAQ = """faq:
  - question: Why only two tasks?
    answer: Because the demo must run in seconds.
"""


def _repository_suite(root: Path, version: str) -> None:
    folder = root / "suites" / "demo"
    shutil.copytree(suite_dir("demo"), folder)
    text = (folder / "suite.yaml").read_text().replace('version: "1"', f'version: "{version}"')
    (folder / "suite.yaml").write_text(f'{text}about: "{ABOUT}"\n{FAQ}')


def test_about_and_faq_come_from_the_repository_suite(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", 3, features=False)
    _repository_suite(repo.root, version="1")
    data = SiteData.load(repo)
    assert data.fill_markdown("{{ lb.suite_about }}") == ABOUT
    faq = data.fill_markdown("{{ lb.suite_faq }}")
    assert faq == (
        "## This leaderboard's benchmarks\n\n### Why only two tasks?\n\n"
        "Because the demo must run in seconds."
    )
    assert data.fill_markdown("{{ lb.suite_version }}") == "Version `1` of the `demo` suite."
    assert data.meta()["suite_version"] == "1"


def test_rows_of_an_older_suite_version_are_marked(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", 3, features=False)
    _repository_suite(repo.root, version="2")
    data = SiteData.load(repo)
    older = [r for r in data.rows if r.suite_version != "2"]
    assert older and all(r.suite_version == "1" for r in older)
    text = data.fill_markdown("{{ lb.suite_version }}")
    assert text.startswith("Version `2` of the `demo` suite.")
    assert f'!!! warning "{len(older)} row(s) from other versions"' in text
    assert "made by version `1`" in text and "leaderboard requeue --suite-version" in text


def test_a_suite_without_questions_adds_no_faq_section(tmp_path: Path) -> None:
    """No heading over nothing: the FAQ page has no section for a suite that asks nothing."""
    repo = make_repo(tmp_path / "repo", 3, features=False)
    data = SiteData.load(repo)
    assert not data.suite.faq
    assert data.fill_markdown("before\n\n{{ lb.suite_faq }}\n\nafter") == "before\n\n\n\nafter"
