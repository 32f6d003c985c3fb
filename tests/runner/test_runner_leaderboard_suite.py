"""The `leaderboard` suite against the real lm-eval `leaderboard` group, offline.

Every one of the group's 39 subtasks is overridden to read a few synthetic rows in its
dataset's schema (the real datasets need the network); the task definitions, prompts,
filters, metrics and group aggregation are lm-eval's own. The output is genuine lm-eval 0.4.13
output, so this shows that the suite names every task and metric key the group produces and
that scoring reads them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from leaderboard.suites.loader import load_suite
from leaderboard.suites.scoring import score


class _SkipTags(yaml.SafeLoader):
    """Reads lm-eval task YAMLs for their plain fields; `!function` values become None."""


_SkipTags.add_multi_constructor("!", lambda loader, suffix, node: None)

GROUPS = [
    "leaderboard.yaml",
    "bbh_mc/_leaderboard_bbh.yaml",
    "gpqa/_leaderboard_gpqa.yaml",
    "math/_leaderboard_math.yaml",
    "musr/_musr.yaml",
]
MUSR_CHOICES = {
    "murder_mysteries": ["Alice", "Bob"],
    "object_placements": ["box", "bag", "shelf", "desk", "floor"],
    "team_allocation": ["A", "B", "C"],
}


def _synthetic_leaderboard(src: Path, out: Path) -> None:
    data = out / "data"
    data.mkdir(parents=True)

    def rows_file(name: str, rows: list[dict]) -> str:
        file = data / f"{name}.jsonl"
        file.write_text("".join(json.dumps(r) + "\n" for r in rows))
        return str(file)

    def override(task_yaml: Path, task: str, files: dict[str, str]) -> None:
        spec = {
            "include": str(task_yaml),
            "task": task,
            "dataset_path": "json",
            "dataset_name": None,
            "dataset_kwargs": {"data_files": files},
        }
        (out / f"{task}.yaml").write_text(yaml.safe_dump(spec, sort_keys=False))

    for group in GROUPS:
        (out / Path(group).name).write_text((src / group).read_text())
    for file in sorted((src / "bbh_mc").glob("[!_]*.yaml")):
        choices = yaml.load(file.read_text(), Loader=_SkipTags)["doc_to_choice"]
        rows = [{"input": f"Question {i}?", "target": choices[i % len(choices)]} for i in range(2)]
        override(file, f"leaderboard_bbh_{file.stem}", {"test": rows_file(file.stem, rows)})
    gpqa = [
        {
            "Question": f"Which {i}?",
            "Correct Answer": "right",
            "Incorrect Answer 1": "a",
            "Incorrect Answer 2": "b",
            "Incorrect Answer 3": "c",
        }
        for i in range(2)
    ]
    for file in sorted((src / "gpqa").glob("gpqa_*.yaml")):
        task = yaml.load(file.read_text(), Loader=_SkipTags)["task"]
        override(file, task, {"train": rows_file(task, gpqa)})
    ifeval = [
        {
            "key": i,
            "prompt": "Answer in lowercase.",
            "kwargs": [{}],
            "instruction_id_list": ["change_case:english_lowercase"],
        }
        for i in range(2)
    ]
    override(
        src / "ifeval" / "ifeval.yaml", "leaderboard_ifeval", {"train": rows_file("if", ifeval)}
    )
    for file in sorted((src / "math").glob("math_*.yaml")):
        task = yaml.load(file.read_text(), Loader=_SkipTags)["task"]
        rows = [
            {
                "problem": f"What is {i} + 1?",
                "level": "Level 5",
                "type": file.stem,
                "solution": f"It is $\\boxed{{{i + 1}}}$.",
            }
            for i in range(2)
        ]
        path = rows_file(task, rows)
        override(file, task, {"train": path, "test": path})
    mmlu = [
        {
            "question_id": i,
            "question": f"Pick {i}",
            "options": [f"o{j}" for j in range(10)],
            "answer": "A",
            "answer_index": 0,
            "category": "math",
            "src": "synthetic",
            "cot_content": "A: Let's think step by step. The answer is (A).",
        }
        for i in range(6)
    ]
    path = rows_file("mmlu_pro", mmlu)
    override(
        src / "mmlu_pro" / "mmlu_pro.yaml",
        "leaderboard_mmlu_pro",
        {"test": path, "validation": path},
    )
    for file in sorted((src / "musr").glob("musr_*.yaml")):
        spec = yaml.load(file.read_text(), Loader=_SkipTags)
        names = MUSR_CHOICES[spec["test_split"]]
        rows = [
            {
                "narrative": "A short story.",
                "question": "Who?",
                "choices": str(names),
                "answer_index": 0,
                "answer_choice": names[0],
            }
            for _ in range(2)
        ]
        override(file, spec["task"], {spec["test_split"]: rows_file(spec["task"], rows)})


@pytest.mark.slow
def test_the_leaderboard_suite_scores_real_lm_eval_output(tiny_model_dir, tmp_path):
    import lm_eval
    from lm_eval.tasks import TaskManager

    suite = load_suite("leaderboard")
    src = Path(lm_eval.__file__).parent / "tasks" / "leaderboard"
    _synthetic_leaderboard(src, tmp_path / "tasks")
    results = lm_eval.simple_evaluate(
        model="hf",
        model_args={"pretrained": str(tiny_model_dir), "dtype": "float32"},
        tasks=suite.tasks,
        task_manager=TaskManager(include_path=str(tmp_path / "tasks"), include_defaults=False),
        batch_size=8,
        device="cpu",
        limit=2,
        gen_kwargs={"max_gen_toks": 4},
    )
    tasks = results["results"]
    every_subtask = {s.task for b in suite.benchmarks for s in b.subtasks}
    assert every_subtask <= set(tasks)
    assert {"leaderboard_gpqa", "leaderboard_math_hard"} <= set(results["groups"])

    scores = score(results, suite)
    bbh = [tasks[s.task]["acc_norm,none"] for s in suite.benchmarks[1].subtasks]
    assert scores["BBH Raw"] == pytest.approx(sum(bbh) / 24)
    assert scores["MMLU-PRO Raw"] == tasks["leaderboard_mmlu_pro"]["acc,none"]
    assert scores["GPQA Raw"] == results["groups"]["leaderboard_gpqa"]["acc_norm,none"]
    ifeval = tasks["leaderboard_ifeval"]
    assert scores["IFEval Raw"] == pytest.approx(
        (ifeval["prompt_level_strict_acc,none"] + ifeval["inst_level_strict_acc,none"]) / 2
    )
    assert 0 <= scores["Average"] <= 100
