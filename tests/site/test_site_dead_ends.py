"""No dead ends (issue 25): a request without a row has a page that says why (failed, waiting,
running), the Queue links every request to it and has a Log column only when there is a run to
link, and each model page links the model's own JSON file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from leaderboard.site.queue_html import queue_html

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture(scope="module")
def queue(built_site: Path) -> list[dict]:
    return json.loads((built_site / "data" / "queue.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def rows(built_site: Path) -> list[dict]:
    return json.loads((built_site / "data" / "contents.json").read_text("utf-8"))


def test_a_failed_models_page_shows_its_reason_and_queue_entry(
    page: Page, site_url: str, queue: list[dict], shots: Path
) -> None:
    failed = next(e for e in queue if e["failure_category"] == "model")
    page.goto(site_url + "queue/")
    page.locator('table[data-queue="failed"]').get_by_role("link", name=failed["model"]).click()
    expect(page.locator("#lb-model[data-ready]")).to_have_count(1)
    model = page.locator("#lb-model")
    expect(model).not_to_contain_text("No leaderboard row is called")
    expect(page.locator(".md-content h1")).to_have_text(failed["model"])
    expect(page.locator(".lb-failure")).to_contain_text(failed["failure_reason"])
    expect(page.locator(".lb-failure")).to_contain_text("model")
    expect(model).to_contain_text("The model must change")
    expect(model.get_by_role("link", name=failed["request"])).to_have_attribute(
        "href", f"https://github.com/example/leaderboard/blob/main/{failed['request']}"
    )
    expect(model.get_by_role("link", name="the Queue page")).to_have_attribute(
        "href", re.compile(r"queue/#failed$")
    )
    page.screenshot(path=shots / "model-failed.png", full_page=True)


def test_an_infrastructure_failure_links_its_run(page: Page, site_url: str, queue) -> None:
    failed = next(e for e in queue if e["failure_category"] == "infrastructure")
    assert failed["log_url"]
    page.goto(site_url + "queue/")
    page.locator('table[data-queue="failed"]').get_by_role("link", name=failed["model"]).click()
    expect(page.locator("#lb-model[data-ready]")).to_have_count(1)
    expect(page.locator("#lb-model")).to_contain_text("runner tries it again")
    expect(page.get_by_role("link", name="the run's log")).to_have_attribute(
        "href", failed["log_url"]
    )


@pytest.mark.parametrize("status", ["PENDING", "RUNNING"])
def test_a_request_without_a_result_says_where_it_is(
    page: Page, site_url: str, queue: list[dict], status: str
) -> None:
    entry = next(e for e in queue if e["status"] == status)
    page.goto(site_url + "queue/")
    table = page.locator(f'table[data-queue="{status.lower()}"]')
    table.get_by_role("link", name=entry["model"]).first.click()
    expect(page.locator("#lb-model[data-ready]")).to_have_count(1)
    expected = "waits in the queue" if status == "PENDING" else "is being evaluated"
    expect(page.locator("#lb-model .lb-missing")).to_contain_text(expected)


def test_the_log_column_is_there_only_with_a_run_to_link(page: Page, site_url: str, queue):
    page.goto(site_url + "queue/")
    failed = page.locator('table[data-queue="failed"]')
    expect(failed.locator("thead th", has_text="Log")).to_have_count(1)
    expect(failed.get_by_role("link", name="log")).to_have_attribute(
        "href", "https://github.com/example/leaderboard/actions/runs/1"
    )
    # No running request has a log here: that table has no Log column.
    expect(page.locator('table[data-queue="running"] thead th', has_text="Log")).to_have_count(0)


def test_without_any_log_the_queue_has_no_log_column(queue: list[dict]) -> None:
    without = [{**e, "log_url": None} for e in queue]
    html = queue_html(without, "https://github.com/example/leaderboard")
    assert "<th>Log</th>" not in html
    assert "<th>Log</th>" in queue_html(queue, "https://github.com/example/leaderboard")
    # Every request, evaluated or not, links to its model page.
    assert html.count('href="../model/?id=') == len(queue)


def test_the_model_page_links_its_json(page: Page, site_url: str, rows: list[dict]) -> None:
    row = next(r for r in rows if r["Model"] == "experts/mixture-8x1b")
    page.goto(site_url + f"model/?id={row['eval_name']}")
    expect(page.locator("#lb-model[data-ready]")).to_have_count(1)
    link = page.get_by_role("link", name="this model's data (JSON)")
    href = link.get_attribute("href")
    assert href == site_url + "data/models/experts/mixture-8x1b.json"
    data = page.evaluate("url => fetch(url).then(r => r.json())", href)
    assert row["eval_name"] in [r["eval_name"] for r in data["rows"]]
    assert len(data["rows"]) == 2  # both commits
    # The row knows whether it is the latest of them.
    latest = max(
        (r for r in rows if r["Model"] == row["Model"]), key=lambda r: r["Submission Date"]
    )
    text = "the latest commit" if latest is row else "an older commit"
    expect(page.locator(".lb-model-head")).to_contain_text(text)
