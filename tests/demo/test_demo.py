"""The README's first command, end to end: `leaderboard demo` in a fresh folder.

It runs as a user runs it (a subprocess of the real CLI) and then checks what it left: the
requests and their statuses in git, the result files, the flag, and the built site's data.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from leaderboard.core.errors import DemoError
from leaderboard.devtools.demo.models import MODELS
from leaderboard.devtools.demo.run import _prepare_dir
from leaderboard.harness.hardware import default_device
from tests.lbtest import serving, static_files

pytestmark = pytest.mark.slow


def _run_demo(folder: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "GITHUB_"))}
    env["COLUMNS"] = "200"
    return subprocess.run(
        [sys.executable, "-m", "leaderboard", "demo", "--dir", str(folder), *extra],
        env=env,
        text=True,
        capture_output=True,
        timeout=900,
        check=False,
    )


@pytest.fixture(scope="module")
def demo_run(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    folder = tmp_path_factory.mktemp("demo") / "run"
    return folder, _run_demo(folder)


def _requests(repo: Path) -> dict[str, dict]:
    out = {}
    for file in sorted((repo / "requests").glob("*/*/*.yaml")):
        data = yaml.safe_load(file.read_text())
        out[data["model"]] = data
    return out


def test_demo_runs_the_whole_loop(demo_run: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    folder, proc = demo_run
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    repo = folder / "leaderboard"
    # The work reached origin, as a runner's pushes would: origin's main is the checkout's.
    head = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True
    )
    origin = subprocess.run(
        ["git", "--git-dir", str(folder / "origin.git"), "rev-parse", "main"],
        capture_output=True,
        text=True,
    )
    assert head.stdout == origin.stdout

    requests = _requests(repo)
    valid = [m for m in MODELS if m.fault != "rules"]
    assert set(requests) == {m.repo_id for m in valid}, "the invalid submission must not be merged"
    for spec in valid:
        request = requests[spec.repo_id]
        if spec.fault == "load":
            assert request["status"] == "FAILED"
            assert request["failure_category"] == "model"
            assert "could not be loaded" in request["failure_reason"]
        else:
            assert request["status"] == "FINISHED", request
            results = list((repo / "results" / spec.repo_id).glob("*_demo_attempt-1.json"))
            assert len(results) == 1
            result = json.loads(results[0].read_text())
            assert result["provenance"]["revision"] == request["revision"]
            assert set(result["results"]) >= {"demo_arithmetic", "demo_echo"}

    # The invalid submission's report named its problems.
    assert "auto_map" in proc.stdout and "license" in proc.stdout

    flags = yaml.safe_load((repo / "curation" / "flags.yaml").read_text())["flags"]
    assert [f["model"] for f in flags] == ["leaky-lab/tiny-leak"]


def test_demo_site_shows_scores_failure_and_flag(
    demo_run: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    folder, proc = demo_run
    assert proc.returncode == 0
    site = folder / "site"
    assert (site / "index.html").is_file() and (site / "queue" / "index.html").is_file()
    # The downloadable data, as a reader's script would load it.
    rows = json.loads((site / "data" / "contents.json").read_text())
    by_model = {r["fullname"]: r for r in rows}
    assert set(by_model) == {m.repo_id for m in MODELS if not m.fault}
    # Real scores: the model trained on the test split beats the random one, visibly.
    assert (
        by_model["leaky-lab/tiny-leak"]["Average ⬆️"]
        > by_model["demo-lab/tiny-base"]["Average ⬆️"] + 10
    )
    assert by_model["leaky-lab/tiny-leak"]["Flagged"] is True
    assert by_model["demo-lab/tiny-base"]["Flagged"] is False
    queue = (site / "queue" / "index.html").read_text()
    assert "broken-org/tiny-broken" in queue and "could not be loaded" in queue


def test_demo_looks_like_a_leaderboard(
    demo_run: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    """Real, differing scores: the models learned to different degrees, the contaminated one
    most of all; every model has a size; each row says how it ran and how to run it again."""
    folder, proc = demo_run
    assert proc.returncode == 0
    rows = json.loads((folder / "site" / "data" / "contents.json").read_text())
    honest = sorted(r["Average ⬆️"] for r in rows if not r["Flagged"])
    leak = next(r for r in rows if r["fullname"] == "leaky-lab/tiny-leak")
    assert len(honest) == 5 and len(set(honest)) == 5, honest
    assert honest[0] > 0 and honest[-1] >= 30, honest
    assert leak["Average ⬆️"] > honest[-1], (leak["Average ⬆️"], honest)
    base = next(r for r in rows if r["fullname"] == "demo-lab/tiny-base")
    lora = next(r for r in rows if r["fullname"] == "adapters-inc/tiny-lora")
    assert all(r["#Params (B)"] and r["#Params (B)"] > 0 for r in rows)
    assert lora["#Params (B)"] == base["#Params (B)"], "an adapter shows its base's size"
    device = default_device()
    for row in rows:
        assert (row["Device"], row["Batch size"]) == (device, "auto" if device == "cuda" else "8")
        assert f"--batch_size {row['Batch size']} --device {device}" in row["Reproduce"]
        assert row["Reproduce"].startswith("export HF_ENDPOINT=http://127.0.0.1:")
        # CO₂ from the hardware the run recorded: a CPU has no power figure, so no estimate.
        assert (row["CO₂ cost (kg)"] is None) == (device == "cpu"), row["CO₂ cost (kg)"]
    # No benchmark figures in the demo: no Performance tab that opens on "No figures yet".
    index = (folder / "site" / "index.html").read_text()
    assert 'href="performance/"' not in index and (folder / "site" / "performance").is_dir()


def test_demo_plot_has_a_point_for_every_model(
    demo_run: tuple[Path, subprocess.CompletedProcess[str]], browser
) -> None:
    folder, proc = demo_run
    assert proc.returncode == 0
    site = folder / "site"
    rows = json.loads((site / "data" / "contents.json").read_text())
    with serving(static_files(site)) as url:
        page = browser.new_page()
        page.goto(f"{url}/plots/")
        page.wait_for_selector("#lb-plot[data-ready]", state="attached")
        points = page.locator("#lb-plot").get_attribute("data-points")
        page.close()
    assert int(points or 0) == len([r for r in rows if not r["Flagged"]])


def test_demo_log_times_each_step(demo_run: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    """The log says where the time went: each step's wall-clock and CPU time and the machine's
    load (the demo is mostly CPU-bound training, so a busy machine makes it slower), and when
    each model was built."""
    folder, proc = demo_run
    assert proc.returncode == 0
    log = (folder / "demo.log").read_text()
    line = r"\(wall \d+:\d\d, CPU \d+:\d\d, load \d+\.\d\)$"
    steps = re.findall(rf"^== (\d+)\. .+ {line}", log, re.MULTILINE)
    assert [int(n) for n in steps[:7]] == list(range(1, 8)), steps
    assert re.search(rf"^== done {line}", log, re.MULTILINE)
    built = re.findall(r"^== built (\S+) \(wall \d+:\d\d, load", log, re.MULTILINE)
    assert sorted(built) == sorted(m.repo_id for m in MODELS)
    assert re.search(r"\d+:\d\d of CPU time; load average \d+\.\d on \d+ cores", proc.stdout)


def test_demo_resumes_without_redoing_work(
    demo_run: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    folder, first = demo_run
    assert first.returncode == 0
    before = subprocess.run(
        ["git", "-C", str(folder / "leaderboard"), "rev-parse", "HEAD"],
        capture_output=True,
        text=True,
    ).stdout
    again = _run_demo(folder)
    assert again.returncode == 0, again.stdout[-2000:] + again.stderr[-2000:]
    assert again.stdout.count("already done") == 6
    after = subprocess.run(
        ["git", "-C", str(folder / "leaderboard"), "rev-parse", "HEAD"],
        capture_output=True,
        text=True,
    ).stdout
    assert before == after, "a resumed demo must not add commits"


def test_demo_refuses_a_folder_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "thesis.tex").write_text("precious")
    with pytest.raises(DemoError, match=r"thesis\.tex"):
        _prepare_dir(tmp_path, fresh=True)
    assert (tmp_path / "thesis.tex").read_text() == "precious"
