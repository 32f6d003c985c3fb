"""What the built site publishes besides its pages: no stray page (a vendored library's licence
is a file next to its code, not a page in the sitemap or the search index)."""

from __future__ import annotations

import json
import re
from pathlib import Path

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
