"""Untrusted text made inert in GitHub-flavoured Markdown: the one escaper of every comment and
job summary the project writes.

Anything a stranger wrote (a file path in their pull request, a field of their request, a
maintainer's note, a model's error message) reaches the sticky comment, the job summary and
the notices on pull requests. Shown through :func:`text` or :func:`code`, it renders as the
literal characters it holds, in one paragraph or one table cell:

- every hidden character (line breaks, a lone carriage return, bidi overrides, zero-width and
  tag characters, noncharacters) is shown as its escape (``core.printable``), so the text
  stays on its line and cannot start a heading, a list or a new table row;
- :func:`text` backslash-escapes every ASCII punctuation character, which CommonMark allows for
  each of them: no emphasis, link, image, HTML tag, entity, table pipe or ``$`` math survives;
  what GitHub adds after Markdown (``@mentions``, ``#123`` and ``GH-123`` references,
  ``:emoji:`` codes, autolinked ``www.``, ``http://`` and e-mail addresses) is broken with a
  zero-width space, which only this module ever inserts;
- :func:`link` is a link whose address is an ``http(s)`` URL (a maintainer's discussion, the
  site's page of a row), written in CommonMark's ``<…>`` form with every character that could
  end it percent-encoded, and whose label goes through :func:`text`;
- :func:`code` is a code span fenced by more backticks than the text holds in a row, and GitHub
  neither links nor mentions inside code; in a table, its pipes are escaped (GitHub reads
  ``\\|`` as a pipe even inside code).
"""

from __future__ import annotations

import re
from urllib.parse import quote

from .printable import bounded

ZWSP = "\u200b"
#: ASCII punctuation: CommonMark lets a backslash escape each of these, and only these.
_PUNCTUATION = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")
#: What GitHub turns into a link or a notification after rendering, and the scheme and host
#: shapes its autolinker looks for: a zero-width space goes after the first character.
_LIVE = re.compile(
    r"(@)(?=[\w-])"  # @user, @org/team, e-mail addresses
    r"|(#)(?=\d)"  # #123, owner/repo#123
    r"|(GH-)(?=\d)"  # GH-123
    r"|(:)(?=[\w+-]+:)"  # :emoji:
    r"|(w)(?=ww\.)"  # www.
    r"|(:)(?=//)"  # scheme://
    r"|((?:mailto|xmpp):)",
    re.IGNORECASE,
)
_BACKTICKS = re.compile(r"`+")


def _break_live(s: str) -> str:
    return _LIVE.sub(lambda m: m.group() + ZWSP, s)


def text(value: object, limit: int = 600) -> str:
    """Untrusted text as literal Markdown text, in a paragraph or a table cell."""
    s = _break_live(bounded(value, limit))
    return _PUNCTUATION.sub(r"\\\1", s)


def code(value: object, limit: int = 600, *, in_table: bool = False) -> str:
    """Untrusted text as one code span (a path, a name): shown exactly, never a link."""
    s = bounded(value, limit)
    if not s:
        return ""
    longest = max((len(run) for run in _BACKTICKS.findall(s)), default=0)
    fence = "`" * (longest + 1)
    # One space is stripped from each end of a span that starts and ends with one, so a span
    # that touches a backtick or a space gets one of each to lose.
    pad = " " if s.strip(" ") and (s[0] in "` " or s[-1] in "` ") else ""
    if in_table:
        s = s.replace("|", "\\|")
    return f"{fence}{pad}{s}{pad}{fence}"


def link(url: object, label: object | None = None) -> str:
    """A link to an ``http(s)`` URL, labelled with ``label`` (or the URL) as :func:`text`;
    anything else is shown as code, never as a link."""
    address = str(url)
    if not re.match(r"https?://[^\s]", address, re.IGNORECASE) or len(address) > 2000:
        return code(address)
    # Inside <…> only <, > and line breaks end the address; percent-encode those, spaces and
    # every other character outside printable ASCII, and keep the rest as the URL wrote it.
    safe = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in "<>\\`")
    target = quote(address.encode("utf-8", "replace"), safe=safe)
    return f"[{text(address if label is None else label)}](<{target}>)"
