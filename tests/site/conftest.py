"""Browser tests: the real built site, served on 127.0.0.1, in Debian's headless chromium.

The site is built once per test process from a synthetic repository (leaderboard.synthetic) with
the cases a reader must see right: flagged, merged, MoE, maintainer's choice, renamed, removed,
failed, pending, running, a model gone from the Hub, and hostile strings.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from leaderboard.site import build
from leaderboard.synthetic import make_repo

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Plain models besides the feature cases.
N_PLAIN = 12


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """Bind a free port first, build the site for that address (instant navigation needs
    site_url to match), then serve it."""
    site = tmp_path_factory.mktemp("site") / "site"
    site.mkdir()
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    root = tmp_path_factory.mktemp("repo")
    make_repo(root, N_PLAIN, suite="demo")
    build(root, site, site_url=url)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site, url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def built_site(served: tuple[Path, str]) -> Path:
    return served[0]


@pytest.fixture(scope="session")
def site_url(served: tuple[Path, str]) -> str:
    return served[1]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    chromium = shutil.which("chromium")
    if not chromium:
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Screenshots go here (LB_SCREENSHOTS overrides, to keep them for a look)."""
    folder = Path(os.environ.get("LB_SCREENSHOTS") or tmp_path_factory.mktemp("shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def page(browser, site_url: str):
    """A fresh page that fails the test on any console error, page error or request that
    leaves 127.0.0.1."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    outside: list[str] = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))

    def on_request(req) -> None:
        host = urlparse(req.url).hostname
        if req.url.startswith(("data:", "blob:")):
            return
        if host != "127.0.0.1":
            outside.append(req.url)

    pg.on("request", on_request)
    # Anything outside is refused, so a leak shows up as a recorded request, never a hang.
    context.route(
        lambda url: (
            urlparse(url).hostname != "127.0.0.1" and not url.startswith(("data:", "blob:"))
        ),
        lambda route: route.abort(),
    )
    yield pg
    context.close()
    assert not errors, f"console errors: {errors}"
    assert not outside, f"requests left 127.0.0.1: {outside}"
