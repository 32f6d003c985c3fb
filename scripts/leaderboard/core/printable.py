"""Untrusted text made visible: every character that moves, hides or reorders text is shown as
an escape instead.

A file path in a pull request, a card's field or a template's error message may hold a carriage
return (GitHub renders a lone one as a line break), a line or paragraph separator, an escape
sequence for the terminal, a bidi override that reorders what follows ("Trojan Source"), a
zero-width or tag character that hides text, or a noncharacter that XML refuses. Each output
that shows such text (comments, job summaries, annotations, log lines, commit messages, the
feed) passes it through :func:`printable` first, so what a reader sees is what the text holds.
"""

from __future__ import annotations

import re
import unicodedata

#: Unicode's general categories that are never shown as themselves: controls (``Cc``), format
#: characters (``Cf``: bidi controls, zero-width characters, the byte-order mark, soft hyphen,
#: tag characters), lone surrogates (``Cs``) and the line and paragraph separators.
_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
#: Everything outside printable ASCII is looked at one character at a time; plain text is not.
_CANDIDATE = re.compile(r"[^\x20-\x7e]")
#: How much of someone else's text (a file's error, a template's) one of our sentences quotes.
QUOTE = 300
#: How much of another program's error output (git's, gh's) our error repeats.
EXCERPT = 500


def noncharacter(ch: str) -> bool:
    """U+FDD0–U+FDEF and the last two code points of every plane: never text (XML refuses
    U+FFFE and U+FFFF)."""
    cp = ord(ch)
    return 0xFDD0 <= cp <= 0xFDEF or (cp & 0xFFFE) == 0xFFFE


def hidden(ch: str) -> bool:
    """Whether ``ch`` is one that :func:`printable` escapes."""
    return unicodedata.category(ch) in _HIDDEN or noncharacter(ch)


def escape(ch: str) -> str:
    """The escape of one character, as Python writes it (``\\r``, ``\\x1b``, ``\\u202e``)."""
    if ch in _SHORT:
        return _SHORT[ch]
    cp = ord(ch)
    if cp < 0x100:
        return f"\\x{cp:02x}"
    return f"\\u{cp:04x}" if cp < 0x10000 else f"\\U{cp:08x}"


def _one(match: re.Match[str]) -> str:
    ch = match.group()
    return escape(ch) if hidden(ch) else ch


def printable(text: object) -> str:
    """``text`` on one line, with every hidden character shown as its escape."""
    s = "" if text is None else str(text)
    return _CANDIDATE.sub(_one, s)


def bounded(text: object, limit: int) -> str:
    """:func:`printable`, at most ``limit`` characters (an ellipsis says it was cut)."""
    s = printable(text)
    return s if len(s) <= limit else s[: max(limit - 1, 0)] + "…"


def quoted(text: object, limit: int = QUOTE) -> str:
    """Someone else's text quoted inside one of our sentences: visible, bounded, in quotes."""
    return "“" + bounded(text, limit) + "”"
