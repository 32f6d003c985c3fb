"""Following the leaderboard without scraping it: an Atom feed of what changed
(``data/changes.xml``) and one JSON file per model at a stable address
(``data/models/<org>/<name>.json``).

The feed's dates are the runner's and the maintainers': an evaluation's ``finished_at`` from
its result's provenance (a failure's from its request, which the runner wrote), a flag's date
from ``curation/flags.yaml``, a removal's from the ``removed`` block a maintainer's pull request
wrote; never the submitter's ``submitted_at``.

Links are absolute, from the site's address (``site_url`` in the settings, or ``leaderboard
build --site-url``): a feed reader shows an entry far from the feed, and not every reader
resolves a relative link. Without an address the links are relative to the feed
(``../model/?id=…``), which RFC 4287 readers resolve against the address they fetched it from.
The XML is written by ``xml.etree``, which escapes every string, after :func:`xml_text` has
replaced the characters XML cannot hold.
"""

from __future__ import annotations

import re
import urllib.parse
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..core.ids import is_model_id
from ..core.models import Cell, Flag, Row, TableColumn
from .columns import records
from .exports import _dumps

#: A queue entry as ``table.queue_view`` makes it.
QueueItem = Mapping[str, Any]

ATOM = "http://www.w3.org/2005/Atom"
#: Where the feed is published, under the site's root.
FEED_PATH = "data/changes.xml"
#: The newest entries only: a feed is for following, the downloads are for everything.
MAX_ENTRIES = 200
#: A failure's reason in an entry's title: its first line, cut to this many characters (the
#: entry's summary holds all of it).
TITLE_REASON = 120
#: What XML 1.0 refuses to hold, even escaped: most controls, lone surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` as XML can hold it: ``xml.etree`` escapes markup but writes any character, and
    one U+FFFF makes every reader refuse the whole feed. The checked files refuse such
    characters already (``core.models.types``); this keeps one that got through from
    breaking the feed."""
    return _NOT_XML.sub("\ufffd", text)


def _id(*parts: str) -> str:
    """A stable entry id: the same event always has the same id, across builds."""
    return uuid.uuid5(uuid.NAMESPACE_URL, "leaderboard:" + "\0".join(parts)).urn


def _model_href(eval_name: str) -> str:
    """A page of the site, relative to its root (``_absolute`` makes it a full address)."""
    return "model/?id=" + eval_name


def _absolute(site_url: str | None, href: str) -> str:
    """``href`` (relative to the site's root, or a full address) as the feed links to it."""
    if urllib.parse.urlsplit(href).scheme:
        return href
    if site_url:
        return urllib.parse.urljoin(site_url.rstrip("/") + "/", href)
    return "../" + href  # the feed is data/changes.xml: one folder below the root


def _first_line(text: str, limit: int) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _events(
    rows: Sequence[Row], flags: Iterable[Flag], queue: Sequence[QueueItem]
) -> list[dict[str, str]]:
    events = []
    for r in rows:
        if r.evaluated_at:
            score = "no average" if r.average is None else f"average {r.average:.2f}"
            events.append(
                {
                    "kind": "evaluated",
                    "key": r.id,
                    "when": r.evaluated_at,
                    "title": f"Evaluated: {r.model} ({r.precision}), {score}",
                    "href": _model_href(r.id),
                }
            )
    rows_of: dict[str, list[str]] = {}
    for r in rows:
        rows_of.setdefault(r.model.lower(), []).append(r.id)
    for f in flags:
        hit = rows_of.get(f.model.lower(), [])
        events.append(
            {
                "kind": "flagged",
                "key": f"{f.model}@{f.sha or '*'}:{f.category.value}",
                "when": f.date.isoformat().replace("+00:00", "Z"),
                "title": f"Flagged ({f.category.value}): {f.model}",
                "href": _model_href(hit[0]) if hit else str(f.discussion),
            }
        )
    for q in queue:
        if q.get("removed_at"):
            events.append(
                {
                    "kind": "removed",
                    "key": q["request"],
                    "when": q["removed_at"],
                    "title": f"Removed: {q['model']} ({q['precision']}): {q.get('removed_reason')}",
                    "href": "queue/#removed",
                }
            )
        elif q.get("status") == "FAILED" and q.get("finished_at"):
            reason = q.get("failure_reason") or "no reason recorded"
            category = q.get("failure_category") or "unknown"
            events.append(
                {
                    "kind": "failed",
                    # A relaunch that fails again is a new event: its attempt is in the key.
                    "key": f"{q['request']}#{q.get('attempts')}",
                    "when": q["finished_at"],
                    "title": f"Failed ({category}): {q['model']} ({q['precision']}): "
                    + _first_line(reason, TITLE_REASON),
                    "summary": f"{category} failure after {q.get('attempts')} attempt(s): {reason}",
                    "href": "queue/#failed",
                }
            )
    events.sort(key=lambda e: (e["when"], e["kind"], e["key"]), reverse=True)
    return events[:MAX_ENTRIES]


def changes_atom(
    rows: Sequence[Row],
    flags: Iterable[Flag],
    queue: Sequence[QueueItem],
    *,
    title: str,
    repo_url: str | None,
    generated_at: str,
    site_url: str | None = None,
) -> bytes:
    """The Atom feed (RFC 4287) of the newest evaluations, failures, flags and removals; its
    links are absolute under ``site_url`` (relative to the feed without one)."""
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        e = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: xml_text(v) for k, v in attrs.items()})
        if text is not None:
            e.text = xml_text(text)
        return e

    events = _events(rows, flags, queue)
    feed = ET.Element(f"{{{ATOM}}}feed")
    sub(feed, "id", _id("feed", title, repo_url or ""))
    sub(feed, "title", f"{title}: changes")
    sub(feed, "subtitle", "Newly evaluated, failed, flagged and removed models.")
    # The feed changes when its newest entry does, not on every build.
    sub(feed, "updated", events[0]["when"] if events else generated_at)
    sub(feed, "link", rel="self", href=_absolute(site_url, FEED_PATH))
    sub(feed, "link", rel="alternate", href=_absolute(site_url, ""))
    author = sub(feed, "author")
    sub(author, "name", f"{title} maintainers")
    if repo_url:
        sub(author, "uri", repo_url)
    for e in events:
        entry = sub(feed, "entry")
        sub(entry, "id", _id(e["kind"], e["key"], e["when"]))
        sub(entry, "title", e["title"])
        sub(entry, "updated", e["when"])
        sub(entry, "link", rel="alternate", href=_absolute(site_url, e["href"]))
        sub(entry, "category", term=e["kind"])
        sub(entry, "summary", e.get("summary", e["title"]))
    xml: bytes = ET.tostring(feed, encoding="utf-8")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + xml


def model_path(model: str) -> str | None:
    """``data/models/<org>/<name>.json`` for a Hub id; ``None`` for anything that is not one."""
    if not is_model_id(model):
        return None
    return f"data/models/{model}.json"


def model_files(rows: Sequence[Row], cols: Sequence[TableColumn]) -> dict[str, bytes]:
    """One JSON file per model: every row of it (each precision, commit, chat setting) with
    every column, provenance included. A renamed model's former names get the same file with
    ``renamed_to``, so that a link made before the rename keeps working."""
    by_model: dict[str, list[tuple[Row, dict[str, Cell]]]] = {}
    for r, record in zip(rows, records(rows, cols), strict=True):
        by_model.setdefault(r.model, []).append((r, record))
    out: dict[str, bytes] = {}
    taken: set[str] = set()  # the Hub's ids are case-insensitive, and so are some file systems
    for model, pairs in sorted(by_model.items()):
        items = [record for _, record in pairs]
        aliases = sorted({a for r, _ in pairs for a in (r.aliases or "").split(", ") if a})
        doc = {"model": model, "renamed_to": None, "former_names": aliases, "rows": items}
        for name in [model, *aliases]:
            path = model_path(name)
            if path is None or path.lower() in taken:
                continue
            taken.add(path.lower())
            out[path] = _dumps({**doc, "renamed_to": model if name != model else None})
    return out
