"""Standard errors and rank bands, against values worked out by hand.

Every expected number below is computed in the comment next to it from the rules in
``suites/uncertainty.py``: normalization scales an error by 100 / (1 - baseline), and a mean
of n independent values has error sqrt(sum of squares) / n.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable
from pathlib import Path

import pytest

from leaderboard.core.models import Row, Suite
from leaderboard.devtools.synthetic import make_repo
from leaderboard.suites.uncertainty import (
    Z95,
    combine_mean,
    standard_errors,
    stderr_key,
    within_noise,
)
from leaderboard.table.bands import assign
from leaderboard.table.rows import rows as table_rows

FIXTURE = Path(__file__).parent / "fixtures" / "pythia-2.8b_leaderboard_results.json"


@pytest.fixture
def suite() -> Suite:
    return Suite.model_validate(
        {
            "name": "toy",
            "version": "1",
            "lm_eval_version": "0.4.13",
            "tasks": ["t"],
            "benchmarks": [
                {
                    "column": "Quiz",
                    "metrics": ["acc_norm,none"],
                    "subtasks": [{"task": "four", "choices": 4}, {"task": "two", "choices": 2}],
                },
                {
                    "column": "Follow",
                    "metrics": ["strict,none", "loose,none"],
                    "subtasks": [{"task": "follow", "baseline": 0}],
                },
            ],
        }
    )


def results(**over: object) -> dict:
    tasks = {
        "four": {"acc_norm,none": 0.5, "acc_norm_stderr,none": 0.03},
        "two": {"acc_norm,none": 0.7, "acc_norm_stderr,none": 0.04},
        "follow": {
            "strict,none": 0.6,
            "strict_stderr,none": 0.06,
            "loose,none": 0.7,
            "loose_stderr,none": 0.08,
        },
    }
    for key, value in over.items():
        task, metric = key.split("__")
        tasks[task][metric.replace("_c_", ",")] = value
    return {"results": tasks}


def test_stderr_key_is_lm_evals():
    assert stderr_key("acc_norm,none") == "acc_norm_stderr,none"
    assert stderr_key("exact_match,flexible-extract") == "exact_match_stderr,flexible-extract"


def test_errors_scale_with_normalization_and_combine_as_independent(suite):
    se = standard_errors(results(), suite)
    # four: 0.03 / (1 - 1/4) * 100 = 4.0; two: 0.04 / (1 - 1/2) * 100 = 8.0
    # Quiz = sqrt(4² + 8²) / 2 = sqrt(80) / 2 = 4.4721359...
    assert se["Quiz SE"] == pytest.approx(4.47213595499958, abs=1e-12)
    # raw: sqrt(0.03² + 0.04²) / 2 = 0.05 / 2 = 0.025
    assert se["Quiz Raw SE"] == pytest.approx(0.025, abs=1e-15)
    # follow: two metrics, sqrt(0.06² + 0.08²) / 2 = 0.05 raw, baseline 0 → 5.0 normalized
    assert se["Follow Raw SE"] == pytest.approx(0.05, abs=1e-15)
    assert se["Follow SE"] == pytest.approx(5.0, abs=1e-12)
    # Average = sqrt(80/4 + 25) / 2 = sqrt(45) / 2 = 3.3541019...
    assert se["Average SE"] == pytest.approx(3.3541019662496847, abs=1e-12)


@pytest.mark.parametrize(
    "bad", ["N/A", float("nan"), float("inf"), -0.01, 1e300, None, True, "0.03", [0.03]]
)
def test_an_unknown_error_makes_every_column_above_it_unknown(suite, bad):
    se = standard_errors(results(four__acc_norm_stderr_c_none=bad), suite)
    assert se["Quiz SE"] is None and se["Quiz Raw SE"] is None
    assert se["Average SE"] is None
    assert se["Follow SE"] == pytest.approx(5.0)  # the other benchmark keeps its error


def test_missing_stderr_entry_is_unknown_not_zero(suite):
    data = results()
    del data["results"]["follow"]["loose_stderr,none"]
    se = standard_errors(data, suite)
    assert se["Follow SE"] is None and se["Average SE"] is None


def test_real_lm_eval_output_with_its_na_entries():
    se = standard_errors(json.loads(FIXTURE.read_text()), "leaderboard")
    # lm-eval writes "N/A" for IFEval's instruction-level accuracy: no IFEval error, no average.
    assert se["IFEval SE"] is None and se["Average SE"] is None
    # GPQA: one subtask, 4 choices: 0.012554809228367316 / 0.75 * 100
    assert se["GPQA SE"] == pytest.approx(0.012554809228367316 / 0.75 * 100, abs=1e-12)
    # MATH Lvl 5: baseline 0: the raw error times 100
    assert se["MATH Lvl 5 SE"] == pytest.approx(0.22576874321512206, abs=1e-12)


def test_combine_mean():
    assert combine_mean([3.0, 4.0]) == pytest.approx(2.5)  # sqrt(9 + 16) / 2
    assert combine_mean([2.0]) == 2.0
    assert combine_mean([]) is None
    assert combine_mean([1.0, None]) is None


def test_within_noise_is_overlap_of_95_percent_intervals():
    # intervals 50 ± 1.96·1 and 53.9 ± 1.96·1 touch at 51.96: |50 - 53.9| = 3.9 ≤ 3.92
    assert within_noise(50.0, 1.0, 53.9, 1.0) is True
    assert within_noise(50.0, 1.0, 53.95, 1.0) is False
    assert pytest.approx(3.919927969, abs=1e-9) == Z95 * 2
    assert within_noise(50.0, None, 50.0, 1.0) is None


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Row:
    """A real row, of a one-model synthetic leaderboard, that the band tests vary."""
    [row] = table_rows(make_repo(tmp_path_factory.mktemp("one"), 1, features=False))
    return row


@pytest.fixture
def row_of(made: Row) -> Callable[..., Row]:
    def make(name: str, avg: float | None, se: float | None, flagged: bool = False) -> Row:
        return dataclasses.replace(made, id=name, average=avg, average_se=se, flagged=flagged)

    return make


def test_bands_compare_with_the_band_leader_not_the_previous_row(row_of):
    rows = [
        row_of("a", 60.0, 1.0),
        row_of("b", 57.0, 1.0),  # |60 - 57| = 3 ≤ 3.92: band 1
        row_of("c", 54.0, 1.0),  # within b's noise (3), but |60 - 54| = 6 > 3.92: band 2
        row_of("d", 51.0, 1.0),  # |54 - 51| = 3: band 2 with its leader c
        row_of("e", 40.0, 0.5),  # |54 - 40| = 14: band 3
    ]
    assign(rows)
    assert [r.band for r in rows] == [1, 1, 2, 2, 3]


def test_flagged_rows_and_rows_without_error_have_no_band_and_break_nothing(row_of):
    rows = [
        row_of("flag", 99.0, 1.0, flagged=True),
        row_of("na", 70.0, None),
        row_of("none", None, None),
        row_of("a", 60.0, 1.0),
        row_of("b", 59.0, 1.0),
    ]
    assign(rows)
    assert [r.band for r in rows] == [None, None, None, 1, 1]


def test_band_of_equal_errors_matches_a_hand_made_interval_check(row_of):
    # 95% intervals: a [58.04, 61.96], b [52.06, 55.98]: disjoint, so two bands.
    rows = [row_of("a", 60.0, 1.0), row_of("b", 54.02, 1.0)]
    assign(rows)
    assert [r.band for r in rows] == [1, 2]
    assert 60.0 - Z95 > 54.02 + Z95
    assert math.isclose(60.0 - 54.02, 5.98)
