"""Suites: which lm-eval tasks run, and how their metrics become the leaderboard's columns."""

from __future__ import annotations

from typing import Literal

from pydantic import (
    Field,
    model_validator,
)

from .types import StrictModel

# --------------------------------------------------------------------------------------------
# Suites: which lm-eval tasks run, and how their metrics become the leaderboard's columns
# --------------------------------------------------------------------------------------------


class Subtask(StrictModel):
    """One lm-eval task (or group) entry of the results, normalized on its own."""

    task: str = Field(description="The key in lm-eval's `results` (or `groups`) mapping.")
    choices: int | None = Field(
        default=None, ge=2, description="Number of answer choices: the baseline is 1/choices."
    )
    baseline: float | None = Field(
        default=None, ge=0, lt=1, description="Random baseline, when not 1/choices."
    )

    @model_validator(mode="after")
    def _one_baseline(self) -> Subtask:
        if self.choices is not None and self.baseline is not None:
            raise ValueError("give either choices or baseline, not both")
        return self

    @property
    def random_baseline(self) -> float:
        if self.choices is not None:
            return 1.0 / self.choices
        return self.baseline or 0.0


class Benchmark(StrictModel):
    """One public column, e.g. ``BBH``, and how to compute it from lm-eval's results.

    For each subtask, the raw value is the mean of ``metrics``; the normalized value is
    ``max(raw - b, 0) / (1 - b) * 100`` with the subtask's random baseline ``b`` (clamped at 0
    before any averaging). The column is the unweighted mean of the subtasks' normalized values,
    and its ``<column> Raw`` twin the unweighted mean of their raw values (0–1).
    """

    column: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,39}$")
    description: str = ""
    metrics: list[str] = Field(
        min_length=1, description="Metric keys as lm-eval writes them: '<metric>,<filter>'."
    )
    subtasks: list[Subtask] = Field(min_length=1)
    aggregation: Literal["mean"] = Field(
        default="mean", description="How subtasks combine: the unweighted mean."
    )

    @property
    def raw_column(self) -> str:
        return f"{self.column} Raw"


class Suite(StrictModel):
    """A suite: ``scripts/leaderboard/suites/builtin/<name>/suite.yaml``, versioned in results."""

    name: str = Field(pattern=r"^[a-z0-9_-]{1,40}$")
    version: str = Field(min_length=1, max_length=40)
    description: str = ""
    lm_eval_version: str = Field(description="The lm-eval version this suite was written for.")
    tasks: list[str] = Field(min_length=1, description="lm-eval task or group names to run.")
    builtin_task_dirs: list[str] = Field(
        default_factory=list,
        description="Folders under the installed lm_eval/tasks to index (never all 14k tasks).",
    )
    bundled_task_dir: str | None = Field(
        default=None,
        description="Folder of task YAML templates in the suite; @SUITE_DIR@ becomes its path.",
    )
    benchmarks: list[Benchmark] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_columns(self) -> Suite:
        columns = [b.column for b in self.benchmarks]
        if len(set(columns)) != len(columns) or "Average" in columns:
            raise ValueError("benchmark columns must be unique and may not be 'Average'")
        return self

    @property
    def columns(self) -> list[str]:
        """Every score column, in display order: the benchmarks, then the average."""
        return [b.column for b in self.benchmarks] + ["Average"]
