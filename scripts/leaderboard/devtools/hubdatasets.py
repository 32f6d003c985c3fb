"""Synthetic stand-ins of the six Hub datasets that lm-eval's ``leaderboard`` group reads.

The real datasets are large, some are gated, and huggingface.co is out of reach in tests and
in the offline demo. These stand-ins are written here, a few rows each, and keep what lm-eval's
task YAMLs rely on: the repo ids, the config names, the split names and the columns (with
their types). Their content is nonsense on purpose; a score on them says only that the whole
path ran. They are published to a devhub as parquet files with the README ``configs`` block
the Hub uses to map a config to its files, so ``datasets.load_dataset`` reads them through
``HF_ENDPOINT`` like any Hub dataset.

The BBH config names and answer choices are read from the installed lm-eval task files, so a
target is always one of the choices lm-eval's task offers.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import yaml

from ..harness.tasks import builtin_tasks_root
from .devhub import publish

Rows = list[dict[str, Any]]
#: config → split → rows
Dataset = dict[str, dict[str, Rows]]

MATH_CONFIGS = {
    "algebra": "Algebra",
    "counting_and_probability": "Counting & Probability",
    "geometry": "Geometry",
    "intermediate_algebra": "Intermediate Algebra",
    "number_theory": "Number Theory",
    "prealgebra": "Prealgebra",
    "precalculus": "Precalculus",
}
MUSR_CHOICES = {
    "murder_mysteries": ["Alice", "Bob"],
    "object_placements": ["box", "bag", "shelf", "desk", "floor"],
    "team_allocation": ["Ann: cooking, Ben: cleaning", "Ann: cleaning, Ben: cooking", "both"],
}
#: BBH configs the real dataset has that the leaderboard does not run (generation tasks).
BBH_UNUSED = ("dyck_languages", "multistep_arithmetic_two", "word_sorting")


class _PlainFields(yaml.SafeLoader):
    """Reads lm-eval task YAMLs for their plain fields; ``!function`` values become None."""


_PlainFields.add_multi_constructor("!", lambda loader, suffix, node: None)


def bbh_task_specs(tasks_root: Path | None = None) -> list[dict[str, Any]]:
    """The plain fields of lm-eval's 24 ``leaderboard_bbh_*`` task files (``dataset_name``,
    ``doc_to_choice``, the few-shot ``samples`` …), read from the installed lm-eval."""
    folder = (tasks_root or builtin_tasks_root()) / "leaderboard" / "bbh_mc"
    return [
        yaml.load(file.read_text(encoding="utf-8"), Loader=_PlainFields)  # noqa: S506 (a SafeLoader)
        for file in sorted(folder.glob("[!_]*.yaml"))
    ]


def _bbh(tasks_root: Path) -> Dataset:
    data: Dataset = {}
    for spec in bbh_task_specs(tasks_root):
        choices = spec["doc_to_choice"]
        rows = [
            {"input": f"Synthetic {spec['dataset_name']} question {i}?", "target": choices[i % 2]}
            for i in range(3)
        ]
        data[spec["dataset_name"]] = {"test": rows}
    for name in BBH_UNUSED:
        data[name] = {"test": [{"input": f"Synthetic {name} {i}", "target": "0"} for i in range(3)]}
    return data


def _gpqa() -> Dataset:
    def rows(config: str) -> Rows:
        return [
            {
                "Record ID": f"rec{config}{i}",
                "Question": f"Synthetic graduate question {i} from {config}?",
                "Correct Answer": f"right {i}",
                "Incorrect Answer 1": f"wrong {i}a",
                "Incorrect Answer 2": f"wrong {i}b",
                "Incorrect Answer 3": f"wrong {i}c",
                "Explanation": "Made up for the offline tests.",
                "Subdomain": "Synthetic",
                "High-level domain": "Physics",
            }
            for i in range(3)
        ]

    return {
        c: {"train": rows(c)}
        for c in ("gpqa_diamond", "gpqa_experts", "gpqa_extended", "gpqa_main")
    }


def _ifeval() -> Dataset:
    # kwargs is a list of structs with every instruction's argument, null where unused: the
    # real dataset's shape, which lm-eval's checker filters with `if v`.
    blank = {"num_bullets": None, "num_words": None, "relation": None}
    cases: list[tuple[str, list[str], list[dict[str, Any]]]] = [
        ("Write a short note, all in lowercase.", ["change_case:english_lowercase"], [{}]),
        ("List three fruits without commas.", ["punctuation:no_comma"], [{}]),
        (
            "Describe a cat in at least 5 words, as 2 bullet points.",
            ["length_constraints:number_words", "detectable_format:number_bullet_lists"],
            [{"relation": "at least", "num_words": 5}, {"num_bullets": 2}],
        ),
    ]
    rows = [
        {
            "key": 1000 + i,
            "prompt": prompt,
            "instruction_id_list": ids,
            "kwargs": [{**blank, **k} for k in kwargs],
        }
        for i, (prompt, ids, kwargs) in enumerate(cases)
    ]
    return {"default": {"train": rows}}


def _math() -> Dataset:
    def rows(kind: str, split: str) -> Rows:
        levels = ["Level 5", "Level 5", "Level 2"]
        return [
            {
                "problem": f"Synthetic {kind} {split} problem {i}: what is {i} + 1?",
                "level": level,
                "solution": f"Add one. The answer is $\\boxed{{{i + 1}}}$.",
                "type": kind,
            }
            for i, level in enumerate(levels)
        ]

    data: Dataset = {c: {s: rows(t, s) for s in ("train", "test")} for c, t in MATH_CONFIGS.items()}
    data["default"] = {s: [r for c in MATH_CONFIGS for r in data[c][s]] for s in ("train", "test")}
    return data


def _musr() -> Dataset:
    return {
        "default": {
            split: [
                {
                    "narrative": f"A short synthetic story {i} about {split.replace('_', ' ')}.",
                    "question": "Which one is it?",
                    "choices": str(names),
                    "answer_index": i % len(names),
                    "answer_choice": names[i % len(names)],
                }
                for i in range(3)
            ]
            for split, names in MUSR_CHOICES.items()
        }
    }


def _mmlu_pro() -> Dataset:
    categories = ["math", "physics", "law", "history", "biology"]

    def rows(split: str, n: int) -> Rows:
        letters = "ABCDEFGHIJ"
        return [
            {
                "question_id": (0 if split == "validation" else 100) + i,
                "question": f"Synthetic {split} question {i}: pick option {letters[i]}.",
                "options": [f"option {j}" for j in range(10)],
                "answer": letters[i],
                "answer_index": i,
                "cot_content": f"A: Let's think step by step. The answer is ({letters[i]}).",
                "category": categories[i % len(categories)],
                "src": f"synthetic-{split}",
            }
            for i in range(n)
        ]

    # Five validation rows: the task's 5-shot examples come from that split.
    return {"default": {"test": rows("test", 3), "validation": rows("validation", 5)}}


def leaderboard_datasets(tasks_root: Path | None = None) -> dict[str, Dataset]:
    """Every stand-in, by repo id: ``{repo: {config: {split: rows}}}``."""
    root = tasks_root or builtin_tasks_root()
    return {
        "SaylorTwift/bbh": _bbh(root),
        "Idavidrein/gpqa": _gpqa(),
        "wis-k/instruction-following-eval": _ifeval(),
        "DigitalLearningGmbH/MATH-lighteval": _math(),
        "TAUR-Lab/MuSR": _musr(),
        "TIGER-Lab/MMLU-Pro": _mmlu_pro(),
    }


def _parquet(rows: Rows) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(rows), buffer)
    return buffer.getvalue()


def _card(repo_id: str, data: Dataset) -> str:
    block = [
        {
            "config_name": config,
            "data_files": [
                {"split": split, "path": f"{config}/{split}-00000-of-00001.parquet"}
                for split in data[config]
            ],
            **({"default": True} if config == "default" else {}),
        }
        for config in data
    ]
    header = yaml.safe_dump({"configs": block, "tags": ["synthetic"]}, sort_keys=False)
    return (
        f"---\n{header}---\n# {repo_id} (synthetic stand-in)\n\n"
        "Written by the leaderboard project for offline tests: the real dataset's configs, "
        "splits and columns, a few made-up rows each. Its scores mean nothing.\n"
    )


def dataset_files(repo_id: str, data: Dataset) -> dict[str, bytes]:
    """The repo's files: one parquet file per config and split, and the README with configs."""
    files = {"README.md": _card(repo_id, data).encode()}
    for config, splits in data.items():
        for split, rows in splits.items():
            files[f"{config}/{split}-00000-of-00001.parquet"] = _parquet(rows)
    return files


def publish_leaderboard_datasets(root: Path, tasks_root: Path | None = None) -> dict[str, str]:
    """Publish every stand-in to the devhub folder ``root``; returns ``{repo: commit sha}``."""
    return {
        repo: publish(
            root, repo, dataset_files(repo, data), message="Synthetic stand-in", repo_type="dataset"
        )
        for repo, data in leaderboard_datasets(tasks_root).items()
    }
