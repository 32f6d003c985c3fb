"""Scoring reproduces the Open LLM Leaderboard v2 from lm-eval's real output format.

The fixture holds the real lm-eval results of EleutherAI/pythia-2.8b on the `leaderboard`
group, as the Open LLM Leaderboard published them in its details dataset (run
2024-06-17T12-07-04). Every expected value below is worked out by hand from the formula
``max(x - 1/choices, 0) / (1 - 1/choices) * 100``, so a wrong baseline, a missing clamp or a
size-weighted mean makes a test fail.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from leaderboard.cli.main import main
from leaderboard.core.errors import MissingScore
from leaderboard.suites.loader import load_suite
from leaderboard.suites.scoring import normalize, score

FIXTURE = Path(__file__).parent / "fixtures" / "pythia-2.8b_leaderboard_results.json"


@pytest.fixture
def pythia() -> dict:
    return json.loads(FIXTURE.read_text())


def test_ifeval_is_the_mean_of_the_two_strict_accuracies(pythia):
    # (prompt_level_strict_acc + inst_level_strict_acc) / 2 * 100
    # = (0.15526802218114602 + 0.2793764988009592) / 2 * 100 = 21.7322260491...
    scores = score(pythia, "leaderboard")
    assert scores["IFEval"] == pytest.approx(21.732226049105265, abs=1e-12)
    assert scores["IFEval Raw"] == pytest.approx(0.21732226049105263, abs=1e-14)


def test_bbh_normalizes_each_subtask_and_clamps_below_chance(pythia):
    # subtask: acc_norm, choices -> max(x - 1/c, 0) / (1 - 1/c) * 100
    by_hand = [
        (0.628 - 1 / 2) / (1 / 2) * 100,  # boolean_expressions         25.6
        0.0,  # causal_judgement 0.4439 < 1/2: clamped (unclamped: -11.23)
        (0.192 - 1 / 6) / (5 / 6) * 100,  # date_understanding          3.04
        (0.34 - 1 / 3) / (2 / 3) * 100,  # disambiguation_qa            1.0
        0.0,  # formal_fallacies 0.456 < 1/2: clamped (unclamped: -8.8)
        0.0,  # geometric_shapes 0.088 < 1/11: clamped (unclamped: -0.32)
        0.0,  # hyperbaton 0.484 < 1/2: clamped (unclamped: -3.2)
        (0.236 - 1 / 5) / (4 / 5) * 100,  # logical_deduction_five      4.5
        (0.144 - 1 / 7) / (6 / 7) * 100,  # logical_deduction_seven     0.13
        (0.344 - 1 / 3) / (2 / 3) * 100,  # logical_deduction_three     1.6
        (0.276 - 1 / 6) / (5 / 6) * 100,  # movie_recommendation       13.12
        0.0,  # navigate 0.5 = 1/2: exactly chance
        (0.264 - 1 / 19) / (18 / 19) * 100,  # object_counting         22.31
        0.0,  # penguins_in_a_table 0.1986 < 1/5: clamped
        (0.128 - 1 / 18) / (17 / 18) * 100,  # reasoning_colored_objects 7.67
        (0.212 - 1 / 6) / (5 / 6) * 100,  # ruin_names                  5.44
        (0.276 - 1 / 6) / (5 / 6) * 100,  # salient_translation        13.12
        (0.5393258426966292 - 1 / 2) / (1 / 2) * 100,  # snarks         7.87
        0.0,  # sports_understanding 0.5 = 1/2
        (0.284 - 1 / 4) / (3 / 4) * 100,  # temporal_sequences          4.53
        0.0,  # tracking_five 0.156 < 1/5: clamped
        (0.168 - 1 / 7) / (6 / 7) * 100,  # tracking_seven             2.93
        (0.34 - 1 / 3) / (2 / 3) * 100,  # tracking_three               1.0
        (0.54 - 1 / 2) / (1 / 2) * 100,  # web_of_lies                  8.0
    ]
    assert len(by_hand) == 24
    expected = sum(by_hand) / 24  # = 5.0777861619...
    scores = score(pythia, "leaderboard")
    assert scores["BBH"] == pytest.approx(expected, abs=1e-9)
    assert scores["BBH"] == pytest.approx(5.077786161905462, abs=1e-9)
    # Without the clamp the average would be lower: clamping matters here.
    subtasks = {k: v for k, v in pythia["results"].items() if k.startswith("leaderboard_bbh_")}
    suite = load_suite("leaderboard")
    bbh = next(b for b in suite.benchmarks if b.column == "BBH")
    unclamped = [
        (subtasks[s.task]["acc_norm,none"] - s.random_baseline) / (1 - s.random_baseline) * 100
        for s in bbh.subtasks
    ]
    assert sum(unclamped) / 24 < expected - 1.0


def test_bbh_and_musr_raw_are_unweighted_means_not_lm_evals_group_value(pythia):
    raw_bbh = (
        sum(
            v["acc_norm,none"]
            for k, v in pythia["results"].items()
            if k.startswith("leaderboard_bbh_")
        )
        / 24
    )
    scores = score(pythia, "leaderboard")
    assert scores["BBH Raw"] == pytest.approx(raw_bbh, abs=1e-14)  # 0.32240859...
    assert scores["BBH Raw"] != pytest.approx(pythia["groups"]["leaderboard_bbh"]["acc_norm,none"])
    # MuSR: (0.516 + 0.26171875 + 0.268) / 3 = 0.34857291666...
    assert scores["MUSR Raw"] == pytest.approx((0.516 + 0.26171875 + 0.268) / 3, abs=1e-14)
    assert scores["MUSR Raw"] != pytest.approx(
        pythia["groups"]["leaderboard_musr"]["acc_norm,none"]
    )
    # MuSR normalized: murder (0.516-.5)/.5*100 = 3.2; object_placements (0.26171875-.2)/.8*100
    # = 7.71484375; team_allocation 0.268 < 1/3 -> 0 (unclamped: -9.8). Mean = 3.63828125.
    assert scores["MUSR"] == pytest.approx((3.2 + 7.71484375 + 0.0) / 3, abs=1e-9)


def test_single_task_columns_and_the_average(pythia):
    scores = score(pythia, "leaderboard")
    # MATH Lvl 5: group exact_match * 100, no baseline.
    assert scores["MATH Lvl 5"] == pytest.approx(0.6797583081570997, abs=1e-12)
    # GPQA: group acc_norm 0.25 with baseline 0.25 -> exactly 0.
    assert scores["GPQA"] == 0.0
    assert scores["GPQA Raw"] == 0.25
    # MMLU-PRO: (0.11369680851063829 - 0.1) / 0.9 * 100 = 1.52186761...
    assert scores["MMLU-PRO"] == pytest.approx((0.11369680851063829 - 0.1) / 0.9 * 100, abs=1e-12)
    # Average: plain mean of the six normalized columns.
    six = ["IFEval", "BBH", "MATH Lvl 5", "GPQA", "MUSR", "MMLU-PRO"]
    assert scores["Average"] == pytest.approx(sum(scores[c] for c in six) / 6, abs=1e-12)
    assert round(scores["Average"], 2) == 5.44
    assert set(scores) == {*six, *(f"{c} Raw" for c in six), "Average"}


def test_clamping_happens_before_averaging():
    # A below-chance subtask counts as 0, never as a negative that drags the mean down.
    assert normalize(0.20, 0.25) == 0.0
    assert normalize(0.25, 0.25) == 0.0
    assert normalize(1.0, 0.25) == pytest.approx(100.0)
    results = {
        "leaderboard_musr_murder_mysteries": {"acc_norm,none": 0.40, "alias": "  - m"},
        "leaderboard_musr_object_placements": {"acc_norm,none": 0.60, "alias": "  - o"},
        "leaderboard_musr_team_allocation": {"acc_norm,none": 1 / 3, "alias": "  - t"},
    }
    suite = load_suite("leaderboard")
    musr = [b for b in suite.benchmarks if b.column == "MUSR"]
    scores = score(results, suite.model_copy(update={"benchmarks": musr}))
    raw, norm = scores["MUSR Raw"], scores["MUSR"]
    # murder 0.40 < 0.5 -> 0 (not -20); placements (0.6-0.2)/0.8*100 = 50; team = chance -> 0
    assert norm == pytest.approx(50 / 3)
    assert raw == pytest.approx((0.40 + 0.60 + 1 / 3) / 3)


def test_a_bare_results_mapping_is_enough(pythia):
    assert score(pythia["results"], "leaderboard") == score(pythia, "leaderboard")


def test_a_missing_subtask_is_an_error_naming_it(pythia):
    del pythia["results"]["leaderboard_bbh_snarks"]
    with pytest.raises(MissingScore, match="leaderboard_bbh_snarks"):
        score(pythia, "leaderboard")


def test_a_missing_metric_is_an_error_naming_it(pythia):
    del pythia["results"]["leaderboard_ifeval"]["inst_level_strict_acc,none"]
    with pytest.raises(MissingScore, match=r"inst_level_strict_acc,none.*it has: "):
        score(pythia, "leaderboard")


def test_a_non_number_is_an_error(pythia):
    pythia["results"]["leaderboard_mmlu_pro"]["acc,none"] = "N/A"
    with pytest.raises(MissingScore, match="leaderboard_mmlu_pro"):
        score(pythia, "leaderboard")


def test_cli_prints_full_precision_json(capsys):
    assert main(["score", str(FIXTURE), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["BBH"] == pytest.approx(5.077786161905462, abs=1e-12)
    assert out["Average"] == pytest.approx(5.441653230243495, abs=1e-12)


def test_cli_table_and_errors(tmp_path, capsys):
    assert main(["score", str(FIXTURE)]) == 0
    assert "MMLU-PRO" in capsys.readouterr().out
    broken = tmp_path / "r.json"
    broken.write_text(json.dumps({"results": {"leaderboard_ifeval": {}}}))
    assert main(["score", str(broken)]) == 2
    assert "prompt_level_strict_acc,none" in capsys.readouterr().err
    broken.write_text("{not json")
    assert main(["score", str(broken)]) == 2


def test_demo_suite_scores():
    results = {
        "demo_arithmetic": {"acc,none": 0.5, "acc_norm,none": 0.4, "alias": "demo_arithmetic"},
        "demo_echo": {"exact_match,first_word": 0.25, "alias": "demo_echo"},
    }
    scores = score({"results": results}, "demo")
    assert scores["Arithmetic"] == pytest.approx((0.5 - 0.25) / 0.75 * 100)
    assert scores["Echo"] == pytest.approx(25.0)
    assert scores["Average"] == pytest.approx((100 / 3 + 25) / 2)


class _IgnoreTags(yaml.SafeLoader):
    pass


_IgnoreTags.add_multi_constructor("!", lambda loader, suffix, node: None)


def test_leaderboard_choices_match_the_installed_lm_eval_tasks():
    """The suite's number of choices per BBH subtask is the installed task's choice list."""
    lm_eval = pytest.importorskip("lm_eval")
    folder = Path(lm_eval.__file__).parent / "tasks" / "leaderboard" / "bbh_mc"
    suite = load_suite("leaderboard")
    assert suite.lm_eval_version == lm_eval.__version__
    bbh = next(b for b in suite.benchmarks if b.column == "BBH")
    assert len(bbh.subtasks) == 24
    for sub in bbh.subtasks:
        name = sub.task.removeprefix("leaderboard_bbh_")
        spec = yaml.load((folder / f"{name}.yaml").read_text(), Loader=_IgnoreTags)
        assert len(spec["doc_to_choice"]) == sub.choices, sub.task
