"""The built site in headless Chromium: the table's search, filters, views and export, the URL
state, instant navigation, the queue, a model page and the plot. Every test also fails on a
console error or a request that leaves 127.0.0.1 (see the ``page`` fixture)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from leaderboard.table import search

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CASES = json.loads((Path(__file__).parent / "search_cases.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def rows(built_site: Path) -> list[dict]:
    return json.loads((built_site / "data" / "contents.json").read_text("utf-8"))


def searched(rows: list[dict], text: str) -> list[dict]:
    """The published rows the Python search finds (``table.search``'s rules)."""
    query = search.parse(text)
    return [
        r
        for r in rows
        if search.matches(query, search.row_names(r["Model"], r["Aliases"]), r["Hub License"])
    ]


def visible(rows: list[dict], **show: bool) -> list[dict]:
    """The rows the default view shows: everything but flagged rows and models no longer on
    the Hub (which Hugging Face's leaderboard hid too)."""
    return [
        r
        for r in rows
        if (show.get("flagged") or not r["Flagged"])
        and (show.get("gone") or r["Available on the hub"])
    ]


def open_table(page: Page, site_url: str, query: str = "") -> None:
    page.goto(site_url + query)
    expect(page.locator("#lb-table[data-ready]")).to_have_count(1)


def count(page: Page) -> int:
    return int(page.locator("#lb-count").get_attribute("data-count"))


def click(locator) -> None:
    """A real pointer click, with the element centred first: Playwright would otherwise scroll it
    to the top edge, under Material's fixed header, which then takes the click."""
    locator.evaluate("e => e.scrollIntoView({block: 'center', inline: 'center'})")
    locator.click()


def location(page: Page) -> str:
    """The query string once the view has settled: the page writes the address 150 ms after
    the last change (and ``page.url`` lags behind history.replaceState)."""
    page.wait_for_timeout(300)
    return page.evaluate("location.search")


def headers(page: Page) -> list[str]:
    return [
        t.strip()
        for t in page.locator(".lb-grid__table thead th .lb-grid__label").all_inner_texts()
    ]


def test_default_view(page: Page, site_url: str, rows: list[dict], shots: Path) -> None:
    open_table(page, site_url)
    assert count(page) == len(visible(rows)) < len(rows)
    head = headers(page)
    assert head[:4] == ["#", "T", "Model", "Average ⬆️"]
    assert "Arithmetic" in head and "Echo" in head and "IFEval" not in head
    first = page.locator(".lb-grid__table tbody tr:not(.lb-grid__spacer)").first
    best = max(visible(rows), key=lambda r: r["Average ⬆️"])
    expect(first).to_contain_text(best["Model"])
    expect(first.locator("td").first).to_have_text("1")
    # The type chips are the legend: each type once, with its emoji.
    expect(page.locator('[data-filter="type"] .lb-chip', has_text="🤝 merge")).to_have_count(1)
    page.screenshot(path=shots / "leaderboard.png")


@pytest.mark.parametrize(
    "query",
    [
        "model-1",
        "MODEL-1; model-2",
        "Hub License: mit",
        "org0; Hub License: apache-2.0",
        "renamed-3b",
        "Hub License: mit; Hub License: llama3",
        "nothing-matches-this",
    ],
)
def test_search_box(page: Page, site_url: str, rows: list[dict], query: str) -> None:
    open_table(page, site_url)
    page.fill("#lb-search", query)
    expected = searched(visible(rows), query)
    expect(page.locator("#lb-count")).to_have_attribute("data-count", str(len(expected)))
    if 0 < len(expected) <= 5:
        names = page.locator(".lb-grid__table tbody .lb-model-link").all_inner_texts()
        assert sorted(names) == sorted(r["Model"] for r in expected)


def test_shared_search_cases_in_the_browser(page: Page, site_url: str) -> None:
    open_table(page, site_url)
    got = page.evaluate(
        """async (cases) => {
             const { parse, matches } = await import(new URL("assets/leaderboard/search.js",
                                                             location.href).href);
             return cases.cases.map(c => {
               const q = parse(c.query);
               return cases.rows.filter(r => matches(
                 q, [r.fullname].concat(r.Aliases ? r.Aliases.split(", ") : []), r["Hub License"]
               )).map(r => r.fullname);
             });
           }""",
        CASES,
    )
    assert got == [c["expect"] for c in CASES["cases"]]


def _only(page: Page, group: str, keep: list[str]) -> None:
    for box in page.locator(f'fieldset[data-filter="{group}"] input').all():
        if (box.get_attribute("value") in keep) != box.is_checked():
            box.click()


def _all(page: Page, group: str) -> None:
    for box in page.locator(f'fieldset[data-filter="{group}"] input').all():
        box.check()


def _press(page: Page, group: str, keep: list[str]) -> None:
    """Press the chips of ``keep`` (and only those) in a chip group."""
    for chip in page.locator(f'[data-filter="{group}"] .lb-chip').all():
        if (chip.get_attribute("value") in keep) != (chip.get_attribute("aria-pressed") == "true"):
            chip.click()


def test_filters(page: Page, site_url: str, rows: list[dict]) -> None:
    open_table(page, site_url)
    # The rest of the filters are behind one button, closed at first.
    toggle = page.get_by_role("button", name="Filters")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#lb-filter-panel")).to_be_hidden()
    toggle.click()
    expect(page.locator("#lb-filter-panel")).to_be_visible()
    v = visible(rows)
    # (apply, undo, expected rows): one page, each filter applied and undone in turn.
    checks = [
        (
            lambda: _press(page, "type", ["chat"]),
            lambda: _press(page, "type", []),
            [r for r in v if r["Type"] == "chat"],
        ),
        (
            lambda: _press(page, "type", ["chat", "merge"]),
            lambda: _press(page, "type", []),
            [r for r in v if r["Type"] in ("chat", "merge")],
        ),
        (
            lambda: _only(page, "prec", ["4bit"]),
            lambda: _all(page, "prec"),
            [r for r in v if r["Precision"] == "4bit"],
        ),
        (lambda: _only(page, "wt", []), lambda: _all(page, "wt"), []),
        (
            lambda: _press(page, "size", ["Edge"]),
            lambda: _press(page, "size", []),
            [r for r in v if r["Size class"] == "Edge"],
        ),
        (
            lambda: _press(page, "size", ["GPU-rich"]),
            lambda: _press(page, "size", []),
            [r for r in v if r["Size class"] == "GPU-rich"],
        ),
        (
            lambda: _press(page, "size", ["Edge", "Consumer"]),
            lambda: _press(page, "size", []),
            [r for r in v if r["Size class"] in ("Edge", "Consumer")],
        ),
        (
            lambda: page.select_option("#lb-chat", "yes"),
            lambda: page.select_option("#lb-chat", "any"),
            [r for r in v if r["Chat Template"]],
        ),
        (
            lambda: page.check("input[name=flagged]"),
            lambda: page.uncheck("input[name=flagged]"),
            visible(rows, flagged=True),
        ),
        (
            lambda: page.uncheck("input[name=merged]"),
            lambda: page.check("input[name=merged]"),
            [r for r in v if not r["Merged"]],
        ),
        (
            lambda: page.uncheck("input[name=moe]"),
            lambda: page.check("input[name=moe]"),
            [r for r in v if not r["MoE"]],
        ),
        (
            lambda: page.check("input[name=gone]"),
            lambda: page.uncheck("input[name=gone]"),
            visible(rows, gone=True),
        ),
        (
            lambda: page.check("input[name=choice]"),
            lambda: page.uncheck("input[name=choice]"),
            [r for r in v if r["Maintainer's Highlight"]],
        ),
    ]
    for apply, undo, expected in checks:
        assert expected != v  # each filter changes something on this data
        apply()
        expect(page.locator("#lb-count")).to_have_attribute("data-count", str(len(expected)))
        undo()
        expect(page.locator("#lb-count")).to_have_attribute("data-count", str(len(v)))
    assert location(page) == ""  # back to the default view
    # A chip's view has a link, and the link presses the chip again.
    _press(page, "size", ["Mid-range"])
    assert location(page) == "?size=Mid-range"
    open_table(page, site_url + "?size=Mid-range")
    chip = page.locator('[data-filter="size"] .lb-chip[value="Mid-range"]')
    expect(chip).to_have_attribute("aria-pressed", "true")
    # Filters combine: chat models with a chat template, flagged shown; the button counts the
    # filters it holds that differ from the default view.
    open_table(page, site_url, "?type=chat&chat=yes&flagged=1")
    n = len([r for r in rows if r["Type"] == "chat" and r["Chat Template"]])
    assert count(page) == n > 0
    expect(page.get_by_role("button", name="Filters (2 on)")).to_be_visible()


def test_raw_switch_and_column_hiding(page: Page, site_url: str, shots: Path) -> None:
    open_table(page, site_url)
    page.check("input[name=lb-mode][value=raw]")
    head = headers(page)
    assert "Arithmetic Raw" in head and "Arithmetic" not in head
    cell = page.locator(".lb-grid__table tbody tr:not(.lb-grid__spacer)").first.locator("td").nth(4)
    assert len(cell.inner_text().split(".")[1]) == 4  # raw values show 4 decimals
    assert "raw=1" in location(page)
    click(page.get_by_role("button", name="Columns"))
    page.locator(".lb-columns__list input[value=Precision]").uncheck()
    page.locator('.lb-columns__list input[value="Model sha"]').check()
    head = headers(page)
    assert "Precision" not in head and "Model sha" in head
    page.screenshot(path=shots / "raw-columns.png")
    # The same view from its link.
    open_table(page, site_url + location(page))
    assert headers(page) == head


def test_csv_export(page: Page, site_url: str, rows: list[dict], tmp_path: Path) -> None:
    open_table(page, site_url)
    page.fill("#lb-search", "org0; trusted")
    with page.expect_download() as info:
        click(page.get_by_role("button", name="Export CSV"))
    target = tmp_path / "export.csv"
    info.value.save_as(target)
    with target.open(encoding="utf-8") as fh:
        exported = list(csv.DictReader(fh))
    expected = searched(visible(rows), "org0; trusted")
    assert len(exported) == len(expected) == count(page) > 0
    assert {r["Model"] for r in exported} == {r["Model"] for r in expected}
    assert [int(r["Rank"]) for r in exported] == sorted(int(r["Rank"]) for r in exported)
    assert "Arithmetic" in exported[0]


def test_url_state(page: Page, site_url: str, rows: list[dict]) -> None:
    open_table(page, site_url, "?search=org1&sort=Echo&dir=asc&flagged=1")
    expect(page.locator("#lb-search")).to_have_value("org1")
    assert page.is_checked("input[name=flagged]")
    expected = sorted(searched(rows, "org1"), key=lambda r: r["Echo"])
    assert count(page) == len(expected)
    first = page.locator(".lb-grid__table tbody .lb-model-link").first
    expect(first).to_have_text(expected[0]["Model"])
    expect(page.locator('th[data-key="Echo"]')).to_have_attribute("aria-sort", "ascending")
    page.locator('th[data-key="Echo"]').press("Enter")
    assert "dir=asc" not in location(page) and "sort=Echo" in location(page)
    page.fill("#lb-search", "org2")
    assert "search=org2" in location(page)


def test_instant_navigation(page: Page, site_url: str, rows: list[dict]) -> None:
    open_table(page, site_url, "?search=org0")
    page.evaluate("window.__noReload = 1")
    click(page.locator(".md-tabs__link", has_text="Queue"))
    expect(page.locator('table[data-queue="pending"]')).to_be_visible()
    assert page.evaluate("window.__noReload") == 1  # instant: no full page load
    click(page.locator(".md-tabs__link", has_text="Leaderboard"))
    expect(page.locator("#lb-table[data-ready]")).to_have_count(1)
    assert page.evaluate("window.__noReload") == 1
    expect(page.locator(".lb-grid")).to_have_count(1)  # the old instance was destroyed
    assert count(page) == len(visible(rows))
    page.go_back()
    expect(page.locator('table[data-queue="pending"]')).to_be_visible()


def test_queue_page(page: Page, site_url: str, shots: Path) -> None:
    page.goto(site_url + "queue/")
    pending = page.locator('table[data-queue="pending"] tbody tr')
    expect(pending).to_have_count(2)
    expect(pending.nth(0)).to_contain_text("waiting/first-in-line")
    expect(pending.nth(0).locator("td").first).to_have_text("1")
    expect(pending.nth(0)).to_contain_text("days")
    running = page.locator('table[data-queue="running"] tbody tr')
    expect(running).to_contain_text("gpu-runner-2")
    failed = page.locator('table[data-queue="failed"]')
    expect(failed).to_contain_text("remote code is refused")
    expect(failed.locator(".lb-badge--model")).to_have_count(1)
    expect(failed.locator(".lb-badge--infra")).to_have_count(1)
    expect(failed.get_by_role("link", name="log")).to_have_attribute(
        "href", "https://github.com/example/leaderboard/actions/runs/1"
    )
    expect(page.locator('table[data-queue="removed"]')).to_contain_text("The authors asked.")
    expect(page.locator('table[data-queue="finished"] tbody tr').first).to_be_visible()
    page.screenshot(path=shots / "queue.png", full_page=True)


def test_model_page(page: Page, site_url: str, rows: list[dict], shots: Path) -> None:
    open_table(page, site_url, "?search=contaminated&flagged=1")
    click(page.locator(".lb-grid__table .lb-model-link").first)
    expect(page.locator("#lb-model[data-ready]")).to_have_count(1)
    expect(page.locator(".md-content h1")).to_contain_text("cheater/contaminated-13b")
    expect(page.locator(".lb-flag-box")).to_contain_text("contamination")
    expect(page.locator(".lb-flag-box a")).to_have_attribute(
        "href", "https://github.com/example/leaderboard/discussions/1"
    )
    (row,) = [r for r in rows if r["Model"] == "cheater/contaminated-13b"]
    expect(page.locator("#lb-model")).to_contain_text(f"{row['Arithmetic']:.2f}")
    expect(page.locator("#lb-model")).to_contain_text(f"{row['Echo Raw']:.4f}")
    expect(page.locator("#lb-model canvas")).to_have_count(1)
    expect(page.locator("#lb-model pre code")).to_contain_text("lm_eval --model hf")
    expect(page.get_by_role("link", name=row["Request file"])).to_have_attribute(
        "href", f"https://github.com/example/leaderboard/blob/main/{row['Request file']}"
    )
    page.screenshot(path=shots / "model-flagged.png", full_page=True)
    # A model with two rows links each to the other; ranks are shown.
    (chat,) = [r for r in rows if r["Model"] == "trusted/highlight-7b" and r["Chat Template"]]
    page.goto(site_url + f"model/?id={chat['eval_name']}")
    expect(page.locator(".lb-others li")).to_have_count(1)
    expect(page.locator(".lb-others")).to_contain_text("4bit")
    expect(page.locator(".lb-ranks")).to_contain_text(f"Rank {chat['Rank in type']} of")
    page.goto(site_url + "model/?id=no-such-row")
    expect(page.locator(".lb-missing")).to_contain_text("no-such-row")


def test_hostile_strings_stay_text(page: Page, site_url: str) -> None:
    open_table(page, site_url, "?search=escape-test&cols=Hub%20License,Architecture")
    row = page.locator(".lb-grid__table tbody tr:not(.lb-grid__spacer)")
    expect(row).to_have_count(1)
    expect(row).to_contain_text('<img src=x onerror="window.__pwned=1">')
    assert page.locator(".lb-grid img").count() == 0
    click(row.locator(".lb-model-link"))
    expect(page.locator("#lb-model[data-ready]")).to_have_count(1)
    expect(page.locator("#lb-model")).to_contain_text("<img src=x")
    assert page.locator("#lb-model img").count() == 0
    assert page.evaluate("window.__pwned") is None


def test_plot(page: Page, site_url: str, rows: list[dict], shots: Path) -> None:
    page.goto(site_url + "plots/")
    expect(page.locator("#lb-plot[data-ready]")).to_have_count(1)
    n = len(
        [r for r in visible(rows, gone=True) if r["#Params (B)"] and r["Average ⬆️"] is not None]
    )
    assert int(page.locator("#lb-plot").get_attribute("data-points")) == n
    page.screenshot(path=shots / "plot.png")


def test_dark_palette(page: Page, site_url: str, shots: Path) -> None:
    open_table(page, site_url)
    page.locator("form[data-md-component=palette] label").first.click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    bg = page.evaluate(
        "getComputedStyle(document.querySelector('.lb-grid__table th')).backgroundColor"
    )
    assert bg != "rgb(255, 255, 255)"
    page.screenshot(path=shots / "leaderboard-dark.png")


def test_old_model_page_redirects_after_a_rename(
    page: Page, site_url: str, rows: list[dict]
) -> None:
    (row,) = [r for r in rows if r["Model"] == "newname/better-name-3b"]
    old_id = "newname/renamed-3b".replace("/", "_") + row["eval_name"][len(row["Model"]) :]
    page.goto(site_url + f"model/?id={old_id}")
    expect(page.locator("#lb-model[data-ready]")).to_have_count(1)
    expect(page).to_have_url(site_url + f"model/?id={row['eval_name']}")
    expect(page.locator(".md-content h1")).to_contain_text("newname/better-name-3b")
    expect(page.locator("#lb-model")).to_contain_text("newname/renamed-3b")  # former names


def test_performance_page_draws_scaling_curves(page: Page, site_url: str, shots: Path) -> None:
    page.goto(site_url + "performance/")
    expect(page.locator("#lb-bench[data-ready]")).to_have_count(1)
    # One chart for the unit "s", holding both curves; the sizeless figure is only in the table.
    expect(page.locator("#lb-bench")).to_have_attribute("data-charts", "1")
    expect(page.locator("#lb-bench canvas")).to_have_count(1)
    expect(page.locator("table")).to_contain_text("</script><b id=pwn>x</b>")
    assert page.locator("#pwn").count() == 0
    page.screenshot(path=shots / "performance.png", full_page=True)


def test_instant_navigation_to_the_performance_page_draws_its_curves(
    page: Page, site_url: str
) -> None:
    """Material runs a page's inline scripts again after instant navigation, without their
    attributes: the figures must not live in one (they did, and the charts never drew)."""
    page.goto(site_url + "queue/")
    page.evaluate("window.__noReload = 1")
    click(page.locator(".md-tabs__link", has_text="Performance"))
    expect(page.locator("#lb-bench[data-ready]")).to_have_count(1)
    assert page.evaluate("window.__noReload") == 1  # instant: no full page load
    expect(page.locator("#lb-bench canvas")).to_have_count(1)
    assert page.locator("#pwn").count() == 0


def test_a_pending_address_write_never_lands_on_the_next_page(page: Page, site_url: str) -> None:
    """The table writes its state into the address 150 ms after a change; navigating away
    within that window must leave the new page's address alone."""
    open_table(page, site_url)
    page.fill("#lb-search", "model-1")  # schedules the write
    link = page.locator(".lb-grid__table .lb-model-link").first
    link.evaluate("e => e.click()")  # at once, well inside the 150 ms
    expect(page.locator("#lb-model[data-ready]")).to_have_count(1)
    page.wait_for_timeout(400)
    assert "?id=" in page.url and "search=" not in page.url, page.url
    expect(page.locator(".lb-missing")).to_have_count(0)
