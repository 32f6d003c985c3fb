"""What a newcomer meets first, in headless Chromium at a desktop's 1280 px and a phone's 390 px:
accessibility (axe-core on every page), the phone's first screen, visible keyboard focus, empty
states that say why, flagged rows left unranked, the header's search finding models, the plot,
the reproduce command, and lookups that an address like ``?id=__proto__`` cannot break."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.slow, pytest.mark.browser]

WIDTHS = (1280, 390)
PHONE = {"width": 390, "height": 844}


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def any_page(request: pytest.FixtureRequest, open_page: Callable[..., Page]) -> Page:
    """A page at a desktop's width and at a phone's: each test that takes it runs at both."""
    width = request.param
    return open_page(width, PHONE["height"] if width < 600 else 900)


@pytest.fixture(scope="module")
def rows(built_site: Path) -> list[dict]:
    return json.loads((built_site / "data" / "contents.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def queue(built_site: Path) -> list[dict]:
    return json.loads((built_site / "data" / "queue.json").read_text("utf-8"))


def _ready(page: Page, selector: str = "#lb-table[data-ready]") -> None:
    expect(page.locator(selector)).to_have_count(1)


def _row_id(rows: list[dict], model: str) -> str:
    return next(r["eval_name"] for r in rows if r["fullname"] == model)


# -- accessibility ------------------------------------------------------------------------------


def _pages(rows: list[dict], queue: list[dict]) -> list[tuple[str, str]]:
    """Every page of the site, with the element that says it has drawn (or None): each kind of
    model page (a row, a flagged row, a failed request, a removed one, no such id) included."""
    flagged = _row_id(rows, "cheater/contaminated-13b")
    plain = next(r["eval_name"] for r in rows if not r["Flagged"])
    top = [r["eval_name"] for r in sorted(rows, key=lambda r: -r["Average ⬆️"])[:4]]
    failed = next(e for e in queue if e["status"] == "FAILED" and not e["removed_reason"])
    removed = next(e for e in queue if e["removed_reason"])
    return [
        ("", "#lb-table[data-ready]"),
        (f"?se=1&flagged=1&compare={plain},{flagged}", "#lb-table[data-ready]"),
        (f"compare/?ids={','.join([flagged, *top])}", "#lb-compare[data-ready]"),
        ("queue/", "#lb-queue"),
        ("plots/", "#lb-plot[data-ready]"),
        (f"model/?id={plain}", "#lb-model[data-ready]"),
        (f"model/?id={flagged}", "#lb-model[data-ready]"),
        (f"model/?id={_queue_id(failed)}", "#lb-model[data-ready]"),
        (f"model/?id={_queue_id(removed)}", "#lb-model[data-ready]"),
        ("model/?id=no-such-row", "#lb-model[data-ready]"),
        ("submit/", "#lb-submit[data-ready]"),
        ("faq/", ".md-content"),
        ("about/", ".md-content"),
        ("data/", ".md-content"),
        ("performance/", "#lb-bench[data-ready]"),
        ("curation/", ".md-content"),
        ("devhub/", ".md-content"),
    ]


def _queue_id(e: dict) -> str:
    """The model page id of a queue entry (table/rows.py's eval_name)."""
    chat = "chat" if e["use_chat_template"] else "nochat"
    return f"{e['model'].replace('/', '_')}_{e['precision']}_{e['revision'][:7]}_{chat}"


#: Material's two palettes, as the reader's system asks for them: scheme default and slate.
SCHEMES = {"light": "default", "dark": "slate"}


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_nothing_serious_on_any_page(
    open_page: Callable[..., Page],
    axe: Callable[[Page], list[dict]],
    site_url: str,
    rows: list[dict],
    queue: list[dict],
    width: int,
    scheme: str,
) -> None:
    """Every page, in both palettes, at both widths (test_site_stray_pages.py serves the 404
    page, as GitHub Pages does, and runs axe on it too)."""
    page = open_page(width, 844 if width < 600 else 900, color_scheme=scheme)
    found = {}
    for path, ready in _pages(rows, queue):
        page.goto(site_url + path)
        expect(page.locator(ready).first).to_be_attached()
        expect(page.locator(f"body[data-md-color-scheme={SCHEMES[scheme]}]")).to_have_count(1)
        page.wait_for_load_state("networkidle")
        problems = axe(page)
        if problems:
            found[path or "/"] = problems
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)


def test_keyboard_focus_is_visible_on_every_kind_of_control(page: Page, site_url: str) -> None:
    page.goto(site_url)
    _ready(page)
    page.locator(".lb-filters-toggle").click()  # the panel's controls are focusable once open
    for selector in (
        "#lb-search",
        ".lb-chip >> nth=0",
        ".lb-filters-toggle",
        ".lb-filterpanel input[type=checkbox] >> nth=0",
        "input[name=lb-mode] >> nth=0",
        "#lb-chat",
        ".lb-columns .md-button",
        ".lb-grid__sortable >> nth=0",
    ):
        control = page.locator(selector)
        control.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # focus from the keyboard: :focus-visible applies
        style = control.evaluate(
            "e => { const s = getComputedStyle(e); return [s.outlineStyle, s.outlineWidth]; }"
        )
        assert style[0] != "none" and style[1] != "0px", (selector, style)


# -- the phone's first screen --------------------------------------------------------------------


def test_a_phone_sees_rank_model_and_average_on_the_first_screen(
    open_page: Callable[..., Page], site_url: str, shots: Path
) -> None:
    page = open_page(**PHONE)
    page.goto(site_url)
    _ready(page)
    expect(page.locator(".lb-filters-toggle")).to_have_attribute("aria-expanded", "false")
    expect(page.locator(".lb-filterpanel")).to_be_hidden()
    first = page.locator(".lb-grid__table tbody tr:not(.lb-grid__spacer)").first
    headers = page.locator(".lb-grid__table thead th").all_inner_texts()
    average = next(i for i, h in enumerate(headers) if h.startswith("Average"))
    for index in (0, 2, average):  # rank, model, average
        box = first.locator("td").nth(index).bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (index, box)
        assert box["y"] + box["height"] <= PHONE["height"], (index, box)
    page.screenshot(path=shots / "phone-first-screen.png")
    # Nothing is lost: the filters open with one tap.
    page.locator(".lb-filters-toggle").click()
    expect(page.locator(".lb-filterpanel")).to_be_visible()


def test_the_table_is_as_tall_as_its_rows(any_page: Page, site_url: str) -> None:
    any_page.goto(site_url + "?search=highlight")
    _ready(any_page)
    grid = any_page.locator(".lb-grid")
    shown = int(any_page.locator("#lb-count").get_attribute("data-count"))
    assert 0 < shown <= 3
    height = grid.evaluate("e => e.getBoundingClientRect().height")
    assert height < 60 + 34 * shown, height  # the header and the rows, not 70% of the screen


# -- empty states ----------------------------------------------------------------------------------


def test_a_search_that_only_flagged_rows_match_says_so(any_page: Page, site_url: str) -> None:
    any_page.goto(site_url + "?search=contaminated")
    _ready(any_page)
    empty = any_page.locator(".lb-empty")
    expect(empty).to_be_visible()
    expect(empty).to_contain_text("1 flagged row matches, hidden by default")
    empty.get_by_role("button", name="show flagged rows").click()
    expect(any_page.locator("#lb-count")).to_have_attribute("data-count", "1")
    expect(empty).to_be_hidden()
    assert any_page.locator("input[name=flagged]").is_checked()


def test_a_search_that_matches_nothing_says_so(any_page: Page, site_url: str) -> None:
    any_page.goto(site_url + "?search=no-such-model-anywhere")
    _ready(any_page)
    expect(any_page.locator(".lb-empty")).to_contain_text("No rows match “no-such-model-anywhere”")
    expect(any_page.locator(".lb-empty a")).to_have_text("Reset the view")


def test_only_maintainers_choice_with_no_choice_says_so(any_page: Page, site_url: str) -> None:
    # The synthetic leaderboard has a maintainer's choice; the data without it is what a new
    # leaderboard (the demo) serves.
    def without_choice(route) -> None:
        data = route.fetch().json()
        i = [c["name"] for c in data["columns"]].index("Maintainer's Highlight")
        for row in data["rows"]:
            row[i] = False
        route.fulfill(json=data)

    any_page.route("**/data/table.json", without_choice)
    any_page.goto(site_url + "?choice=1")
    _ready(any_page)
    expect(any_page.locator(".lb-empty")).to_contain_text("No model is a maintainer's choice yet")


def test_a_removed_models_old_address_says_why(
    any_page: Page, site_url: str, queue: list[dict]
) -> None:
    entry = next(e for e in queue if e["removed_reason"])
    old_id = (
        f"{entry['model'].replace('/', '_')}_{entry['precision']}_{entry['revision'][:7]}_"
        f"{'chat' if entry['use_chat_template'] else 'nochat'}"
    )
    any_page.goto(site_url + f"model/?id={old_id}")
    _ready(any_page, "#lb-model[data-ready]")
    missing = any_page.locator(".lb-missing")
    expect(missing).to_contain_text("was removed from the leaderboard")
    expect(missing).to_contain_text(entry["removed_reason"])
    expect(missing).not_to_contain_text("may have been")


# -- flags ---------------------------------------------------------------------------------------


def test_shown_flagged_rows_are_not_ranked(any_page: Page, site_url: str, rows: list[dict]) -> None:
    any_page.goto(site_url + "?flagged=1&gone=1")
    _ready(any_page)
    ranks = {}
    for tr in any_page.locator(".lb-grid__table tbody tr:not(.lb-grid__spacer)").all():
        ranks[tr.locator("td").nth(2).inner_text().replace("⚑", "").strip()] = (
            tr.locator("td").nth(0).inner_text()
        )
    flagged = [r["fullname"] for r in rows if r["Flagged"]]
    assert flagged and all(ranks[name] == "—" for name in flagged if name in ranks), ranks
    best = max((r for r in rows if not r["Flagged"]), key=lambda r: r["Average ⬆️"])
    assert ranks[best["fullname"]] == "1"


def test_every_flag_looks_the_same(any_page: Page, site_url: str) -> None:
    any_page.goto(site_url + "?flagged=1&search=contaminated;quiet-merge")
    _ready(any_page)
    flags = any_page.locator(".lb-flag")
    expect(flags).to_have_count(2)
    tags = flags.evaluate_all("fs => fs.map(f => f.tagName)")
    assert sorted(tags) == ["A", "SPAN"], "one flag with a discussion link, one automatic"
    colours = flags.evaluate_all("fs => fs.map(f => getComputedStyle(f).color)")
    assert colours[0] == colours[1], colours


# -- the two search boxes ------------------------------------------------------------------------


def test_the_header_search_points_at_matching_models(any_page: Page, site_url: str) -> None:
    any_page.goto(site_url + "faq/")
    box = any_page.locator(".md-search__input")
    expect(box).to_have_attribute("placeholder", "Search pages and models")
    if any_page.viewport_size["width"] < 600:
        any_page.locator("label.md-header__button[for=__search]").click()  # behind an icon
    box.click()
    box.fill("highlight")
    hint = any_page.locator("#lb-search-hint")
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("2 models match “highlight”")
    hint.locator("a").click()
    _ready(any_page)
    assert any_page.locator("#lb-search").input_value() == "highlight"
    expect(any_page.locator("#lb-count")).to_have_attribute("data-count", "2")


# -- the plot ----------------------------------------------------------------------------------


def test_the_plot_fits_tiny_models_and_says_when_it_is_empty(
    any_page: Page, site_url: str, shots: Path
) -> None:
    def tiny(route) -> None:
        data = route.fetch().json()
        i = [c["name"] for c in data["columns"]].index("#Params (B)")
        for k, row in enumerate(data["rows"]):
            row[i] = (100_000 + 50_000 * k) / 1e9  # 0.1 M to a few M parameters
        route.fulfill(json=data)

    any_page.route("**/data/table.json", tiny)
    any_page.goto(site_url + "plots/")
    _ready(any_page, "#lb-plot[data-ready]")
    scale = any_page.evaluate(
        "() => { const c = Chart.getChart(document.querySelector('#lb-plot canvas'));"
        " return [c.scales.x.min, c.scales.x.max, c.options.plugins.legend.display,"
        " c.scales.x.ticks.map(t => t.label).filter(Boolean)]; }"
    )
    assert scale[0] == pytest.approx(1e-4) and scale[1] == pytest.approx(1e-2), scale
    assert scale[2] is True
    assert scale[3] == ["0.1 M", "1 M", "10 M"], scale[3]
    any_page.screenshot(path=shots / "plot-tiny.png")

    any_page.unroute("**/data/table.json")

    def no_rows(route) -> None:
        data = route.fetch().json()
        data["rows"] = []
        route.fulfill(json=data)

    any_page.route("**/data/table.json", no_rows)
    any_page.goto(site_url + "plots/")
    _ready(any_page, "#lb-plot[data-ready]")
    expect(any_page.locator("#lb-plot .lb-empty")).to_contain_text("Nothing to plot yet")
    assert any_page.locator("#lb-plot").get_attribute("data-points") == "0"


# -- the model page ------------------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_the_reproduce_command_is_whole_and_copies(
    open_page: Callable[..., Page], site_url: str, rows: list[dict], width: int
) -> None:
    page = open_page(width, 844, permissions=["clipboard-read", "clipboard-write"])
    row_id = next(r["eval_name"] for r in rows if not r["Flagged"])
    page.goto(site_url + f"model/?id={row_id}")
    _ready(page, "#lb-model[data-ready]")
    code = page.locator(".lb-reproduce__cmd code")
    command = next(r["Reproduce"] for r in rows if r["eval_name"] == row_id)
    assert code.inner_text() == command
    # Wrapped, not scrolled: nothing of it lies outside its box.
    assert code.evaluate("e => e.parentElement.scrollWidth <= e.parentElement.clientWidth")
    page.get_by_role("button", name="Copy command").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == command
    expect(page.locator("#lb-model")).to_contain_text("Ran on")
    expect(page.locator("#lb-model")).to_contain_text("1x NVIDIA H100 80GB (cuda), batch size auto")
    # Where the runner pools placed it (runner-pools' provenance columns).
    row = next(r for r in rows if r["eval_name"] == row_id)
    expect(page.locator("#lb-model")).to_contain_text(f"{row['Runner pool']}, on one GPU")
    expect(page.locator("#lb-model")).to_contain_text(
        f"Peak GPU memory{row['Peak GPU memory (GB)']:.1f} GB"
    )


@pytest.mark.parametrize(
    "address",
    [
        "model/?id=__proto__",
        "model/?id=constructor",
        "model/?id=hasOwnProperty",
        "?sort=__proto__&cols=constructor,__proto__,toString,Echo",
        "?type=__proto__&prec=constructor",
    ],
)
def test_prototype_keys_in_the_address_find_nothing(
    any_page: Page, site_url: str, address: str
) -> None:
    any_page.goto(site_url + address)
    if address.startswith("model/"):
        _ready(any_page, "#lb-model[data-ready]")
        expect(any_page.locator(".lb-missing")).to_contain_text("No leaderboard row is called")
    else:
        _ready(any_page)
        # The unknown names are dropped, the known one kept, the sort back to its default.
        labels = any_page.locator(".lb-grid__table thead th .lb-grid__label").all_inner_texts()
        if "cols" in address:
            assert labels == ["#", "T", "Model", "Echo"], labels
        sorted_by = any_page.locator("th[aria-sort=descending]")
        expect(sorted_by).to_have_count(1 if "cols" not in address else 0)
    # The page fixture fails the test on any console or page error.
