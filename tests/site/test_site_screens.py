"""Screenshots of the pages a visitor uses most, at a desktop's 1280 px and a phone's 390 px, in
both palettes, from the synthetic site the tests build (``LB_SCREENSHOTS=DIR`` keeps them: the
review of issue 25 looks at them). Each is taken once the page has drawn its data; the Submit
page's are taken by test_site_submit_form.py, which has a Hub to ask."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _pages(rows: list[dict]) -> dict[str, tuple[str, str]]:
    ranked = sorted((r for r in rows if not r["Flagged"]), key=lambda r: -r["Average ⬆️"])
    flagged = next(r for r in rows if r["Flagged"])
    two = next(r for r in rows if r["Model"] == "experts/mixture-8x1b")
    ids = ",".join(r["eval_name"] for r in [flagged, *ranked[:3]])
    return {
        "leaderboard": ("", "#lb-table[data-ready]"),
        "compare": (f"compare/?ids={ids}", "#lb-compare[data-ready]"),
        "model": (f"model/?id={two['eval_name']}", "#lb-model[data-ready]"),
        "queue": ("queue/", "#lb-queue table"),
    }


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots_of_the_main_pages(
    open_page: Callable[..., Page],
    built_site: Path,
    site_url: str,
    shots: Path,
    width: int,
    scheme: str,
) -> None:
    rows = json.loads((built_site / "data" / "contents.json").read_text("utf-8"))
    page = open_page(width, 900 if width > 600 else 844, color_scheme=scheme)
    for name, (path, ready) in _pages(rows).items():
        page.goto(site_url + path)
        expect(page.locator(ready).first).to_be_visible()
        page.wait_for_load_state("networkidle")
        # The leaderboard's first screen is what matters; the other pages are shown whole.
        target = shots / f"{name}-{width}-{scheme}.png"
        page.screenshot(path=target, full_page=name != "leaderboard")
        assert target.stat().st_size > 10_000
