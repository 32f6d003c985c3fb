"""The leaderboard page as a leaderboard, in headless Chromium (issue 25): the rankings on the
first screen, one compact toolbar, coloured scores, pinned columns, every row of a model told
apart, and a keyboard that keeps its place."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ROW = ".lb-grid__table tbody tr:not(.lb-grid__spacer)"


@pytest.fixture(scope="module")
def rows(built_site: Path) -> list[dict]:
    return json.loads((built_site / "data" / "contents.json").read_text("utf-8"))


def _open(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator("#lb-table[data-ready]")).to_have_count(1)


def test_the_first_row_is_on_the_first_screen(
    open_page: Callable[..., Page], site_url: str, shots: Path
) -> None:
    page = open_page(1280, 900)
    _open(page, site_url)
    top = page.locator(ROW).first.evaluate("e => e.getBoundingClientRect().top")
    assert top < 450, top
    # The title and the type legend, once each: the header says the title (the page's h1 is for
    # screen readers), and the type chips are the legend.
    title = page.locator(".md-header__topic").first.inner_text().strip()
    visible_title = page.locator(f"text={title}").evaluate_all(
        "es => es.filter(e => e.checkVisibility() && e.getBoundingClientRect().width > 1).length"
    )
    assert visible_title == 1, visible_title
    expect(page.get_by_role("heading", level=1, name=title)).to_be_attached()
    for emoji in ("🟢", "🤝", "💬"):
        shown = (
            page.locator(".md-content")
            .get_by_text(emoji)
            .evaluate_all(
                "es => es.filter(e => e.checkVisibility() && !e.closest('.lb-grid')).length"
            )
        )
        assert shown == 1, (emoji, shown)
    # The filters beyond the chips are closed until asked for.
    expect(page.locator("#lb-filter-panel")).to_be_hidden()
    page.screenshot(path=shots / "first-screen-1280.png")


def test_size_chips_are_the_generated_size_classes(page: Page, site_url: str, rows) -> None:
    _open(page, site_url)
    meta = json.loads(page.evaluate("fetch('data/table.json').then(r => r.text())"))["meta"]
    chips = page.locator('[data-filter="size"] .lb-chip')
    values = [c.get_attribute("value") for c in chips.all()]
    assert values[: len(meta["size_classes"])] == [c["value"] for c in meta["size_classes"]]
    chips.first.click()
    expect(chips.first).to_have_attribute("aria-pressed", "true")
    shown = [r for r in rows if r["Size class"] == values[0] and not r["Flagged"]]
    shown = [r for r in shown if r["Available on the hub"]]
    expect(page.locator("#lb-count")).to_have_attribute("data-count", str(len(shown)))
    chips.first.click()  # a second press takes the filter away
    expect(chips.first).to_have_attribute("aria-pressed", "false")


def test_scores_are_coloured_by_their_place_in_the_column(page: Page, site_url: str, rows) -> None:
    _open(page, site_url)
    heads = [h.strip() for h in page.locator(".lb-grid__table thead th").all_inner_texts()]
    col = heads.index("Echo")
    cells = page.locator(ROW).locator(f"td:nth-child({col + 1})")
    found = cells.evaluate_all(
        "cs => cs.map(c => [c.textContent, c.className, getComputedStyle(c).backgroundColor])"
    )
    values = [r["Echo"] for r in rows if r["Echo"] is not None]
    best = f"{max(values):.2f}"
    worst = f"{min(values):.2f}"
    by_text = {text: (cls, bg) for text, cls, bg in found}
    assert "lb-heat-4" in by_text[best][0], by_text[best]
    assert best != worst
    if worst in by_text:
        assert "lb-heat" not in by_text[worst][0] or "lb-heat-0" in by_text[worst][0]
    # The darkest step is a colour, not the page's background.
    assert by_text[best][1] not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")


def test_rank_and_model_stay_in_view_when_the_table_scrolls_sideways(
    open_page: Callable[..., Page], site_url: str, shots: Path
) -> None:
    page = open_page(390, 844)
    _open(page, site_url)
    # A phone's table says that it scrolls sideways, and its edge fades.
    expect(page.locator(".lb-more")).to_be_visible()
    expect(page.locator(".lb-grid-host")).to_have_class("lb-grid-host lb-grid-host--more")
    first = page.locator(ROW).first
    before = [first.locator("td").nth(i).bounding_box()["x"] for i in range(3)]
    page.locator(".lb-grid").evaluate("e => { e.scrollLeft = 400; }")
    page.wait_for_timeout(100)
    after = [first.locator("td").nth(i).bounding_box()["x"] for i in range(3)]
    assert after == before, (before, after)
    # A column that is not pinned did move.
    heads = page.locator(".lb-grid__table thead th")
    assert heads.nth(3).bounding_box()["x"] < 390 - 400 + 300
    expect(page.locator(".lb-grid-host")).to_have_class(
        "lb-grid-host lb-grid-host--more lb-grid-host--scrolled"
    )
    page.screenshot(path=shots / "phone-scrolled-sideways.png")
    # The header stays at the top of the box when the rows scroll.
    page.locator(".lb-grid").evaluate("e => { e.scrollTop = 200; }")
    page.wait_for_timeout(100)
    box = page.locator(".lb-grid").bounding_box()
    head = heads.first.bounding_box()
    assert abs(head["y"] - box["y"]) <= 2, (head, box)


def test_rows_of_one_model_show_their_commit_and_the_latest(page: Page, site_url: str, rows):
    _open(page, site_url + "?search=mixture-8x1b")
    mine = [r for r in rows if r["Model"] == "experts/mixture-8x1b"]
    assert len({r["Model sha"] for r in mine}) == 2
    latest = max(mine, key=lambda r: r["Submission Date"])
    cells = page.locator(ROW).locator("td.lb-model")
    expect(cells).to_have_count(2)
    for cell in cells.all():
        sha = cell.locator(".lb-sha").inner_text()
        assert sha in {r["Model sha"][:7] for r in mine}
        marked = cell.locator(".lb-latest").count() == 1
        assert marked == (sha == latest["Model sha"][:7]), sha
    # Two rows at one commit (two precisions) show it, and neither is "latest": nothing is older.
    page.fill("#lb-search", "highlight-7b")
    cells = page.locator(ROW).locator("td.lb-model")
    expect(cells).to_have_count(2)
    expect(cells.locator(".lb-sha")).to_have_count(2)
    expect(cells.locator(".lb-latest")).to_have_count(0)
    # A model with one row shows no commit.
    page.fill("#lb-search", "frankenmerge")
    expect(page.locator(ROW).locator(".lb-sha")).to_have_count(0)


def test_sorting_with_the_keyboard_keeps_focus_on_the_header(page: Page, site_url: str) -> None:
    _open(page, site_url)
    head = page.locator('th[data-key="Echo"]')
    head.focus()
    page.keyboard.press("Enter")
    expect(page.locator('th[data-key="Echo"]')).to_have_attribute("aria-sort", "descending")
    assert page.evaluate("document.activeElement.dataset.key") == "Echo"
    page.keyboard.press("Enter")
    expect(page.locator('th[data-key="Echo"]')).to_have_attribute("aria-sort", "ascending")
    assert page.evaluate("document.activeElement.dataset.key") == "Echo"
    page.keyboard.press("Tab")  # and on to the next header, as before the sort
    assert page.evaluate("document.activeElement.tagName") == "TH"


def test_a_skip_link_leads_to_the_table_in_a_few_key_presses(page: Page, site_url: str) -> None:
    _open(page, site_url)
    page.keyboard.press("Tab")  # the page's first stop
    expect(page.locator(".lb-skip")).to_be_focused()
    expect(page.locator(".lb-skip")).to_be_visible()  # shown when focused
    expect(page.locator(".lb-skip")).to_have_text("Skip to the leaderboard table")
    page.evaluate("window.__grid = document.getElementById('lb-grid')")
    page.keyboard.press("Enter")
    # On the first column header, inside the table's box: two key presses.
    focused = "document.activeElement.matches('th') && document.activeElement.closest('#lb-grid')"
    assert page.evaluate(f"({focused}) === window.__grid")
    # Still there a moment later: the link is no navigation (Material's instant loading took it
    # as one, drew the page again, and the focus went to <body>).
    page.wait_for_timeout(500)
    assert page.evaluate(f"({focused}) === window.__grid")
    page.keyboard.press("Enter")  # and Enter sorts by it, the focus staying
    expect(page.locator("th[aria-sort=ascending], th[aria-sort=descending]").first).to_be_attached()
    assert page.evaluate("document.activeElement.tagName") == "TH"
    page.keyboard.press("Tab")  # the next header
    assert page.evaluate("document.activeElement.tagName") == "TH"
    # Material's own skip link is the next stop after ours.
    page.goto(site_url)
    expect(page.locator("#lb-table[data-ready]")).to_have_count(1)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.locator(".md-skip:not(.lb-skip)")).to_be_focused()


def test_the_column_chooser_offers_no_internal_column(page: Page, site_url: str) -> None:
    _open(page, site_url)
    page.get_by_role("button", name="Columns").click()
    offered = [
        box.get_attribute("value")
        for box in page.locator(".lb-columns__list input").all()  # every one offered
    ]
    assert "eval_name" not in offered and "fullname" not in offered
    assert "Model sha" in offered and "Precision" in offered
