"""Browser tests: the real built site, served on 127.0.0.1, in Debian's headless chromium.

The site is built once per test process from a synthetic repository
(leaderboard.devtools.synthetic) with the cases a reader must see right: flagged, merged, MoE,
maintainer's choice, renamed, removed, failed, pending, running, a model gone from the Hub, and
hostile strings.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page

from leaderboard.devtools.synthetic import make_repo
from leaderboard.site.hooks import build
from tests.lbtest import serving, static_files

#: Plain models besides the feature cases.
N_PLAIN = 12


#: What `leaderboard bench --out bench-figures.json` writes: two scaling curves in seconds, one
#: figure without a size, and a name that tries to close the data's script element.
BENCH_FIGURES = [
    *(
        {"area": "site", "name": "build", "size": n, "value": v, "unit": "s"}
        for n, v in ((1000, 4.0), (10000, 30.0))
    ),
    *(
        {"area": "validate", "name": "</script><b id=pwn>x</b>", "size": n, "value": v, "unit": "s"}
        for n, v in ((1000, 0.4), (100000, 0.9))
    ),
    {
        "area": "evaluate",
        "name": "ratio",
        "size": None,
        "value": 0.6,
        "unit": "x",
        "goal": "<= 1",
        "ok": True,
    },
]


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """Bind a free port first, build the site for that address (instant navigation needs
    site_url to match), then serve it."""
    site = tmp_path_factory.mktemp("site") / "site"
    site.mkdir()
    with serving(static_files(site)) as address:
        url = f"{address}/"
        root = tmp_path_factory.mktemp("repo")
        make_repo(root, N_PLAIN, suite="demo")
        (root / "bench-figures.json").write_text(json.dumps(BENCH_FIGURES))
        build(root, site, site_url=url)
        yield site, url


@pytest.fixture(scope="session")
def built_site(served: tuple[Path, str]) -> Path:
    return served[0]


@pytest.fixture(scope="session")
def site_url(served: tuple[Path, str]) -> str:
    return served[1]


@pytest.fixture(scope="session")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Screenshots go here (LB_SCREENSHOTS overrides, to keep them for a look)."""
    folder = Path(os.environ.get("LB_SCREENSHOTS") or tmp_path_factory.mktemp("shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def open_page(browser) -> Iterator[Callable[..., Page]]:
    """Open fresh pages at a given viewport (``open_page(390)``: a phone); each fails the test on
    any console error, page error or request that leaves 127.0.0.1."""
    contexts = []
    errors: list[str] = []
    outside: list[str] = []

    def on_request(req) -> None:
        host = urlparse(req.url).hostname
        if req.url.startswith(("data:", "blob:")):
            return
        if host != "127.0.0.1":
            outside.append(req.url)

    def make(
        width: int = 1400, height: int = 900, *, expected: tuple[str, ...] = (), **options: object
    ) -> Page:
        """``expected``: console errors the test provokes on purpose (a Hub that refuses), by
        a part of their text; any other still fails the test."""
        context = browser.new_context(
            accept_downloads=True, viewport={"width": width, "height": height}, **options
        )
        contexts.append(context)
        pg = context.new_page()

        def on_console(m) -> None:
            if m.type == "error" and not any(part in m.text for part in expected):
                errors.append(m.text)

        pg.on("console", on_console)
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.on("request", on_request)
        # Anything outside is refused, so a leak shows up as a recorded request, never a hang.
        context.route(
            lambda url: (
                urlparse(url).hostname != "127.0.0.1" and not url.startswith(("data:", "blob:"))
            ),
            lambda route: route.abort(),
        )
        return pg

    yield make
    for context in contexts:
        context.close()
    assert not errors, f"console errors: {errors}"
    assert not outside, f"requests left 127.0.0.1: {outside}"


@pytest.fixture
def page(open_page: Callable[..., Page]) -> Page:
    """A fresh desktop-sized page (see ``open_page``)."""
    return open_page()


AXE = Path(__file__).parents[2] / "scripts" / "node" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def axe() -> Callable[[Page], list[dict]]:
    """axe-core's serious and critical WCAG 2.1 A/AA findings on a page. Skips on a developer's
    machine without axe-core and fails in CI: a green run must never hide a check that did not
    run."""
    if not AXE.is_file():
        message = "axe-core needs `npm ci` in scripts/node (bash scripts/dev.sh test does it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)

    def scan(page: Page) -> list[dict]:
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "() => axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        )
        return [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"][:5]],
            }
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    return scan
