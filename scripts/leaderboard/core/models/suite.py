"""Suites: which lm-eval tasks run, and how their metrics become the leaderboard's columns."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import (
    Field,
    PrivateAttr,
    model_validator,
)

from .types import ModelId, Sha, StrictModel

#: The plain mean of a suite's benchmarks: the scorer's name for it, and a column of every
#: suite, so no benchmark may take the name (the published table calls it ``Average ⬆️``).
AVERAGE = "Average"

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


class HubBenchmark(StrictModel):
    """Where a column's scores can go on the Hub: a Benchmark dataset's task, for Hugging Face's
    Community Evals (``.eval_results/*.yaml`` in a model's repository). Only a column that
    measures exactly that task should name it: the value exported is the column's raw score, in
    percent."""

    dataset: ModelId = Field(description="The Benchmark dataset's Hub id, e.g. TIGER-Lab/MMLU-Pro.")
    task_id: str = Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$",
        description="The task's id in the dataset's eval.yaml.",
    )
    revision: Sha | None = Field(default=None, description="The dataset commit, if pinned.")


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
    hub_benchmark: HubBenchmark | None = Field(
        default=None,
        description="The Hub Benchmark task this column measures, for Community Evals exports.",
    )

    @property
    def raw_column(self) -> str:
        return f"{self.column} Raw"


class Question(StrictModel):
    """One entry of the suite's part of the FAQ."""

    question: str = Field(min_length=1, max_length=300)
    answer: str = Field(min_length=1, max_length=4000)


class Suite(StrictModel):
    """A suite: ``suites/<name>/suite.yaml`` in the repository, or one shipped in the package
    (``scripts/leaderboard/suites/builtin/<name>/``); its version is recorded in results."""

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
    datasets: dict[ModelId, Sha] = Field(
        default_factory=dict,
        description="Hub dataset repo → the commit every task reading it is pinned to.",
    )
    nltk_data: list[Literal["punkt_tab"]] = Field(
        default_factory=list,
        description="nltk packages the tasks need (IFEval: punkt_tab); fetched by the prepare "
        "step, never during an evaluation.",
    )
    about: str = Field(default="", max_length=20000, description="Markdown for the About page.")
    faq: list[Question] = Field(default_factory=list, description="The suite's FAQ entries.")
    #: The folder the suite was read from (its task templates and data); set by the loader.
    _folder: Path | None = PrivateAttr(default=None)

    @property
    def folder(self) -> Path | None:
        return self._folder

    def located(self, folder: Path) -> Suite:
        """This suite, remembering the folder it came from."""
        self._folder = folder
        return self

    @model_validator(mode="after")
    def _unique_columns(self) -> Suite:
        columns = [b.column for b in self.benchmarks]
        if len(set(columns)) != len(columns) or AVERAGE in columns:
            raise ValueError(f"benchmark columns must be unique and may not be {AVERAGE!r}")
        return self

    @property
    def columns(self) -> list[str]:
        """Every score column, in display order: the benchmarks, then the average."""
        return [b.column for b in self.benchmarks] + [AVERAGE]
