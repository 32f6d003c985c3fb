"""A pull request that changes a suite: maintainers only, and checked like a curation file.

The checks run through `leaderboard validate` on a real base and PR branch, with lm-eval
installed (as on the runner and in this project's CI), so task names and metric keys are
looked up in lm-eval's own task files.
"""

from __future__ import annotations

from leaderboard.suites.loader import suite_dir
from tests.submissions.submissions_helpers import on_main, open_pr, rules

LEADERBOARD = (suite_dir("leaderboard") / "suite.yaml").read_text()
SUITE = "suites/leaderboard/suite.yaml"


def _problems(report: dict, rule: str) -> list[dict]:
    return [p for p in report["problems"] if p["rule"] == rule]


def test_only_a_maintainer_may_change_a_suite(judge, leaderboard_repo):
    open_pr(leaderboard_repo, {SUITE: LEADERBOARD})
    code, report = judge("bob", "--no-hub")
    assert code == 1 and rules(report) == ["needs-maintainer"]
    code, report = judge("alice", "--no-hub")
    assert code == 0, report
    assert report["checked"] == [SUITE]


def test_a_suite_naming_a_missing_task_or_metric_is_refused_where_it_is(judge, leaderboard_repo):
    broken = LEADERBOARD.replace(
        "- {task: leaderboard_gpqa, choices: 4}", "- {task: leaderboard_gpqq, choices: 4}"
    ).replace('metrics: ["acc,none"]', 'metrics: ["accuracy,none"]')
    open_pr(leaderboard_repo, {SUITE: broken})
    code, report = judge("alice", "--no-hub")
    assert code == 1
    found = {(p["field"], p["line"]): p["message"] for p in _problems(report, "suite")}
    lines = broken.splitlines()
    gpqa = next(i for i, t in enumerate(lines, 1) if "leaderboard_gpqq" in t)
    mmlu = next(i for i, t in enumerate(lines, 1) if "accuracy,none" in t)
    assert found[("benchmarks[3].subtasks[0].task", gpqa)] == "no lm-eval task 'leaderboard_gpqq'"
    assert (
        "has no metric 'accuracy,none' (it has: acc,none)"
        in found[("benchmarks[5].metrics[0]", mmlu)]
    )
    assert all(p["path"] == SUITE for p in report["problems"])


def test_a_suite_whose_baselines_do_not_fit_its_tasks_is_refused(judge, leaderboard_repo):
    wrong = LEADERBOARD.replace(
        "{task: leaderboard_bbh_navigate, choices: 2}",
        "{task: leaderboard_bbh_navigate, choices: 3}",
    ).replace("{task: leaderboard_mmlu_pro, choices: 10}", "{task: leaderboard_mmlu_pro}")
    open_pr(leaderboard_repo, {SUITE: wrong})
    code, report = judge("alice", "--no-hub")
    assert code == 1
    messages = sorted(p["message"] for p in _problems(report, "suite"))
    assert messages == [
        "BBH: 'leaderboard_bbh_navigate' offers 2 choices, not 3",
        "MMLU-PRO: 'leaderboard_mmlu_pro' is multiple choice, so chance is above 0: give its "
        "`choices` (or `baseline`)",
    ]


def test_a_broken_suite_file_points_at_its_line(judge, leaderboard_repo):
    open_pr(leaderboard_repo, {SUITE: LEADERBOARD.replace("tasks: [leaderboard]", "taks: [x]")})
    code, report = judge("alice", "--no-hub")
    assert code == 1
    fields = {(p["field"], p["line"]) for p in _problems(report, "schema")}
    line = LEADERBOARD.splitlines().index("tasks: [leaderboard]") + 1
    assert ("taks", line) in fields


def test_changing_the_scoring_needs_a_new_version(judge, leaderboard_repo):
    on_main(leaderboard_repo, {SUITE: LEADERBOARD})
    rescored = LEADERBOARD.replace(
        '"prompt_level_strict_acc,none", "inst_level_strict_acc,none"',
        '"prompt_level_loose_acc,none", "inst_level_loose_acc,none"',
    )
    open_pr(leaderboard_repo, {SUITE: rescored})
    code, report = judge("alice", "--no-hub")
    assert code == 1 and rules(report) == ["suite-version"]
    (problem,) = report["problems"]
    assert problem["field"] == "version" and problem["kind"] == "suite"
    assert problem["line"] == LEADERBOARD.splitlines().index('version: "1"') + 1

    open_pr(leaderboard_repo, {SUITE: rescored.replace('version: "1"', 'version: "2"')})
    code, report = judge("alice", "--no-hub")
    assert code == 0, report

    # Wording is not scoring: a new description needs no new version.
    open_pr(leaderboard_repo, {SUITE: LEADERBOARD.replace("MMLU-Pro, 5-shot", "MMLU-Pro (5-shot)")})
    code, report = judge("alice", "--no-hub")
    assert code == 0, report


def test_a_repository_suite_replacing_a_shipped_one_keeps_its_versions(judge, leaderboard_repo):
    """Results of the package's `leaderboard` v1 must not mix with a rescored copy called v1."""
    rescored = LEADERBOARD.replace(
        "{task: leaderboard_gpqa, choices: 4}", "{task: leaderboard_gpqa}"
    )
    open_pr(leaderboard_repo, {SUITE: rescored})
    code, report = judge("alice", "--no-hub")
    assert code == 1 and rules(report) == ["suite-version"]


def _own_suite(name: str) -> dict[str, str]:
    """The demo suite copied as a deployment's own suite ``name``, bundled tasks and data too."""
    folder = suite_dir("demo")
    files = {
        f"suites/{name}/{p.relative_to(folder).as_posix()}": p.read_text("utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }
    key = f"suites/{name}/suite.yaml"
    files[key] = files[key].replace("name: demo\n", f"name: {name}\n", 1)
    return files


def test_a_new_suite_with_its_own_tasks_is_checked_from_its_own_folder(judge, leaderboard_repo):
    """A deployment's suite bundles its task files: the checks render them from the suite's
    folder in the pull request, not from a package suite of that name (there is none)."""
    files = _own_suite("house")
    open_pr(leaderboard_repo, files)
    code, report = judge("alice", "--no-hub")
    assert code == 0, report


def test_a_typo_in_a_new_suites_task_is_refused_at_its_line(judge, leaderboard_repo):
    files = _own_suite("house")
    key = "suites/house/suite.yaml"
    files[key] = files[key].replace("demo_arithmetic,", "demo_arithmetik,", 1)
    open_pr(leaderboard_repo, files)
    code, report = judge("alice", "--no-hub")
    assert code == 1
    line = next(i for i, t in enumerate(files[key].splitlines(), 1) if "demo_arithmetik" in t)
    found = [p for p in _problems(report, "suite") if p["line"] == line]
    assert found and "demo_arithmetik" in found[0]["message"], report
