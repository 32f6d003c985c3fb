"""A model's scores as Hugging Face Community Evals files (``.eval_results/*.yaml``).

The Hub shows a model's evaluation results from YAML files in its repository's
``.eval_results/`` folder, each a list of entries ``{dataset: {id, task_id[, revision]},
value, date, source: {url, name}, notes}`` (huggingface.co/docs/hub/eval-results; written here
with ``huggingface_hub``'s own ``EvalResultEntry``). An entry names a Hub *Benchmark* dataset
and task, so only a suite column that declares one (``hub_benchmark`` in suite.yaml) is
exported, as its raw score in percent: the leaderboard's normalized scale is its own.

One file per benchmark, named for this leaderboard so that it never overwrites the model
author's files or another source's; one entry per row of the model (each precision, commit
and chat setting), its ``notes`` saying which, its ``source`` the row's page here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import yaml

from ..core.models import Row, Settings, Suite
from .eee import collection, row_url

if TYPE_CHECKING:
    from huggingface_hub import EvalResultEntry

#: libyaml's safe dumper: PyYAML's own takes five times as long (10,000 models on every build).
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def file_name(settings: Settings, dataset: str, task_id: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", f"{dataset}-{task_id}".lower()).strip("-")
    return f".eval_results/{collection(settings)}-{slug}.yaml"


def _source_url(settings: Settings, row: Row) -> str | None:
    page = row_url(settings, row.id)
    if page:
        return page
    if settings.repo_url:
        return f"{str(settings.repo_url).rstrip('/')}/blob/main/{row.result_file}"
    return None


def entries(row: Row, settings: Settings, suite: Suite) -> dict[str, EvalResultEntry]:
    """``file name -> EvalResultEntry`` for each column of the row with a Hub benchmark."""
    from huggingface_hub import EvalResultEntry

    out = {}
    for bench in suite.benchmarks:
        target = bench.hub_benchmark
        raw = row.scores.get(bench.raw_column)
        if target is None or raw is None:
            continue
        chat = "with its chat template" if row.chat else "without chat template"
        notes = (
            f"{row.precision}, {chat}, commit {row.sha[:12]}; lm-eval "
            f"{row.lm_eval_version}, {', '.join(t.task for t in bench.subtasks)} "
            f"({', '.join(bench.metrics)}), suite {suite.name} v{row.suite_version}; "
            f"raw score in percent"
        )
        url = _source_url(settings, row)
        out[file_name(settings, target.dataset, target.task_id)] = EvalResultEntry(
            dataset_id=target.dataset,
            task_id=target.task_id,
            dataset_revision=target.revision,
            value=round(float(raw) * 100, 2),
            date=row.evaluated_at,
            source_url=url,
            source_name=settings.title if url else None,
            notes=notes,
        )
    return out


def model_files(rows: Sequence[Row], settings: Settings, suite: Suite) -> dict[str, bytes]:
    """``.eval_results/<file>.yaml -> YAML`` for one model's rows (empty: nothing to share)."""
    from huggingface_hub import eval_result_entries_to_yaml

    grouped: dict[str, list[EvalResultEntry]] = {}
    for row in sorted(rows, key=lambda r: r.id):
        for name, entry in entries(row, settings, suite).items():
            grouped.setdefault(name, []).append(entry)
    return {
        name: yaml.dump(
            eval_result_entries_to_yaml(items), Dumper=_DUMPER, sort_keys=False, allow_unicode=True
        ).encode()
        for name, items in sorted(grouped.items())
    }


def all_files(rows: Sequence[Row], settings: Settings, suite: Suite) -> dict[str, bytes]:
    """``<org>/<model>/.eval_results/<file>.yaml -> YAML`` for every model with something to
    share (the downloadable archive's layout)."""
    by_model: dict[str, list[Row]] = {}
    for row in rows:
        by_model.setdefault(row.model, []).append(row)
    out = {}
    for model, items in sorted(by_model.items()):
        for name, data in model_files(items, settings, suite).items():
            out[f"{model}/{name}"] = data
    return out
