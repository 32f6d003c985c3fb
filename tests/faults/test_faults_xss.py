"""Script payloads in every string the site shows from a request, a Hub card or a curation file
stay text: the built site, served on 127.0.0.1, in Debian's headless chromium.

The repository holds ``<script>`` and ``javascript:`` payloads in an architecture and a base
model (Hub facts recorded in a result's provenance), a license (which the reader drops: a result
records a Hub license id or ``other (<name>)``, never text for the table), a flag's note and
discussion link, a failure reason and a runner name. On the leaderboard, the queue and the
model page the payload text is visible (so the test can fail), ``window.__pwned`` stays unset,
no dialog opens, no page error happens and no link has a ``javascript:`` href. The same site
build also carries a corrupt result file, whose warning ``leaderboard build`` must print.
``<img onerror>`` payloads are in ``tests/site``'s browser tests.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from leaderboard.core.models import CURATION_FILES, Flag, FlagCategory, FlagsFile, Status
from leaderboard.devtools.synthetic import add_model, make_repo
from leaderboard.store.yaml_strict import dump_yaml
from leaderboard.suites.loader import load_suite
from tests.lbtest import days_ago, serving, static_files

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SCRIPT = "<script>window.__pwned='script';alert('script')</script>"
JS = "javascript:window.__pwned='href';alert('href')//"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """The built site; ``leaderboard build``'s stderr; the corrupt result file's path."""
    root = tmp_path_factory.mktemp("hostile-repo")
    repo = make_repo(root, 3, features=False)
    suite, rng = load_suite("demo"), random.Random(7)
    hub = {
        "license": SCRIPT,
        "architectures": [f"{SCRIPT} {JS}"],
        "card_base_model": [JS],
        "params": 10**9,
    }
    add_model(repo, suite, "hostile/license-xss", 100, rng, hub=hub)
    add_model(repo, suite, "hostile/flagged-xss", 101, rng)
    failed = {"failure_reason": f"{SCRIPT} {JS}", "failure_category": "model"}
    add_model(repo, suite, "hostile/failed-xss", 102, rng, status=Status.failed, request=failed)
    add_model(repo, suite, "hostile/running-xss", 103, rng, status=Status.running)
    running = next(root.glob("requests/hostile/running-xss/*.yaml"))
    running.write_text(running.read_text().replace("runner: gpu-runner-1", f'runner: "{SCRIPT}"'))
    flag = Flag(
        model="hostile/flagged-xss",
        category=FlagCategory.other,
        discussion="https://example.com/javascript:alert(1)",
        date=days_ago(3),
        maintainer="maint",
        note=SCRIPT,
    )
    (root / CURATION_FILES["flags"][0]).write_text(dump_yaml(FlagsFile(flags=[flag])))
    corrupt = next(p for p in repo.result_files() if "/model-1/" in p)
    (root / corrupt).write_text("{ not json", encoding="utf-8")

    site = tmp_path_factory.mktemp("hostile-site") / "site"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "leaderboard",
            "build",
            "--root",
            str(root),
            "--site-dir",
            str(site),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return site, proc.stderr, corrupt


@pytest.fixture(scope="module")
def site_url(hostile_site) -> Iterator[str]:
    with serving(static_files(hostile_site[0])) as url:
        yield f"{url}/"


@pytest.fixture
def page(browser):
    """A page that records dialogs and page errors; requests off 127.0.0.1 are refused."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    context.route(lambda url: not url.startswith("http://127.0.0.1"), lambda r: r.abort())
    pg = context.new_page()
    pg.dialogs, pg.errors = [], []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    context.close()


def _assert_inert(page) -> None:
    assert page.evaluate("window.__pwned") is None
    assert page.dialogs == [] and page.errors == []
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert hrefs, "the page has no links at all: it did not render"
    assert not [h for h in hrefs if h.strip().lower().startswith(("javascript:", "data:"))]
    # The only scripts are the site's own files: no inline script came from the data.
    inline = page.eval_on_selector_all("script:not([src])", "els => els.map(e => e.textContent)")
    assert not [s for s in inline if "__pwned" in s]


def _rows(site: Path) -> dict[str, dict]:
    rows = json.loads((site / "data" / "contents.json").read_text("utf-8"))
    return {r["Model"]: r for r in rows}


def test_build_warns_about_the_corrupt_result_and_publishes_the_rest(hostile_site):
    site, stderr, corrupt = hostile_site
    assert f"warning: {corrupt}: skipped: not valid JSON" in stderr
    rows = _rows(site)
    assert "org0/model-1" not in rows
    assert {"org0/model-0", "org0/model-2", "hostile/license-xss"} <= set(rows)
    # Kept as data, verbatim, where the field holds free text; a license is no free text.
    assert rows["hostile/license-xss"]["Architecture"] == f"{SCRIPT} {JS}"
    assert rows["hostile/license-xss"]["Hub License"] is None


def test_leaderboard_page(page, site_url):
    cols = "Hub%20License,Architecture,Base%20Model"
    page.goto(f"{site_url}?flagged=1&cols={cols}")
    page.wait_for_selector("#lb-table[data-ready]")
    body = page.locator(".lb-grid").inner_text()
    assert SCRIPT in body and JS in body
    assert page.locator(".lb-grid script").count() == 0
    _assert_inert(page)


def test_model_pages(page, site_url, hostile_site):
    rows = _rows(hostile_site[0])
    for model in ("hostile/license-xss", "hostile/flagged-xss"):
        page.goto(f"{site_url}model/?id={rows[model]['eval_name']}")
        page.wait_for_selector("#lb-model[data-ready]")
        text = page.locator("#lb-model").inner_text()
        if model == "hostile/license-xss":
            assert SCRIPT in text and JS in text
        else:
            assert "See the discussion: https://example.com/javascript:alert(1)" in text
            link = page.locator(".lb-flag-box a")
            assert link.get_attribute("href") == "https://example.com/javascript:alert(1)"
        assert page.locator("#lb-model script").count() == 0
        _assert_inert(page)


def test_queue_page(page, site_url):
    page.goto(f"{site_url}queue/")
    page.wait_for_selector("#lb-queue table")
    failed = page.locator("table[data-queue=failed]").inner_text()
    assert f"{SCRIPT} {JS}" in failed
    assert SCRIPT in page.locator("table[data-queue=running]").inner_text()
    assert page.locator("#lb-queue script").count() == 0
    _assert_inert(page)
