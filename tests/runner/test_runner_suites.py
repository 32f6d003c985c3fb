"""Suites are data, in the package or the repository: they load, validate, and ship their task
templates and data."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from leaderboard.core.errors import LeaderboardError, UnknownSuite, ValidationFailed
from leaderboard.core.models import Suite
from leaderboard.harness.tasks import task_include_paths
from leaderboard.suites.loader import (
    SUITE_DIR_PLACEHOLDER,
    available_suites,
    find_suite,
    load_suite,
    suite_dir,
    suite_names,
)


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


def test_a_broken_suite_file_is_located(tmp_path):
    (tmp_path / "suites" / "bad").mkdir(parents=True)
    (tmp_path / "suites" / "bad" / "suite.yaml").write_text("name: bad\nversion: '1'\nbogus: 1\n")
    with pytest.raises(ValidationFailed) as info:
        load_suite("bad", tmp_path)
    problem = next(p for p in info.value.problems if p.field == "bogus")
    assert (problem.path, problem.line) == ("suites/bad/suite.yaml", 3)


def _repo_suite(root, name: str, text: str):
    folder = root / "suites" / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "suite.yaml").write_text(text)
    return folder


def test_a_repository_suite_is_found_before_the_package_and_listed(tmp_path):
    demo = (suite_dir("demo") / "suite.yaml").read_text()
    _repo_suite(tmp_path, "demo", demo.replace('version: "1"', 'version: "7"'))
    _repo_suite(tmp_path, "mine", demo.replace("name: demo", "name: mine"))
    assert load_suite("demo", tmp_path).version == "7"
    assert load_suite("demo").version == "1"
    assert find_suite("mine", tmp_path) == (tmp_path / "suites" / "mine").resolve()
    assert set(available_suites(tmp_path)) == {*suite_names(), "mine"}
    with pytest.raises(UnknownSuite, match=r"available: .*mine"):
        find_suite("nope", tmp_path)


def test_an_edited_repository_suite_is_read_again(tmp_path):
    demo = (suite_dir("demo") / "suite.yaml").read_text()
    file = _repo_suite(tmp_path, "demo", demo) / "suite.yaml"
    assert load_suite("demo", tmp_path).version == "1"
    file.write_text(demo.replace('version: "1"', 'version: "2"'))
    os.utime(file, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    assert load_suite("demo", tmp_path).version == "2"


def test_a_suite_whose_name_is_not_its_folder_is_refused(tmp_path):
    demo = (suite_dir("demo") / "suite.yaml").read_text()
    _repo_suite(tmp_path, "other", demo)
    with pytest.raises(LeaderboardError, match=r"suites/other/suite\.yaml: its name is .demo."):
        load_suite("other", tmp_path)


def test_a_repository_suite_bundles_its_own_tasks(tmp_path):
    """A deployment's suite with its own task files runs them from its own folder."""
    folder = _repo_suite(
        tmp_path, "mine", (suite_dir("demo") / "suite.yaml").read_text().replace("demo", "mine")
    )
    shutil.copytree(suite_dir("demo") / "tasks", folder / "tasks")
    suite = load_suite("mine", tmp_path)
    (out,) = task_include_paths(suite, tmp_path / "work")
    text = (Path(out) / "demo_echo.yaml").read_text()
    assert str(folder.resolve()) in text and SUITE_DIR_PLACEHOLDER not in text
