"""What the built site publishes besides its pages: no stray page (a vendored library's licence
is a file next to its code, not a page in the sitemap or the search index), and the feed of
changes advertised in every page's head."""

from __future__ import annotations

import json
import re
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from leaderboard.site.hooks import PROJECT_ROOT

VENDOR = PROJECT_ROOT / "docs" / "assets" / "vendor"


def _vendored_licences() -> list[Path]:
    found = [p for p in VENDOR.glob("*/LICENSE*") if p.is_file()]
    assert found, "every vendored library ships its licence"
    return found


def test_a_vendored_licence_is_served_next_to_its_code_and_is_no_page(built_site: Path) -> None:
    sitemap = (built_site / "sitemap.xml").read_text("utf-8")
    locations = re.findall(r"<loc>([^<]*)</loc>", sitemap)
    assert locations and not [loc for loc in locations if "vendor" in loc or "LICENSE" in loc]
    index = json.loads((built_site / "search" / "search_index.json").read_text("utf-8"))
    assert not [d["location"] for d in index["docs"] if "vendor" in d["location"]]
    assert not [d["location"] for d in index["docs"] if "Permission is hereby granted" in d["text"]]
    for source in _vendored_licences():
        folder = built_site / source.parent.relative_to(PROJECT_ROOT / "docs")
        assert (folder / source.name).read_bytes() == source.read_bytes()
        assert list(folder.glob("*.js")), f"{source.name} sits next to the code it covers"
        assert not (folder / source.stem).is_dir(), "no page was made of it"


class _HeadLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.feeds: list[dict[str, str | None]] = []
        self.in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_head |= tag == "head"
        found = dict(attrs)
        if self.in_head and tag == "link" and found.get("type") == "application/atom+xml":
            self.feeds.append(found)

    def handle_endtag(self, tag: str) -> None:
        self.in_head &= tag != "head"


def test_every_page_advertises_the_feed(built_site: Path) -> None:
    """Feed autodiscovery: ``<link rel="alternate" type="application/atom+xml">`` in the head of
    every page, leading to the feed wherever the page sits."""
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 5
    site = "http://site.test/"
    for page in pages:
        parser = _HeadLinks()
        parser.feed(page.read_text("utf-8"))
        [link] = parser.feeds or [None]
        assert link is not None, f"{page} advertises no feed"
        assert link["rel"] == "alternate" and link["title"], page
        address = urllib.parse.urljoin(site + page.relative_to(built_site).as_posix(), link["href"])
        assert address == site + "data/changes.xml", (page, link["href"])
    assert (built_site / "data" / "changes.xml").is_file()


def test_material_finds_its_sitemap_beside_the_feed(built_site: Path) -> None:
    """Material fetches ``sitemap.xml`` beside every ``<link rel="alternate">`` (its language
    selector): beside the feed that is ``data/sitemap.xml``, which must exist and parse."""
    import xml.etree.ElementTree as ET

    sitemap = ET.fromstring((built_site / "data" / "sitemap.xml").read_bytes())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    assert [loc.text for loc in sitemap.findall("s:url/s:loc", ns)] == [
        urllib.parse.urljoin(_site_url(built_site), "data/changes.xml")
    ]


def _site_url(built_site: Path) -> str:
    """The address the test site was built for: the first page of its own sitemap."""
    return re.findall(r"<loc>([^<]*)</loc>", (built_site / "sitemap.xml").read_text("utf-8"))[0]


@pytest.mark.slow
@pytest.mark.browser
def test_a_reader_finds_the_feed_from_any_page(page: Page, site_url: str) -> None:
    """In Chromium, after instant navigation too: the head's link leads to the feed, and the
    page fixture fails the test on any console error (a 404 beside the feed was one)."""
    feed = 'link[rel="alternate"][type="application/atom+xml"]'
    page.goto(site_url)
    page.locator(".md-tabs__link", has_text="Queue").click()
    expect(page.locator('table[data-queue="pending"]')).to_be_visible()
    hrefs = page.eval_on_selector_all(feed, "links => links.map(l => l.href)")
    assert hrefs == [site_url + "data/changes.xml"]
    answer = page.request.get(hrefs[0])
    assert answer.ok and b"<feed" in answer.body()
    page.wait_for_load_state("networkidle")
