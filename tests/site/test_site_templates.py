"""The generated page parts (site/templates/): a value shows as its text wherever a Markdown
template puts it, and the Performance page says what was measured, when, where and how."""

from __future__ import annotations

import html
import json
import os
import re
import time
from datetime import UTC, datetime
from pathlib import Path

import markdown
import pytest
import yaml

from leaderboard.core.models import QueueMeta
from leaderboard.devtools.synthetic import make_repo
from leaderboard.site.data import BENCH_FILE, SiteData, reference_figures
from leaderboard.site.queue_html import queue_html
from leaderboard.site.templates import code_span, md_text, render
from tests.lbtest import iso_days_ago

ROOT = Path(__file__).resolve().parents[2]

#: Text that Markdown or HTML would read as something else.
HOSTILE = [
    '<img src=x onerror="window.__pwned=1">',
    "**bold** _it_ `code` ~~gone~~",
    "[click](javascript:alert(1)) ![x](https://evil.example/x.png)",
    "a | b | c",
    "line one\n\n# a heading\n    indented code\n!!! warning\n- a list",
    "1. first {: .class } \\ backslash & &amp; &lt; entity",
    "chat|nochat 'quoted' \"double\" # hash + plus - minus . dot ! bang",
    "<script>alert(1)</script>",
]


def _markdown(text: str) -> str:
    """Rendered with the site's own Markdown extensions (mkdocs.yml)."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    extensions = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
    return markdown.markdown(text, extensions=extensions)


def _text(rendered: str, tag: str) -> str:
    """The text of the one ``tag`` element, which must hold no element of its own."""
    found = re.findall(rf"<{tag}[^>]*>(.*?)</{tag}>", rendered, re.S)
    assert len(found) == 1, rendered
    assert "<" not in found[0], rendered  # no element came from the value
    return html.unescape(found[0])


@pytest.mark.parametrize("value", HOSTILE)
def test_a_value_shows_as_its_text_in_a_paragraph_a_heading_and_a_table(value: str) -> None:
    expected = " ".join(value.split())
    escaped = md_text(value)
    assert "\n" not in escaped
    assert " ".join(_text(_markdown(f"Before {escaped} after."), "p").split()) == (
        f"Before {expected} after."
    )
    assert " ".join(_text(_markdown(f"# {escaped}"), "h1").split()) == expected
    table = _markdown(f"| A | B |\n|---|---|\n| {escaped} | x |")
    cells = re.findall(r"<td>(.*?)</td>", table, re.S)
    assert len(cells) == 2, table
    assert "<" not in cells[0] and " ".join(html.unescape(cells[0]).split()) == expected


@pytest.mark.parametrize("value", ["plain", "a`b", "``x``", "<b>x</b> & y", "`edge"])
def test_a_code_span_shows_its_text_verbatim(value: str) -> None:
    assert _text(_markdown(f"See {code_span(value)} here."), "code") == value


def test_the_queue_template_escapes_every_value_and_links_only_http() -> None:
    entry = {
        "model": "<b>org/x</b>",
        "request": 'requests/"x"/a.yaml',
        "revision": "a" * 40,
        "precision": "bfloat16",
        "use_chat_template": True,
        "model_type": "<i>chat</i>",
        "submitter": "<s>me</s>",
        "submitted_at": iso_days_ago(1),
        "status": "FAILED",
        "position": None,
        "waiting_hours": None,
        "runner": None,
        "started_at": None,
        "finished_at": None,
        "attempts": 1,
        "failure_reason": "<script>alert(1)</script>",
        "failure_category": "<u>other</u>",
        "log_url": "javascript:alert(1)",
        "removed_reason": None,
        "removed_at": None,
        "eval_name": 'a"onmouseover="x',
        "page": 'a"onmouseover="x',
    }
    pending = {
        **entry,
        "status": "PENDING",
        "failure_reason": None,
        "position": 3,
        "pool": "<b>pool</b>",
        "votes": 2,
        "pull_request": 7,
        "waiting_hours": 1.0,
        "estimated_start": None,
        "estimated_finish": None,
        "duration": None,
    }
    meta = QueueMeta(
        as_of=iso_days_ago(0),
        order="<script>alert(2)</script>",
        votes=True,
        votes_at=None,
        pools=["gpu", "<b>pool</b>"],
        min_account_age_days=30,
    )
    rendered = render(
        "queue.html.j2",
        repo_url="https://github.com/example/leaderboard",
        meta=meta,
        as_of="",
        votes_at="",
        show_pool=True,
        running_logs=False,
        failed_logs=True,  # the Log column is there: its non-http address must stay text
        running=[],
        pending=[],
        failed=[entry],
        finished=[],
        removed=[],
    )
    # And as the site builds it: a pending request with a hostile pool, its votes and place.
    built = queue_html([entry, pending], "javascript:alert(1)", meta)
    for page in (rendered, built):
        assert "<script>" not in page and "&lt;script&gt;" in page
        assert "<b>" not in page and "<i>" not in page and "<s>" not in page and "<u>" not in page
        assert "javascript:" not in page
        assert 'href="../model/?id=a%22onmouseover%3D%22x"' in page
        assert "None" not in page  # a missing value prints as nothing
    assert "&lt;b&gt;pool&lt;/b&gt;" in built and "unknown" in built
    page = queue_html([pending], "https://github.com/example/leaderboard", meta)
    assert 'href="https://github.com/example/leaderboard/pull/7"' in page


def test_the_performance_page_shows_the_projects_figures_when_none_were_measured(
    tmp_path: Path,
) -> None:
    data = SiteData.load(make_repo(tmp_path / "repo", 2, features=False))
    page = data.fill_markdown("{{ lb.performance }}")
    reference = reference_figures()
    assert "No figures yet" not in page
    assert "The project's own figures" in page
    # When, where and how: each is said.
    for said in (md_text(reference.measured), md_text(reference.machine), reference.command):
        assert said in page, said
    assert len(reference.figures) > 10
    for figure in reference.figures:
        assert md_text(figure.name) in page
    rendered = _markdown(page)
    assert rendered.count("<tr>") == len(reference.figures) + 1


def test_the_performance_page_shows_the_deployments_own_figures(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", 2, features=False)
    figures = [{"area": "site", "name": "build", "size": 10, "value": 1.5, "unit": "s"}]
    (repo.root / BENCH_FILE).write_text(json.dumps(figures))
    written = time.time() - 3600
    os.utime(repo.root / BENCH_FILE, (written, written))
    page = SiteData.load(repo).fill_markdown("{{ lb.performance }}")
    assert "The project's own figures" not in page
    assert "the machine that built this site" in page
    when = datetime.fromtimestamp(written, UTC).strftime("%Y-%m-%d %H:%M UTC")
    assert when in html.unescape(re.sub(r"<[^>]+>", "", _markdown(page)))
    assert "`leaderboard bench --out bench-figures.json`" in page
    figure_rows = _markdown(page).split("<tr>")[2:]
    assert len(figure_rows) == 1 and "1.5 s" in figure_rows[0]
