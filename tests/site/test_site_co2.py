"""The CO₂ estimate: from the hardware a run recorded, empty where it is not known, with one
precision wherever it is shown, and the same power figures in the code as in the Data page."""

from __future__ import annotations

import json
import re
import urllib.parse
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from leaderboard.core.models import Provenance
from leaderboard.devtools.synthetic import make_repo
from leaderboard.site.data import SiteData
from leaderboard.site.hooks import PROJECT_ROOT
from leaderboard.table import co2
from tests.lbtest import iso_days_ago

CO2 = "CO₂ cost (kg)"


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> SiteData:
    return SiteData.load(make_repo(tmp_path_factory.mktemp("repo"), 4))


@pytest.mark.parametrize(
    ("device", "watts"),
    [
        # As torch.cuda.get_device_name() writes them.
        ("NVIDIA H100 80GB HBM3", 700),
        ("NVIDIA H100 PCIe", 350),
        ("NVIDIA H100 NVL", 400),
        ("NVIDIA H200", 700),
        ("NVIDIA A100-SXM4-80GB", 400),
        ("NVIDIA A100-PCIE-40GB", 250),
        ("NVIDIA A100 80GB PCIe", 300),
        ("NVIDIA L40S", 350),
        ("NVIDIA L4", 72),
        ("NVIDIA A10", 150),
        ("Tesla T4", 70),
        ("Tesla V100-SXM2-16GB", 300),
        ("NVIDIA GeForce RTX 4090", 450),
        ("AMD Instinct MI300X", 750),
        ("NVIDIA A10G", None),  # no published figure: no estimate rather than a guess
        ("Imaginary Accelerator 9000", None),
    ],
)
def test_board_power_by_device_name(device: str, watts: int | None) -> None:
    assert co2.board_watts(device) == watts


def test_the_estimate_is_the_recorded_gpus_times_their_power_times_the_hours() -> None:
    prov = _fake_provenance("8x NVIDIA H100 80GB HBM3")
    # The Open LLM Leaderboard's 5.6 kW node is eight H100 boards: its figure, for its hardware.
    assert co2.co2_kg(prov, 1.0) == round(5.6 * 0.2698, co2.DIGITS)
    assert co2.co2_kg(_fake_provenance("1x NVIDIA L4"), 2.0) == round(0.072 * 2 * 0.2698, 4)


@pytest.mark.parametrize("hardware", ["CPU x86_64 x2", "CPU arm64 x8", "1x Mystery GPU", "", "0x"])
def test_no_estimate_without_a_known_gpu(hardware: str) -> None:
    assert co2.co2_kg(_fake_provenance(hardware), 1.0) is None


def _fake_provenance(hardware: str) -> Provenance:
    return Provenance.model_validate({**_BASE_PROVENANCE, "hardware": hardware})


_BASE_PROVENANCE = {
    "request": "requests/org/m/" + "a" * 40 + "_bfloat16_nochat.yaml",
    "request_commit": "b" * 40,
    "model": "org/m",
    "revision": "a" * 40,
    "precision": "bfloat16",
    "use_chat_template": False,
    "attempt": 1,
    "suite": "demo",
    "suite_version": "1",
    "lm_eval_version": "0.4",
    "transformers_version": "4",
    "hardware": "CPU",
    "runner": "r",
    "started_at": iso_days_ago(1),
    "finished_at": iso_days_ago(1 - 1 / 24),
    "wall_time_seconds": 3600,
    "command": "lm_eval",
}


def test_rows_take_the_estimate_from_their_runs_hardware(data: SiteData) -> None:
    """The synthetic runs recorded one H100 for an hour each."""
    for row in data.rows:
        assert row.co2 == round(0.7 * 0.2698, co2.DIGITS), row.id


def test_the_site_shows_the_value_the_data_holds(data: SiteData) -> None:
    """The table file carries the column's unit and decimals, and every value already has no
    more decimals than that: the table and the model page print the same number."""
    table = json.loads(data.generated_files()["data/table.json"])
    [column] = [c for c in table["columns"] if c["name"] == CO2]
    assert (column["unit"], column["digits"]) == ("kg", co2.DIGITS)
    at = [c["name"] for c in table["columns"]].index(CO2)
    values = [r[at] for r in table["rows"]]
    assert values and all(v == round(v, column["digits"]) for v in values)


def test_the_data_page_lists_every_power_figure() -> None:
    page = (PROJECT_ROOT / "docs" / "data.md").read_text("utf-8")
    for _, watts, label in co2.GPU_WATTS:
        assert f"| {label} | {watts} W |" in page, label
    assert str(co2.KG_CO2_PER_KWH) in page


@pytest.mark.slow
@pytest.mark.browser
def test_the_table_and_the_model_page_show_the_same_figure(
    page: Page, site_url: str, built_site: Path
) -> None:
    """In Chromium: the column's decimals, in the table's cell and on the model page alike (the
    table showed 0.00 where the model page showed 0.0011), and the whole numbers right-aligned
    as numbers."""
    rows = json.loads((built_site / "data" / "contents.json").read_text("utf-8"))
    row = next(r for r in rows if r["Model"] == "trusted/highlight-7b")
    want = f"{row[CO2]:.{co2.DIGITS}f}"
    cols = urllib.parse.quote(f"{CO2},Rank in type")
    page.goto(site_url + f"?search=highlight-7b&cols={cols}")
    expect(page.locator("#lb-table[data-ready]")).to_have_count(1)
    labels = page.locator(".lb-grid__table thead th .lb-grid__label").all_inner_texts()
    line = page.locator(".lb-grid__table tbody tr:not(.lb-grid__spacer)").first
    cell = line.locator("td").nth([t.strip() for t in labels].index(CO2))
    expect(cell).to_have_text(want)
    rank = line.locator("td").nth([t.strip() for t in labels].index("Rank in type"))
    expect(rank).to_have_class(re.compile(r"\blb-num\b"))
    page.goto(site_url + f"model/?id={row['eval_name']}")
    expect(page.locator("#lb-model[data-ready]")).to_have_count(1)
    fact = page.locator("#lb-model tr", has=page.locator("th", has_text="CO₂ cost")).locator("td")
    expect(fact).to_have_text(want)
