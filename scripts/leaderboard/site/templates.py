"""The generated parts of pages, from Jinja2 templates in ``site/templates/`` (package data).

Every value a template prints is escaped unless a template marks it as trusted:

- HTML templates (``*.html.j2``) use Jinja's autoescape; a link's address goes through
  ``http_url``, so only http(s) addresses become links.
- Markdown templates (``*.md.j2``) escape every printed value as Markdown text (``md_text``):
  HTML-escaped, Markdown's punctuation backslash-escaped, lines joined, so a value shows as
  itself in a paragraph, a heading or a table cell. ``code`` prints a code span and
  ``code_block`` a fenced block, each verbatim. Only the suite's own Markdown (its ``about``
  and FAQ answers, written by maintainers) is printed as Markdown, with ``|safe``.

Jinja2 comes with MkDocs (the ``site`` extra) and is imported on first use: every CLI command
imports this package's build module, CI's validator included, which installs no site extra.
"""

from __future__ import annotations

import functools
import html
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2

TEMPLATES = Path(__file__).parent / "templates"

#: What Python-Markdown reads as syntax after a backslash (its ESCAPED_CHARS, and the tables
#: extension's "|"), less ">", which is HTML-escaped instead (a "\&gt;" would show its "\").
_MD_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")
_HTTP = re.compile(r"^https?://[^\s<>\"']+$")


def md_text(value: Any) -> str:
    """``value`` as Markdown that renders as exactly its text, on one line."""
    text = _LINE_BREAKS.sub(" ", "" if value is None else str(value))
    # '"' too, for an admonition's quoted title; "'" means nothing to Markdown or HTML text.
    return html.escape(_MD_PUNCTUATION.sub(r"\\\1", text), quote=False).replace('"', "&quot;")


def code_span(value: Any) -> str:
    """A Markdown code span showing ``value`` verbatim (Markdown escapes a code span's HTML
    itself): fenced by more backticks than the longest run inside it."""
    from markupsafe import Markup

    text = _LINE_BREAKS.sub(" ", "" if value is None else str(value))
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return Markup(f"{fence}{pad}{text}{pad}{fence}")  # noqa: S704 (a code span shows HTML as text)


def code_block(value: Any, lang: str = "") -> str:
    """A fenced Markdown code block showing ``value`` verbatim, line by line (Markdown escapes a
    code block's HTML itself): fenced by more backticks than the longest run inside it."""
    from markupsafe import Markup

    text = "" if value is None else str(value).rstrip("\n")
    fence = "`" * max(3, max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    return Markup(f"{fence}{lang}\n{text}\n{fence}")  # noqa: S704 (a code block shows HTML as text)


def http_url(value: Any) -> str | None:
    """The address when it is http(s), else None: nothing else may become a link."""
    return value if isinstance(value, str) and _HTTP.match(value) else None


def _md_finalize(value: Any) -> Any:
    from markupsafe import Markup

    return value if isinstance(value, Markup) else md_text(value)


def _html_finalize(value: Any) -> Any:
    """None prints as nothing (a request not yet started has no runner), as autoescape would
    otherwise print "None"."""
    return "" if value is None else value


@functools.cache
def _environment(kind: str) -> jinja2.Environment:
    import jinja2

    options: dict[str, Any] = {
        "loader": jinja2.FileSystemLoader(TEMPLATES),
        "undefined": jinja2.StrictUndefined,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": False,
    }
    if kind == "html":
        env = jinja2.Environment(autoescape=True, finalize=_html_finalize, **options)
    else:
        env = jinja2.Environment(autoescape=False, finalize=_md_finalize, **options)  # noqa: S701 (Markdown: md_text escapes every value)
    env.filters["code"] = code_span
    env.filters["code_block"] = code_block
    env.globals["http_url"] = http_url
    return env


def render(name: str, **context: Any) -> str:
    """Render ``site/templates/<name>``; ``*.html.j2`` is HTML, ``*.md.j2`` Markdown."""
    kind = "html" if name.endswith(".html.j2") else "md"
    return _environment(kind).get_template(name).render(**context)


def macro(name: str, macro_name: str, *args: Any) -> str | None:
    """Call one macro of a template (``parts.md.j2`` holds one macro per page placeholder);
    None when the template has no macro of that name."""
    from jinja2.runtime import Macro

    kind = "html" if name.endswith(".html.j2") else "md"
    fn = getattr(_environment(kind).get_template(name).module, macro_name, None)
    return str(fn(*args)) if isinstance(fn, Macro) else None
