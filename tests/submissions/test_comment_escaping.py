"""A hostile file name in a pull request, through everything CI prints about it: the sticky
comment (``leaderboard comment``, from validate's JSON report), the job summary, the
``::error`` annotations and the log. Run as validate.yml runs them (``--head``), and rendered
with GitHub's own Markdown renderer (cmark-gfm)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options

from leaderboard.cli.main import main
from tests.submissions.submissions_helpers import request_text

#: A lone carriage return is a line break to GitHub; git (even ``fsck --strict``) accepts it.
HOSTILE = (
    "x\r### ✅ Valid\rEvery check passed.\r![pixel](t.png) [details](https:e.vil)"
    " @maintainers #1 www.e.vil a@b.co <b>x</b> \u202eyaml.exe"
)


#: What every output shows instead.
SHOWN = HOSTILE.replace("\r", "\\r").replace("\u202e", "\\u202e")


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[tuple[str, str]] = []  # (innermost tag, text)
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in ("img", "br", "hr", "input"):
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        self.text.append((self.stack[-1] if self.stack else "", data))


def _render(markdown: str) -> _Html:
    html = _Html()
    html.feed(cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE))
    return html


def _assert_inert(html: _Html, *, links: int = 0) -> None:
    names = [t for t, _ in html.tags]
    assert names.count("h3") == 1, "only our own heading"
    assert "img" not in names and names.count("a") == links, names
    assert not {"script", "details", "summary", "iframe", "svg"} & set(names)
    # A mention, an issue reference or a bare link in text (not in code) would go live.
    prose = " ".join(text for tag, text in html.text if tag != "code")
    assert not re.search(r"@\w|#\d|www\.|://", prose), prose


def _hostile_pr(repo):
    repo.git("checkout", "-q", "-B", "pr", "origin/main")
    rel, text = request_text("acme/tiny", submitter="bob")
    repo.write(rel, text)
    repo.write(f"requests/acme/{HOSTILE}", "hello\n")
    repo.write(f"docs/{HOSTILE}.md", "hello\n")
    head = repo.commit("a request, and two odd files")
    repo.git("fsck", "--strict")  # raises if git refused the names: it does not
    repo.git("checkout", "-q", "main")
    return head


@pytest.fixture
def validated(leaderboard_repo, capsys, monkeypatch, tmp_path):
    """validate.yml's Validate step on the hostile pull request: its log, the job summary and
    the JSON report the sticky comment is made from."""
    head = _hostile_pr(leaderboard_repo)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    report = tmp_path / "report" / "report.json"
    capsys.readouterr()
    code = main(
        [
            "validate",
            *("--repo", str(leaderboard_repo.path), "--base", "HEAD", "--head", head),
            *("--committed", "--author", "bob", "--no-hub", "--json-file", str(report)),
        ]
    )
    log = capsys.readouterr().out
    assert code == 1
    problems = json.loads(report.read_text())["problems"]
    assert len(problems) == 2 and sum(p["path"].startswith("docs/x\r") for p in problems) == 1
    return log, summary.read_text(encoding="utf-8"), report, problems


def test_the_sticky_comment_shows_a_hostile_path_as_text(validated, capsys):
    _, _, report, problems = validated
    main(["comment", str(report), "--repository", "o/r", "--pr", "7", "--dry-run"])
    body = capsys.readouterr().out
    html = _render(body)
    _assert_inert(html)
    assert [t for t, _ in html.tags].count("tr") == 1 + len(problems)
    heading = "".join(t for tag, t in html.text if tag == "h3")
    assert "Changes needed" in heading
    codes = [t for tag, t in html.text if tag == "code"]
    assert f"docs/{SHOWN}.md" in codes


def test_the_job_summary_shows_a_hostile_path_as_text(validated):
    _, page, _, problems = validated
    html = _render(page)
    _assert_inert(html)
    assert [t for t, _ in html.tags].count("tr") == 1 + len(problems)
    assert f"docs/{SHOWN}.md" in [t for tag, t in html.text if tag == "code"]


def test_the_log_and_annotations_keep_a_hostile_path_on_its_line(validated):
    log, _, _, problems = validated
    # One line per problem and per annotation; nothing the path holds starts a line (a line
    # beginning "::" is a workflow command) or reorders the text after it.
    lines = log.splitlines()
    assert len([ln for ln in lines if ln.startswith("::")]) == len(problems)
    assert all(ln.startswith("::error ") for ln in lines if ln.startswith("::"))
    assert "\r" not in log and "\u202e" not in log
    assert f"docs/{SHOWN}.md" in log
