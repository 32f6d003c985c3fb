"""The leaderboard's search syntax, as users of the Open LLM Leaderboard know it.

Terms are separated by ``;``. A plain term is a case-insensitive substring of the model's full
name (or of a name it had before a rename); plain terms are alternatives. A term prefixed with
``Hub License:`` is a case-insensitive substring of the license; license terms are alternatives.
When both kinds are present, a row must match a name term and a license term.

The browser implements the same rules in ``docs/assets/leaderboard/search.js``; both are tested
against ``tests/site/search_cases.json``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..core.models import Row

LICENSE_PREFIX = "hub license:"


@dataclass(frozen=True)
class Query:
    names: list[str] = field(default_factory=list)
    licenses: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.names and not self.licenses


def parse(text: str) -> Query:
    """Split a query into lower-cased name and license terms; empty terms are dropped."""
    names: list[str] = []
    licenses: list[str] = []
    for raw in text.split(";"):
        term = raw.strip()
        if term.lower().startswith(LICENSE_PREFIX):
            value = term[len(LICENSE_PREFIX) :].strip().lower()
            if value:
                licenses.append(value)
        elif term:
            names.append(term.lower())
    return Query(names, licenses)


def matches(query: Query, names: Iterable[str], license: str | None) -> bool:
    """Whether a row with these names (current and former) and license matches the query."""
    if query.names:
        lowered = [n.lower() for n in names]
        if not any(term in name for term in query.names for name in lowered):
            return False
    if query.licenses:
        lic = (license or "").lower()
        if not any(term in lic for term in query.licenses):
            return False
    return True


def row_names(model: str, aliases: str | None) -> list[str]:
    """The names a table row answers to: its full name and its former names (``aliases`` holds
    them comma-separated; Hub ids never contain a comma)."""
    return [model, *(a for a in (aliases or "").split(", ") if a)]


def search(rows: Iterable[Row], text: str) -> list[Row]:
    """The rows of the table that match a query (all of them for an empty query)."""
    query = parse(text)
    if query.empty:
        return list(rows)
    return [r for r in rows if matches(query, row_names(r.model, r.aliases), r.license)]
