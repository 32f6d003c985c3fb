"""Does a suite name real lm-eval tasks and metric keys? Checked from the task files alone.

Only the suite's own folders are indexed (never the 14k built-in tasks) and no task is built,
so nothing is downloaded: a task's metric keys are its ``metric_list`` crossed with its
``filter_list`` names (``none`` without one), a group's its ``aggregate_metric_list``. A
subtask the suite's ``tasks`` do not reach would never be in the results, so it is refused too.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from ..core.errors import LeaderboardError
from ..core.models import Problem, Suite, problem
from ..core.rules import Rule
from .task_data import task_manager
from .tasks import task_include_paths


def metric_keys(cfg: dict[str, Any]) -> set[str]:
    """The ``<metric>,<filter>`` keys lm-eval writes for a task or group config."""
    if "group" in cfg:
        out = set()
        for item in cfg.get("aggregate_metric_list") or []:
            filters = item.get("filter_list") or ["none"]
            for name in [filters] if isinstance(filters, str) else filters:
                out.add(f"{item['metric']},{name}")
        return out
    filters = [f.get("name", "none") for f in cfg.get("filter_list") or []] or ["none"]
    return {f"{m['metric']},{f}" for m in cfg.get("metric_list") or [] for f in filters}


def _reached(manager: Any, roots: list[str]) -> set[str]:
    index = manager.task_index
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen or name not in index:
            continue
        seen.add(name)
        entry = index[name]
        members = (entry.cfg or {}).get("task") if "group" in (entry.cfg or {}) else None
        for item in members if isinstance(members, list) else []:
            todo.append(item["task"] if isinstance(item, dict) else item)
        todo += [n for n, e in index.items() if name in e.tags]
    return seen


def _baseline(
    label: str, column: str, sub: Any, cfg: dict[str, Any], line: int | None, field: str
) -> list[Problem]:
    """A multiple-choice task scored against a baseline of 0, or ``choices`` that are not the
    number of choices the task offers."""
    if cfg.get("output_type") != "multiple_choice":
        return []
    if sub.choices is None and sub.baseline is None:
        return [
            problem(
                label,
                Rule.suite,
                f"{column}: {sub.task!r} is multiple choice, so chance is above 0: give its "
                "`choices` (or `baseline`)",
                line,
                field,
            )
        ]
    offered = cfg.get("doc_to_choice")
    if isinstance(offered, list) and sub.choices is not None and sub.choices != len(offered):
        return [
            problem(
                label,
                Rule.suite,
                f"{column}: {sub.task!r} offers {len(offered)} choices, not {sub.choices}",
                line,
                f"{field}.choices",
            )
        ]
    return []


def check_suite_tasks(suite: Suite, label: str, lines: dict[tuple, int]) -> list[Problem]:
    """Problems with the suite's tasks and metric keys, located in ``label`` by ``lines``."""

    def at(*loc: str | int) -> int | None:
        for end in range(len(loc), -1, -1):
            if loc[:end] in lines:
                return lines[loc[:end]]
        return None

    out: list[Problem] = []
    with tempfile.TemporaryDirectory(prefix="lb-check-") as tmp:
        try:
            manager = task_manager(task_include_paths(suite, Path(tmp)))
        except LeaderboardError as exc:
            return [
                problem(label, Rule.suite, str(exc), at("builtin_task_dirs"), "builtin_task_dirs")
            ]
    index = manager.task_index
    for i, name in enumerate(suite.tasks):
        if name not in index:
            out.append(
                problem(
                    label,
                    Rule.suite,
                    f"lm-eval has no task or group {name!r} in this suite's folders "
                    f"({', '.join([*suite.builtin_task_dirs, suite.bundled_task_dir or ''])})",
                    at("tasks", i),
                    f"tasks[{i}]",
                )
            )
    reached = _reached(manager, suite.tasks)
    for b, bench in enumerate(suite.benchmarks):
        for s, sub in enumerate(bench.subtasks):
            field = f"benchmarks[{b}].subtasks[{s}].task"
            line = at("benchmarks", b, "subtasks", s, "task")
            if sub.task not in index:
                out.append(problem(label, Rule.suite, f"no lm-eval task {sub.task!r}", line, field))
                continue
            if sub.task not in reached:
                out.append(
                    problem(
                        label,
                        Rule.suite,
                        f"{sub.task!r} is not run by the suite's tasks ({', '.join(suite.tasks)})",
                        line,
                        field,
                    )
                )
            cfg = index[sub.task].cfg or {}
            out += _baseline(label, bench.column, sub, cfg, line, field.removesuffix(".task"))
            have = metric_keys(cfg)
            for m, key in enumerate(bench.metrics):
                if key not in have:
                    out.append(
                        problem(
                            label,
                            Rule.suite,
                            f"{bench.column}: {sub.task!r} has no metric {key!r} "
                            f"(it has: {', '.join(sorted(have)) or 'none'})",
                            at("benchmarks", b, "metrics", m),
                            f"benchmarks[{b}].metrics[{m}]",
                        )
                    )
    return out
