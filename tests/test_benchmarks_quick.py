"""The benchmarks themselves run in CI, at their quick sizes, so they cannot rot.

Their figures are not judged here (speed goals belong to benchmarks, not tests): this checks
that each area measures for real and reports figures of the promised shape. The browser
benchmark (area ``site``) runs outside CI.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


def test_validate_and_evaluate_benchmarks_run() -> None:
    proc = subprocess.run(
        [
            *(sys.executable, "-m", "leaderboard", "bench", "--quick", "--json"),
            *("--area", "validate", "--area", "evaluate"),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-4000:]
    figures = json.loads(proc.stdout)
    areas = {f["area"] for f in figures}
    assert areas == {"validate", "evaluate"}
    assert all(f["value"] > 0 for f in figures), figures
    validate = [f for f in figures if f["area"] == "validate"]
    assert {f["size"] for f in validate} >= {1000}
    evaluate = {f["name"]: f for f in figures if f["area"] == "evaluate"}
    # Both sides of the comparison were timed in the same run.
    assert len([n for n in evaluate if "lm_eval" in n]) >= 1, evaluate
    assert len(evaluate) >= 2, evaluate


def test_data_benchmark_runs_at_real_size() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "leaderboard", "bench", "--quick", "--json", "--area", "data"],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-4000:]
    figures = {f["name"]: f for f in json.loads(proc.stdout)}
    # Real-size results: about 39 KB each as committed, so 300 models hold several MB.
    assert figures["results/ in the checkout"]["value"] > 5, figures
    for name in (
        "full build (data + site), cold",
        "table --format json, cold",
        "queue --json, cold",
    ):
        assert figures[name]["value"] > 0, figures
    # Each job's sparse checkout holds a fraction of a full clone: no results/ at all, and the
    # jobs that read neither leave out index/ too.
    full = figures["checkout, a full clone (no job): size"]["value"]
    publish = figures["checkout, publish build, CI test: size"]["value"]
    claim = figures["checkout, claim, validate, tell: size"]["value"]
    assert claim < publish < full / 2, figures
