"""The Queue page of a leaderboard with two runner pools and votes on, in headless Chromium at a
desktop's 1280 px and a phone's 390 px: each pending request's place in its pool's line, its
votes with a link to the pull request to vote on, its estimated start and finish from the
measured runs (or "unknown"), the time it is "as of" and the order in use in one sentence; and
axe-core finds nothing serious.

The repository is real git (``queueworld``): finished evaluations with their index entries,
requests merged by pull requests, and the dispatch job's claim commit that counted the votes."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from leaderboard.core.models import Status, VotesSeen, utcnow
from leaderboard.queue import votes
from leaderboard.site.hooks import build
from tests.queueworld import QueueWorld

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SETTINGS = {
    "title": "Queue test",
    "repo_url": "https://github.com/example/leaderboard",
    "runner_pools": [
        {"name": "small", "labels": ["gpu-small"], "gpus": 1, "gpu_memory_gb": 24},
        {"name": "large", "labels": ["gpu-large"], "gpus": 1, "gpu_memory_gb": 80, "runners": 2},
    ],
    "queue": {
        "votes": {
            "enabled": True,
            "max_per_request": 10,
            "ageing_per_hour": 1,
            "min_account_age_days": 30,
        }
    },
}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def queue_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    root = tmp_path_factory.mktemp("queue-repo") / "repo"
    world = QueueWorld(root, SETTINGS)
    for h in (2.0, 3.0, 4.0):
        world.finished(f"hist/mid-{h:g}", hours=h, params=30.0, pool="large")
    world.finished("hist/edge", hours=0.5, params=1.0, pool="small")
    rels = {
        "running": world.merged(
            "org/running-30b",
            ago=6,
            pr=20,
            params=30.0,
            status=Status.running,
            fields={"runner": "gpu-large-1", "started_at": world.now - timedelta(hours=1)},
        ),
        "big": world.merged("org/big-30b", ago=5, pr=21, params=30.0),
        "edge": world.merged("org/edge-1b", ago=4, pr=22, params=1.0),
        "voted": world.merged("org/voted-30b", ago=3, pr=23, params=30.0),
        "unsized": world.merged("org/no-params", ago=2, pr=24, params=None),
    }
    seen = VotesSeen(at=utcnow(), votes={rels["voted"]: 3}, voters={rels["voted"]: ["a", "b", "c"]})
    world.commit(f"Claim something for a runner\n\n{votes.trailer(seen)}", world.now,
                 author=votes.BOT_EMAIL)  # fmt: skip
    site = tmp_path_factory.mktemp("queue-site") / "site"
    site.mkdir()
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    build(root, site, site_url=url)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url, rels
    server.shutdown()
    server.server_close()


def _rows(page: Page) -> list[list[str]]:
    return page.locator('table[data-queue="pending"] tbody tr').evaluate_all(
        "rows => rows.map(r => [...r.cells].map(c => c.innerText.trim()))"
    )


@pytest.mark.parametrize("width", (1280, 390))
def test_the_queue_page_shows_places_votes_and_estimates(
    open_page: Callable[..., Page],
    queue_site: tuple[str, dict[str, str]],
    shots: Path,
    width: int,
) -> None:
    url, _ = queue_site
    page = open_page(width, 844 if width < 600 else 900)
    page.goto(url + "queue/")
    order = page.locator(".lb-queue-order")
    expect(order).to_contain_text("As of ")
    expect(order).to_contain_text("hours waited × 1")
    expect(order).to_contain_text("at most 10 hours before it, never further")
    expect(order).to_contain_text("accounts younger than 30 days do not count")
    heads = page.locator('table[data-queue="pending"] thead th').all_inner_texts()
    assert heads[:6] == ["#", "Model", "Start (est.)", "Finish (est.)", "Pool", "Votes"]
    rows = _rows(page)
    # The pools in the settings' order; in "large" the voted 30B (3 votes, merged 2 hours after
    # big) goes ahead; last the request no pool can be told for yet.
    assert [(r[0], r[1].split()[0], r[4]) for r in rows] == [
        ("1", "org/edge-1b", "small"),
        ("1", "org/voted-30b", "large"),
        ("2", "org/big-30b", "large"),
        ("1", "org/no-params", "not planned yet"),
    ]
    edge, voted, big, unsized = rows
    assert voted[5].startswith("3") and "vote on #23" in voted[5]
    link = page.get_by_role("link", name="vote on #23")
    expect(link).to_have_attribute("href", "https://github.com/example/leaderboard/pull/23")
    # Two runners on "large": one runs org/running-30b since an hour (3 h runs), the other is
    # free: the voted one starts now, big in about 2 h.
    assert voted[2] == "now"
    assert big[2].startswith("in about 2 h")
    assert "run about 3 h (2.5–3.5 h over 3 runs)" in voted[3]
    assert edge[2] == "now" and "one run measured" in edge[3]
    assert unsized[2] == "unknown" and unsized[3] == "unknown"
    # On a phone the estimates are on the first screen, beside the model.
    if width < 600:
        cell = page.locator('table[data-queue="pending"] tbody tr').first.locator("td").nth(2)
        box = cell.bounding_box()
        assert box is not None and box["x"] + box["width"] <= width, box
    running = page.locator('table[data-queue="running"] tbody tr')
    expect(running).to_contain_text("in about 2 h")
    # A phone scrolls the table, never the page.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=shots / f"queue-{width}.png", full_page=True)


@pytest.mark.parametrize("width", (1280, 390))
def test_axe_finds_nothing_serious_on_the_queue_page(
    open_page: Callable[..., Page],
    queue_site: tuple[str, dict[str, str]],
    axe: Callable[[Page], list[dict]],
    width: int,
) -> None:
    url, _ = queue_site
    page = open_page(width, 844 if width < 600 else 900)
    page.goto(url + "queue/")
    expect(page.locator(".lb-queue-order")).to_be_visible()
    assert axe(page) == []
