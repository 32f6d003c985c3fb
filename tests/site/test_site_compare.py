"""The uncertainty and the comparator in headless Chromium, at 1280 px and 390 px: the ± switch,
rank bands, rows picked with the keyboard and kept in the address, and the comparison page's
chart, score table (difference, within noise) and provenance side by side.

axe-core checks the comparison page and the table with ± shown in test_site_first_look.py."""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, expect

from leaderboard.suites.uncertainty import Z95

pytestmark = [pytest.mark.slow, pytest.mark.browser]

WIDTHS = (1280, 390)
SHOTS = Path(os.environ.get("LB_SCREENSHOTS") or "/tmp/i16-shots")


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def any_page(request: pytest.FixtureRequest, open_page: Callable[..., Page]) -> Page:
    width = request.param
    return open_page(width, 844 if width < 600 else 900)


@pytest.fixture(scope="module")
def rows(built_site: Path) -> list[dict]:
    return json.loads((built_site / "data" / "contents.json").read_text("utf-8"))


def _unflagged(rows: list[dict]) -> list[dict]:
    return sorted(
        (r for r in rows if not r["Flagged"] and r["Available on the hub"]),
        key=lambda r: -r["Average ⬆️"],
    )


def _settled(page: Page) -> str:
    page.wait_for_timeout(300)  # the address follows the view 150 ms later
    return page.evaluate("location.search")


def test_plus_minus_is_behind_a_switch_and_in_the_address(any_page: Page, site_url: str, rows):
    page = any_page
    page.goto(site_url)
    expect(page.locator("#lb-table[data-ready]")).to_have_count(1)
    best = _unflagged(rows)[0]
    first = page.locator(".lb-grid__table tbody tr:not(.lb-grid__spacer)").first
    expect(first).not_to_contain_text("±")
    page.locator("input[name=se]").check()
    # The Average cell: two decimals, then one standard error.
    expected = f"{best['Average ⬆️']:.2f} ± {best['Average SE']:.2f}"
    expect(first).to_contain_text(expected)
    assert "se=1" in _settled(page)
    page.reload()
    expect(page.locator("input[name=se]")).to_be_checked()
    expect(first).to_contain_text(expected)


def test_rank_bands_are_shown_and_follow_the_intervals(page: Page, site_url: str, rows):
    ranked = [r for r in rows if not r["Flagged"] and r["Average SE"] is not None]
    ranked.sort(key=lambda r: -r["Average ⬆️"])
    # The rule, checked independently of table/bands.py: a band's leader and each member overlap.
    leader = ranked[0]
    for row in ranked:
        gap = leader["Average ⬆️"] - row["Average ⬆️"]
        if row["Rank band"] == leader["Rank band"]:
            assert gap <= Z95 * (leader["Average SE"] + row["Average SE"])
        else:
            assert row["Rank band"] == leader["Rank band"] + 1
            assert gap > Z95 * (leader["Average SE"] + row["Average SE"])
            leader = row
    assert all(r["Rank band"] is None for r in rows if r["Flagged"])
    page.goto(site_url)
    expect(page.locator("#lb-table[data-ready]")).to_have_count(1)
    heads = page.locator(".lb-grid__table thead th").all_inner_texts()
    assert "Rank band" in [h.strip() for h in heads]


def test_a_row_without_standard_error_shows_no_plus_minus(page: Page, site_url: str, rows):
    """lm-eval writes "N/A" for some errors: that row's cells show the score alone."""
    best = _unflagged(rows)[0]

    def without_se(route: Route) -> None:
        body = route.fetch().json()
        names = [c["name"] for c in body["columns"]]
        for row in body["rows"]:
            if row[names.index("eval_name")] == best["eval_name"]:
                for i, name in enumerate(names):
                    if name.endswith(" SE"):
                        row[i] = None
                row[names.index("Rank band")] = None
        route.fulfill(json=body)

    page.route("**/data/table.json", without_se)
    page.goto(site_url + "?se=1")
    expect(page.locator("#lb-table[data-ready]")).to_have_count(1)
    first = page.locator(".lb-grid__table tbody tr:not(.lb-grid__spacer)").first
    expect(first).to_contain_text(f"{best['Average ⬆️']:.2f}")
    expect(first).not_to_contain_text("±")
    expect(page.locator(".lb-grid__table tbody")).to_contain_text("±")  # the others keep theirs
    page.goto(site_url + f"model/?id={best['eval_name']}")
    expect(page.locator("#lb-model[data-ready]")).to_have_count(1)
    expect(page.locator("#lb-model table tbody").first).not_to_contain_text("±")
    expect(page.locator(".lb-band")).to_contain_text("No rank band")


def test_the_model_page_shows_each_error(page: Page, site_url: str, rows):
    row = _unflagged(rows)[1]
    page.goto(site_url + f"model/?id={row['eval_name']}")
    expect(page.locator("#lb-model[data-ready]")).to_have_count(1)
    scores = page.locator("#lb-model table").first
    expect(scores).to_contain_text(f"{row['Arithmetic']:.2f} ± {row['Arithmetic SE']:.2f}")
    expect(scores).to_contain_text(f"{row['Arithmetic Raw']:.4f} ± {row['Arithmetic Raw SE']:.4f}")
    expect(page.locator(".lb-band")).to_contain_text(f"Rank band {row['Rank band']}")


def test_pick_rows_with_the_keyboard_and_compare(any_page: Page, site_url: str, rows):
    page = any_page
    width = page.viewport_size["width"]
    page.goto(site_url)
    expect(page.locator("#lb-table[data-ready]")).to_have_count(1)
    link = page.locator("#lb-compare-link")
    expect(link).to_have_attribute("aria-disabled", "true")
    picks = page.locator(".lb-pick")
    top = _unflagged(rows)[:3]
    for k in range(3):
        picks.nth(k).focus()
        page.keyboard.press("Space")
    expect(link).to_have_text("Compare 3 models")
    ids = [r["eval_name"] for r in top]
    assert f"compare={'%2C'.join(ids)}" in _settled(page)
    # The selection survives a reload: it is in the address.
    page.reload()
    expect(page.locator("#lb-compare-link")).to_have_text("Compare 3 models")
    expect(page.locator(".lb-pick").nth(1)).to_be_checked()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"table-picked-{width}.png")
    page.locator("#lb-compare-link").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#lb-compare[data-ready]")).to_have_count(1)
    expect(page.locator("#lb-compare canvas")).to_have_count(1)
    scores = page.locator(".lb-compare-scores")
    expect(scores.locator("tbody tr")).to_have_count(3)  # the demo suite's 2 benchmarks + Average
    a, b = top[0], top[1]
    diff = b["Average ⬆️"] - a["Average ⬆️"]
    noise = "within noise" if abs(diff) <= Z95 * (a["Average SE"] + b["Average SE"]) else "apart"
    average = scores.locator("tbody tr").last
    expect(average.locator("td").nth(3)).to_have_text(
        f"{'+' if diff >= 0 else '−'}{abs(diff):.2f} ({noise})"
    )
    prov = page.locator(".lb-compare-prov")
    for r in top:
        expect(prov).to_contain_text(r["Model sha"])
    page.screenshot(path=SHOTS / f"compare-{width}.png", full_page=True)


def test_a_sixth_pick_is_refused(page: Page, site_url: str, rows):
    ids = [r["eval_name"] for r in _unflagged(rows)[:6]]
    page.goto(site_url + "?compare=" + ",".join(ids))
    expect(page.locator("#lb-table[data-ready]")).to_have_count(1)
    expect(page.locator("#lb-compare-link")).to_have_text("Compare 5 models")
    expect(page.locator(".lb-pick:checked")).to_have_count(5)
    expect(page.locator(".lb-pick").nth(5)).to_be_disabled()


@pytest.mark.parametrize("query", ["", "?ids=", "?ids=__proto__,nope", "?ids=__proto__,__proto__"])
def test_a_comparison_with_too_few_rows_says_what_to_do(page: Page, site_url: str, query: str):
    page.goto(site_url + "compare/" + query)
    expect(page.locator("#lb-compare[data-ready]")).to_have_count(1)
    expect(page.locator("#lb-compare")).to_contain_text("Pick 2 to 5 rows")


def test_differences_are_within_noise_by_the_stated_rule(page: Page, site_url: str, rows):
    """Every 'within noise' and 'apart' on the page agrees with the 95% interval test."""
    top = _unflagged(rows)[:5]
    page.goto(site_url + "compare/?ids=" + ",".join(r["eval_name"] for r in top))
    expect(page.locator("#lb-compare[data-ready]")).to_have_count(1)
    labels = ["Arithmetic", "Echo", "Average ⬆️"]
    cells = page.locator(".lb-compare-scores tbody tr")
    for i, col in enumerate(labels):
        se = "Average SE" if col == "Average ⬆️" else f"{col} SE"
        for k, r in enumerate(top[1:], start=1):
            a, b = top[0], r
            within = math.fabs(a[col] - b[col]) <= Z95 * (a[se] + b[se])
            got = cells.nth(i).locator("td").nth(len(top) + k - 1).get_attribute("data-noise")
            assert got == ("within noise" if within else "apart"), (col, r["eval_name"])


def _five(rows: list[dict]) -> list[dict]:
    """Four unflagged rows and the flagged one: the widest comparison, with a flag to show."""
    flagged = next(r for r in rows if r["Flagged"] and r["Average SE"] is not None)
    return [flagged, *_unflagged(rows)[:4]]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_comparison_tables_are_styled_and_nothing_is_clipped(
    open_page: Callable[..., Page], site_url: str, rows, scheme: str
) -> None:
    page = open_page(1280, 900, color_scheme=scheme)
    picked = _five(rows)
    page.goto(site_url + "compare/?ids=" + ",".join(r["eval_name"] for r in picked))
    expect(page.locator("#lb-compare[data-ready]")).to_have_count(1)
    for table in page.locator("#lb-compare table").all():
        style = table.evaluate(
            "t => { const s = getComputedStyle(t);"
            " const c = getComputedStyle(t.querySelector('td'));"
            " return [s.borderTopStyle, s.borderTopWidth, c.paddingLeft, c.paddingTop]; }"
        )
        assert style[0] != "none" and style[1] != "0px", style
        assert float(style[2][:-2]) >= 6 and float(style[3][:-2]) >= 4, style
        # Nothing is cut off: the table fits its box, and no cell hides part of its text.
        fits = table.evaluate("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth")
        assert fits, "the table is wider than its box at 1280 px"
        cut = table.evaluate(
            "t => [...t.querySelectorAll('td, th')].filter(c => c.scrollWidth > c.clientWidth + 1)"
            ".map(c => c.textContent)"
        )
        assert not cut, cut
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    # The flagged model is marked where its name is: the list, the chart's legend, each table.
    name = picked[0]["Model"]
    expect(page.locator(".lb-compare-intro .lb-flag")).to_have_count(1)
    expect(page.locator(".lb-compare-intro")).to_contain_text(picked[0]["Flag category"])
    expect(page.locator(".lb-compare-scores thead th .lb-flag")).to_have_count(1)
    expect(page.locator(".lb-compare-prov thead th .lb-flag")).to_have_count(1)
    legend = page.evaluate(
        "() => Chart.getChart(document.querySelector('#lb-compare canvas'))"
        ".data.datasets.map(d => d.label)"
    )
    assert [label for label in legend if "⚑" in label] == [f"{name} (bfloat16) ⚑ flagged"]


def test_the_chart_has_error_bars_of_the_95_percent_intervals(page: Page, site_url: str, rows):
    picked = _five(rows)
    page.goto(site_url + "compare/?ids=" + ",".join(r["eval_name"] for r in picked))
    expect(page.locator("#lb-compare[data-ready]")).to_have_count(1)
    chart = page.evaluate(
        "() => { const c = Chart.getChart(document.querySelector('#lb-compare canvas'));"
        " return [c.config.plugins.map(p => p.id), c.data.datasets.map(d => d.errors)]; }"
    )
    assert chart[0] == ["lbErrorBars"]
    for r, errors in zip(picked, chart[1], strict=True):
        expected = [Z95 * r[f"{b} SE"] for b in ("Arithmetic", "Echo")] + [Z95 * r["Average SE"]]
        assert errors == pytest.approx(expected)
    # The whiskers are drawn: pixels of the chart's text colour where the first bar's top is.
    drawn = page.evaluate(
        """() => {
          const c = Chart.getChart(document.querySelector('#lb-compare canvas'));
          const bar = c.getDatasetMeta(1).data[2];  // the second model's Average
          const ctx = c.ctx, ratio = c.currentDevicePixelRatio;
          const x = Math.round(bar.x * ratio), y = Math.round(bar.y * ratio) - 3 * ratio;
          const px = ctx.getImageData(x, y, 1, 6 * ratio).data;
          let dark = 0;
          for (let i = 0; i < px.length; i += 4) if (px[i] < 120 && px[i + 3] > 0) dark++;
          return dark;
        }"""
    )
    assert drawn > 0


def test_a_phone_scrolls_the_comparison_inside_its_boxes(
    open_page: Callable[..., Page], site_url: str, rows
) -> None:
    page = open_page(390, 844)
    page.goto(site_url + "compare/?ids=" + ",".join(r["eval_name"] for r in _five(rows)))
    expect(page.locator("#lb-compare[data-ready]")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), "the page scrolls"
    box = page.locator(".lb-scroll").first
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")  # the table scrolls in its box
    assert box.evaluate("b => getComputedStyle(b).overflowX") == "auto"
