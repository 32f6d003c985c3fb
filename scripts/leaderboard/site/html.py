"""HTML escaping and links: everything shown on the site passes through here."""

from __future__ import annotations

import html
import re
from typing import Any

_HTTP = re.compile(r"^https?://[^\s<>\"']+$")


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def link(url: str | None, text: str) -> str:
    """An anchor only for http(s) links; anything else is shown as text."""
    if url and _HTTP.match(url):
        return f'<a href="{esc(url)}" rel="nofollow noopener">{esc(text)}</a>'
    return esc(text)
