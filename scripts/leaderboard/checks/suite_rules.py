"""The rules for a pull request that changes a suite (``suites/<name>/`` in the repository).

Suites are maintainers' files like the curation files: anyone else's change to them is
``needs-maintainer`` before this runs. A maintainer's change is checked for its schema, that
its baselines make sense, and that a change to what a score means bumps the suite's version
(results record it, and rows of different versions are never mixed silently). Whether its tasks
and metric keys exist needs lm-eval, which the pull request validator may not have installed:
the caller passes ``task_check`` (``harness.suite_check.check_suite_tasks``) when it does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..core.errors import LeaderboardError, ValidationFailed
from ..core.ids import SUITES_DIR
from ..core.models import Change, ChangeKind, Problem, Settings, Suite, problem
from ..core.rules import Rule
from ..store.repo import Repo
from ..store.yaml_strict import line_at
from ..suites.loader import SUITE_FILE, read_suite, suite_dir, suite_in, suite_names
from .located import Lines, key_lines

TaskCheck = Callable[[Suite, str, Lines], list[Problem]]
#: Fields that only describe: changing them needs no new version.
_WORDING = {"description", "about", "faq"}


def touched_suites(changes: list[Change]) -> list[str]:
    """Names of the suites whose folders the changes touch."""
    names = set()
    for c in changes:
        for path in (c.path, c.old_path):
            parts = (path or "").split("/")
            if len(parts) >= 3 and parts[0] == SUITES_DIR:
                names.add(parts[1])
    return sorted(names)


def check_suites(
    base: Repo,
    head: Repo,
    changes: list[Change],
    settings: Settings,
    task_check: TaskCheck | None = None,
) -> list[Problem]:
    """Every problem with the suites a maintainer's pull request changes."""
    out: list[Problem] = []
    for c in changes:
        parts = c.path.split("/")
        if parts[0] == SUITES_DIR and len(parts) < 3 and c.kind is not ChangeKind.deleted:
            out.append(problem(c.path, Rule.suite, f"a suite's files go in {SUITES_DIR}/<name>/"))
    for name in touched_suites(changes):
        out += _check_one(base, head, changes, settings, name, task_check)
    return out


def _check_one(
    base: Repo,
    head: Repo,
    changes: list[Change],
    settings: Settings,
    name: str,
    task_check: TaskCheck | None,
) -> list[Problem]:
    label = f"{SUITES_DIR}/{name}/{SUITE_FILE}"
    folder = head.root / SUITES_DIR / name
    if not (folder / SUITE_FILE).is_file():
        if name == settings.suite and name not in suite_names():
            return [
                problem(
                    label,
                    Rule.suite,
                    f"settings.suite is {name!r}: change it before removing this suite",
                )
            ]
        return []
    try:
        # Located: its bundled tasks are rendered from this folder, not a package suite's.
        suite = suite_in(folder, head.root)
    except ValidationFailed as exc:
        return exc.problems
    except LeaderboardError as exc:
        return [problem(label, Rule.suite, str(exc), field="name")]
    lines = key_lines(head, label)
    out = baseline_problems(suite, label, lines)
    out += version_problems(base, changes, suite, label, lines)
    if task_check is not None:
        out += task_check(suite, label, lines)
    return out


def baseline_problems(suite: Suite, label: str, lines: Lines) -> list[Problem]:
    """A subtask counted twice. (A baseline that does not match the task's own choices needs
    the task files: ``harness.suite_check``.)"""
    out = []
    for b, bench in enumerate(suite.benchmarks):
        seen: set[str] = set()
        for s, sub in enumerate(bench.subtasks):
            if sub.task in seen:
                out.append(
                    problem(
                        label,
                        Rule.suite,
                        f"{bench.column}: {sub.task!r} is listed twice, so it would count double",
                        line_at(lines, ("benchmarks", b, "subtasks", s)),
                        f"benchmarks[{b}].subtasks[{s}].task",
                    )
                )
            seen.add(sub.task)
    return out


def _scoring(suite: Suite) -> dict[str, Any]:
    data = suite.model_dump(mode="json", exclude=_WORDING)
    for bench in data["benchmarks"]:
        bench.pop("description", None)
        bench.pop("hub_benchmark", None)  # where scores are shared, not what they mean
    return data


def version_problems(
    base: Repo, changes: list[Change], suite: Suite, label: str, lines: Lines
) -> list[Problem]:
    """A change to what the suite's scores mean must come with a new ``version``."""
    folder = f"{SUITES_DIR}/{suite.name}/"
    try:
        before = read_suite(base.root / folder, base.root)
    except (LeaderboardError, ValidationFailed):
        if suite.name not in suite_names():
            return []  # a new suite, or the base's was broken: any version will do
        # A repository suite that replaces a shipped one continues its results.
        before = read_suite(suite_dir(suite.name))
    if before.version != suite.version:
        return []
    what = [
        c.path
        for c in changes
        if c.path.startswith(folder) and c.path != label and c.kind is not ChangeKind.deleted
    ]
    if _scoring(before) != _scoring(suite):
        what.insert(0, f"{SUITE_FILE} (tasks, metrics, baselines or datasets)")
    if not what:
        return []
    return [
        problem(
            label,
            Rule.suite_version,
            f"this changes what the suite's scores mean ({', '.join(what)}) but its version is "
            f"still {suite.version!r}: bump it, so new results are not mixed with older ones",
            line_at(lines, ("version",)),
            "version",
        )
    ]
