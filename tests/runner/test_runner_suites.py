"""Suites are package data: they load, validate, and ship their task templates and data."""

from __future__ import annotations

import json

import pytest

from leaderboard.core.errors import UnknownSuite, ValidationFailed
from leaderboard.core.models import Suite
from leaderboard.suites.loader import SUITE_DIR_PLACEHOLDER, load_suite, suite_dir, suite_names


def test_the_package_ships_both_suites():
    assert {"leaderboard", "demo"} <= set(suite_names())
    assert load_suite("leaderboard").columns == [
        "IFEval",
        "BBH",
        "MATH Lvl 5",
        "GPQA",
        "MUSR",
        "MMLU-PRO",
        "Average",
    ]


def test_load_suite_returns_an_independent_copy():
    suite = load_suite("demo")
    suite.benchmarks.clear()
    assert load_suite("demo").benchmarks


def test_demo_suite_bundles_templates_and_small_data():
    suite = load_suite("demo")
    folder = suite_dir("demo")
    templates = sorted((folder / suite.bundled_task_dir).glob("*.yaml"))
    assert {t.stem for t in templates} == set(suite.tasks)
    for template in templates:
        text = template.read_text()
        assert SUITE_DIR_PLACEHOLDER in text  # data paths become absolute at run time
        for line in text.splitlines():
            if ".jsonl" in line:
                rel = line.split(SUITE_DIR_PLACEHOLDER + "/")[1].strip().strip('"')
                rows = [json.loads(x) for x in (folder / rel).read_text().splitlines()]
                assert 5 <= len(rows) <= 60


def test_unknown_suite_names_the_ones_available():
    with pytest.raises(UnknownSuite, match="demo"):
        load_suite("nope")


def test_suite_model_refuses_duplicate_columns_and_double_baselines():
    data = load_suite("demo").model_dump()
    data["benchmarks"][1]["column"] = data["benchmarks"][0]["column"]
    with pytest.raises(ValueError, match="unique"):
        Suite.model_validate(data)
    data = load_suite("demo").model_dump()
    data["benchmarks"][0]["subtasks"][0]["baseline"] = 0.25
    with pytest.raises(ValueError, match="either choices or baseline"):
        Suite.model_validate(data)


def test_a_broken_suite_file_is_located(tmp_path, monkeypatch):
    import leaderboard.suites.loader as suites

    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "suite.yaml").write_text("name: bad\nversion: '1'\nbogus: 1\n")
    monkeypatch.setattr(suites, "SUITES_DIR", tmp_path)
    suites._load.cache_clear()
    with pytest.raises(ValidationFailed) as info:
        suites.load_suite("bad")
    suites._load.cache_clear()
    assert any(p.field == "bogus" and p.line == 3 for p in info.value.problems)
