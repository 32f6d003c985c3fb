"""The 404 page wherever the site is served (issue 25): MkDocs renders it with links from
site_url's path (from the server's root without one), since it is served at any missing
address. Built for two different paths, each served there the way GitHub Pages serves it (the
site's 404.html, status 404, for any missing file), it is styled, its links work, and axe-core
finds nothing serious in either palette."""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import os
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Page, expect

from leaderboard.devtools.synthetic import make_repo
from leaderboard.site.hooks import build
from tests.lbtest import serving

pytestmark = [pytest.mark.slow, pytest.mark.browser]

#: The console error of the page's own status, 404: the one failed request these tests expect
#: (any asset that fails to load fails the test, by its own error and by the checks below).
_MISSING = "the server responded with a status of 404"


class _Pages(http.server.SimpleHTTPRequestHandler):
    """Serves ``directory`` under ``prefix`` only, and the site's own 404.html (status 404)
    for any other address, as GitHub Pages does."""

    prefix = "/"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = unquote(urlsplit(self.path).path)
        if path.startswith(self.prefix):
            local = Path(self.directory, path[len(self.prefix) :].lstrip("/"))
            if local.is_file() or (local / "index.html").is_file():
                self.path = "/" + path[len(self.prefix) :].lstrip("/")
                return super().send_head()
        body = Path(self.directory, "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def _serve(site: Path, prefix: str) -> contextlib.AbstractContextManager[str]:
    handler = type("Handler", (_Pages,), {"prefix": prefix})
    return serving(functools.partial(handler, directory=str(site)))


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("repo-404")
    make_repo(root, 3, suite="demo")
    return root


def _check_404(page: Page, origin: str, base: str) -> None:
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    missing = origin + base + "no/such/page/at/all"
    response = page.goto(missing)
    assert response is not None and response.status == 404
    page.wait_for_load_state("networkidle")
    assert failed == [missing], failed  # the page itself, and none of its assets
    expect(page.locator("h1")).to_have_text("Page not found")
    # Styled: Material's stylesheet loaded (a fixed header, a small logo).
    assert page.locator(".md-header").evaluate("e => getComputedStyle(e).position") in (
        "sticky",
        "fixed",
    )
    # No giant logo: every picture the page shows is icon-sized.
    sizes = page.locator("img, svg").evaluate_all(
        "es => es.filter(e => e.checkVisibility()).map(e => e.getBoundingClientRect().height)"
    )
    assert sizes and max(sizes) <= 48, sizes
    # Every link of the page leads somewhere under the site's path, and answers 200.
    hrefs = page.locator(".md-content a, .md-tabs a, .md-header a").evaluate_all(
        "as => as.map(a => a.href).filter(h => h.startsWith(location.origin))"
    )
    assert hrefs
    for href in hrefs:
        assert urlsplit(href).path.startswith(base), href
        status = page.evaluate("url => fetch(url).then(r => r.status)", href.split("#")[0])
        assert status == 200, href
    page.get_by_role("link", name="The queue").click()
    expect(page.locator('table[data-queue="pending"]')).to_be_attached()
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("base", ["/leaderboard/", "/org/evals/"])
def test_the_404_page_works_under_any_base_path(
    open_page: Callable[..., Page], repo: Path, tmp_path: Path, base: str, shots: Path
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    with _serve(site, base) as origin:
        build(repo, site, site_url=origin + base)
        for width, height in ((1280, 900), (390, 844)):
            page = open_page(width, height, expected=(_MISSING,))
            _check_404(page, origin, base)
            page.goto(origin + base + "missing.html")
            page.screenshot(path=shots / f"404{base.replace('/', '-')}{width}.png")
            page.close()  # before the server stops


def test_the_404_page_without_a_site_url_links_from_the_root(
    open_page: Callable[..., Page], repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No --site-url and none in the settings: the page links from the server's root (where
    `python -m http.server` and most previews serve it), never from a made-up path."""
    monkeypatch.delenv("LEADERBOARD_SITE_URL", raising=False)
    site = tmp_path / "site"
    site.mkdir()
    build(repo, site)
    assert 'href="/leaderboard/' not in (site / "404.html").read_text("utf-8")
    with _serve(site, "/") as origin:
        page = open_page(1280, 900, expected=(_MISSING,))
        _check_404(page, origin, "/")
        page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_serious_on_the_404_page(
    open_page: Callable[..., Page],
    axe: Callable[[Page], list[dict]],
    repo: Path,
    tmp_path: Path,
    scheme: str,
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    with _serve(site, "/x/") as origin:
        build(repo, site, site_url=origin + "/x/")
        for width in (1280, 390):
            page = open_page(width, 900, color_scheme=scheme, expected=(_MISSING,))
            page.goto(origin + "/x/nothing-here")
            expect(page.locator("h1")).to_have_text("Page not found")
            found = axe(page)
            page.close()
            assert not found, found
    assert os.path.isfile(site / "404.html")
