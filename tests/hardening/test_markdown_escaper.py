"""Property: whatever a stranger's text holds, ``core.markdown`` renders it as that literal text
in one table cell, or as one code span in it, through GitHub's own renderer (cmark-gfm).

A cell that grew a second cell or row, an element other than the one code span, a link, an
image, a raw HTML tag or an entity, a line break, or a live ``@mention``/``#123`` would let the
text speak with the bot's voice on a pull request.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from leaderboard.core import markdown
from leaderboard.core.printable import bounded, printable

#: Pieces of Markdown, HTML and GitHub syntax, and every kind of hidden character.
PIECES = st.sampled_from(
    ["`", "``", "```", "|", "\\", "\\|", "<", ">", "&", "&amp;", "&#124;", "<img src=x>",
     "<!--", "-->", "<b>", "</td>", "@", "@alice", "@org/team", "#1", "GH-9", "a/b#2", ":+1:",
     ":white_check_mark:", "www.", "www.evil.com", "http://", "https://x.y/z", "mailto:",
     "xmpp:", "a@b.co", "[", "]", "(", ")", "![x](http://i/)", "[y](javascript:1)", "*", "_",
     "**", "~~", "$", "$$", "^", "\r", "\n", "\r\n", "\t", "\x00", "\x0b", "\x0c", "\x1b[31m",
     "\x7f", "\x85", "\u2028", "\u2029", "\u202e", "\u2066", "\u200b", "\u200d", "\ufeff",
     "\U000e0041", "\ufdd0", "\uffff", "\U0010ffff", "\ud800", "### ✅ Valid", "- ", "1. ",
     "> ", "---", "===", "    ", " ", "  ", "\\n", "=HYPERLINK(", "{{x}}", "%0A"]
)  # fmt: skip
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=30).map("".join)
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: GitHub links these in rendered text (not in code): a user or team, an issue, an emoji code.
LIVE = re.compile(r"@[\w-]|#\d|GH-\d|:[\w+-]+:", re.IGNORECASE)


class _Tree(HTMLParser):
    """The rendered table, as (tag, attrs) elements and the text of its body cells."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.path: list[str] = []
        self.cells: list[list[tuple[str, str]]] = []  # per body cell: (enclosing tag, text)
        self.comments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)
        self.path.append(tag)
        if tag == "td":
            self.cells.append([])

    def handle_endtag(self, tag: str) -> None:
        if self.path and self.path[-1] == tag:
            self.path.pop()

    def handle_data(self, data: str) -> None:
        if "td" in self.path:
            self.cells[-1].append((self.path[-1], data))

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def _render_cell(cell: str) -> _Tree:
    """One table, one body row, one cell, as GitHub renders a comment (raw HTML kept, so that
    any tag that got through would show)."""
    html = cmarkgfm.github_flavored_markdown_to_html(
        f"| head |\n|---|\n| {cell} |\n", options=Options.CMARK_OPT_UNSAFE
    )
    tree = _Tree()
    tree.feed(html)
    return tree


def _one_cell(tree: _Tree) -> list[tuple[str, str]]:
    assert tree.tags.count("table") == 1 and tree.tags.count("tr") == 2, tree.tags
    assert tree.tags.count("td") == 1 and not tree.comments, (tree.tags, tree.comments)
    return tree.cells[0]


@given(TEXT)
@SETTINGS
@example("requests/acme/x\r### ✅ Valid\r![i](http://t/p.png) [go](https://e.vil) @org/maint")
@example("a\\|b`c``d")
def test_text_renders_as_its_literal_characters_in_one_cell(value):
    tree = _render_cell(markdown.text(value))
    parts = _one_cell(tree)
    assert set(tree.tags) == {"table", "thead", "tr", "th", "tbody", "td"}, tree.tags
    assert all(tag == "td" for tag, _ in parts)
    shown = "".join(data for _, data in parts)
    # What a reader sees: the text with its hidden characters escaped, and a zero-width space
    # after the characters that GitHub would otherwise turn into a link or a mention.
    assert shown.replace(markdown.ZWSP, "").strip() == bounded(value, 600).strip()
    assert not LIVE.search(shown), shown
    assert "\n" not in shown.strip("\n")


@given(TEXT)
@SETTINGS
@example("` leading and trailing `")
@example("a\\|b | c")
@example("   ")
def test_code_renders_as_one_code_span_holding_the_text(value):
    tree = _render_cell(markdown.code(value, in_table=True))
    parts = _one_cell(tree)
    expected = bounded(value, 600)
    if not expected:
        assert parts == [] or "".join(d for _, d in parts).strip() == ""
        return
    assert tree.tags.count("code") == 1 and set(tree.tags) == {
        "table", "thead", "tr", "th", "tbody", "td", "code"
    }, tree.tags  # fmt: skip
    assert "".join(data for tag, data in parts if tag == "code") == expected
    assert all(data.strip() == "" for tag, data in parts if tag != "code")


@given(TEXT)
@SETTINGS
def test_code_outside_a_table_is_one_code_span_too(value):
    html = cmarkgfm.github_flavored_markdown_to_html(
        f"Model {markdown.code(value)} was evaluated.", options=Options.CMARK_OPT_UNSAFE
    )
    expected = bounded(value, 600)
    if not expected:
        return
    inner = re.fullmatch(r"<p>Model <code>(.*)</code> was evaluated\.</p>\n", html, re.S)
    assert inner is not None, html
    assert inner.group(1) == expected.replace("&", "&amp;").replace("<", "&lt;").replace(
        ">", "&gt;"
    ).replace('"', "&quot;")


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("a\rb", "a\\rb"),
        ("x\u2028y\u2029z\x85", "x\\u2028y\\u2029z\\x85"),
        ("\u202eevil\u2066", "\\u202eevil\\u2066"),
        ("tag\U000e0041", "tag\\U000e0041"),
        ("\uffff\ufdd0", "\\uffff\\ufdd0"),
        ("\x1b[2J", "\\x1b[2J"),
        ("café 😀 日本", "café 😀 日本"),
    ],
)
def test_printable_shows_every_hidden_character_and_keeps_the_rest(raw, shown):
    assert printable(raw) == shown


def test_a_long_text_is_cut_with_an_ellipsis_before_it_is_escaped():
    assert markdown.text("|" * 1000, limit=10) == "\\|" * 9 + "…"
    assert markdown.code("a" * 1000, limit=10) == "`" + "a" * 9 + "…`"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href") or "")


@SETTINGS
@given(TEXT)
@example("x>)[pwned](javascript:alert(1))")
@example("x> @alice #1 <img src=x>")
def test_link_is_one_link_to_its_https_address_whatever_the_address_holds(tail):
    """A maintainer's discussion URL becomes one link to that address: nothing in the address
    can close it early, add a second link, an image, a tag or a live mention."""
    html = cmarkgfm.github_flavored_markdown_to_html(
        f"Discussion: {markdown.link('https://github.com/o/r/discussions/' + tail)}",
        options=Options.CMARK_OPT_UNSAFE,
    )
    tree = _Links()
    tree.feed(html)
    assert tree.tags == ["p", "a"], html
    assert tree.hrefs[0].startswith("https://github.com/o/r/discussions/"), html
    assert not LIVE.search(re.sub(r"<[^>]*>", "", html)), html


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "ftp://x", ""])
def test_link_refuses_any_address_but_http(url):
    html = cmarkgfm.github_flavored_markdown_to_html(markdown.link(url))
    assert "<a" not in html
