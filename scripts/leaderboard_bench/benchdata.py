"""Stand-ins of the ``leaderboard`` suite's six datasets at real text lengths, for the GPU bench.

hubdatasets' stand-ins hold a few short rows each: enough to show that the path runs, far too
short to time it. These keep the same repos, configs, splits and columns, but every text field
has the mean length of the real dataset's field, and every task gets as many documents as the
benchmark asks for (its per-task limit: a sample of the task). The content is still nonsense:
words drawn from the vocabulary of lm-eval's own BBH few-shot examples. The bench's tokenizer
is trained on that vocabulary, so each word is one token and a field of N tokens is N words and
full stops; the few-shot examples that lm-eval's task files hold themselves (BBH's three,
MATH's four) are real text and keep their real length.

Lengths, in tokens of Llama 3's tokenizer (about four characters of English a token; each row
draws its length uniformly from 0.6 to 1.4 times the mean). "EvalScope" is the dataset
statistics of https://evalscope.readthedocs.io/en/v1.6.0/benchmarks/ (mean prompt lengths in
characters, its own instructions included):

- **MMLU-Pro** (5-shot from the validation split, each shot a question with its options):
  question 64, each option 8. The dataset card gives 8,715,504 bytes for the 12,032 test rows,
  724 a row; less the ids, the letter, the category and the source, about 620 characters are
  question and options. One question in eleven has four options, the rest ten: 9.45 on average,
  which makes the group's total 152,671 log-likelihood requests.
- **BBH** (3-shot, the shots in lm-eval's task files): each input as long as the mean of its
  task's three few-shot inputs, which are real BBH questions.
- **GPQA** (0-shot): question 110, each of the four answers 8. EvalScope's statistics give
  841 characters for its GPQA Diamond prompts, about 590 without its instructions.
- **MuSR** (0-shot, the narrative in the prompt): narratives of 1,290 (murder mysteries),
  1,170 (object placements) and 780 (team allocation), question 15. EvalScope gives 5,743,
  5,294 and 3,628 characters for its prompts, its own instructions included.
- **IFEval** (generation, up to 1,280 new tokens): prompt 50; EvalScope gives 211 characters.
- **MATH level 5** (4-shot, the shots in lm-eval's task files; generation, up to 1,024 new
  tokens): problem 90. EvalScope gives 337 characters for MATH-500's level-5 prompts, and
  LaTeX runs about three characters a token.

:data:`REAL_DOCS` holds each task's real number of documents, which the benchmark's
projection to the full suite scales by.
"""

from __future__ import annotations

import collections
import random
import re
import string
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from leaderboard.devtools.devhub import publish
from leaderboard.devtools.hubdatasets import (
    BBH_UNUSED,
    MATH_CONFIGS,
    MUSR_CHOICES,
    Dataset,
    Rows,
    bbh_task_specs,
    dataset_files,
)

#: Characters of English text per token of Llama 3's tokenizer (for lengths given in characters).
CHARS_PER_TOKEN = 4
#: Mean field lengths in tokens (see the module's docstring for where each comes from).
LENGTHS: dict[str, int] = {
    "mmlu_pro.question": 64,
    "mmlu_pro.option": 8,
    "gpqa.question": 110,
    "gpqa.answer": 8,
    "musr.murder_mysteries": 1290,
    "musr.object_placements": 1170,
    "musr.team_allocation": 780,
    "musr.question": 15,
    "ifeval.prompt": 50,
    "math.problem": 90,
}
#: Each row's length is the mean times a factor drawn uniformly from this range.
SPREAD = (0.6, 1.4)

#: lm-eval task → the MATH-lighteval config it reads.
MATH_TASKS = {
    "leaderboard_math_algebra_hard": "algebra",
    "leaderboard_math_counting_and_prob_hard": "counting_and_probability",
    "leaderboard_math_geometry_hard": "geometry",
    "leaderboard_math_intermediate_algebra_hard": "intermediate_algebra",
    "leaderboard_math_num_theory_hard": "number_theory",
    "leaderboard_math_prealgebra_hard": "prealgebra",
    "leaderboard_math_precalculus_hard": "precalculus",
}
GPQA_TASKS = {f"leaderboard_gpqa_{c}": f"gpqa_{c}" for c in ("diamond", "extended", "main")}
MUSR_TASKS = {f"leaderboard_musr_{split}": split for split in MUSR_CHOICES}
#: BBH tasks with fewer than 250 documents.
_BBH_SHORT = {"causal_judgement": 187, "penguins_in_a_table": 146, "snarks": 178}

#: The generation tasks: IFEval and MATH level 5. Every other task scores log-likelihoods.
GENERATION_TASKS = frozenset({"leaderboard_ifeval", *MATH_TASKS})


@cache
def real_docs() -> dict[str, int]:
    """Each of the 39 tasks' number of documents in the real datasets (BBH, GPQA, MuSR and the
    MATH level-5 counts as lm-eval's ``leaderboard`` group evaluates them)."""
    docs = {
        f"leaderboard_bbh_{s['dataset_name']}": _BBH_SHORT.get(s["dataset_name"], 250)
        for s in bbh_task_specs()
    }
    docs |= {
        "leaderboard_gpqa_diamond": 198,
        "leaderboard_gpqa_extended": 546,
        "leaderboard_gpqa_main": 448,
        "leaderboard_musr_murder_mysteries": 250,
        "leaderboard_musr_object_placements": 256,
        "leaderboard_musr_team_allocation": 250,
        "leaderboard_mmlu_pro": 12_032,
        "leaderboard_ifeval": 541,
        "leaderboard_math_algebra_hard": 307,
        "leaderboard_math_counting_and_prob_hard": 123,
        "leaderboard_math_geometry_hard": 132,
        "leaderboard_math_intermediate_algebra_hard": 280,
        "leaderboard_math_num_theory_hard": 154,
        "leaderboard_math_prealgebra_hard": 193,
        "leaderboard_math_precalculus_hard": 135,
    }
    return docs


def sample_docs(fraction: float, generations: int = 1) -> dict[str, int]:
    """A per-task limit: ``fraction`` of each log-likelihood task's documents (at least one),
    and ``generations`` documents of each generation task."""
    return {
        task: generations if task in GENERATION_TASKS else max(1, round(n * fraction))
        for task, n in real_docs().items()
    }


def mmlu_pro_options(row: int) -> int:
    """How many options MMLU-Pro's ``row`` has: four for one row in eleven, else ten."""
    return 4 if row % 11 == 10 else 10


def choices_per_doc(task: str) -> float:
    """Log-likelihood requests per document of ``task`` (its answer choices), as these
    stand-ins have them; 1 for a generation task."""
    if task in GENERATION_TASKS:
        return 1
    if task == "leaderboard_mmlu_pro":
        n = real_docs()[task]
        return sum(mmlu_pro_options(i) for i in range(n)) / n
    if task in GPQA_TASKS:
        return 4
    if task in MUSR_TASKS:
        return len(MUSR_CHOICES[MUSR_TASKS[task]])
    specs = {f"leaderboard_bbh_{s['dataset_name']}": s for s in bbh_task_specs()}
    return len(specs[task]["doc_to_choice"])


# -- text --------------------------------------------------------------------------------------


@cache
def vocabulary() -> tuple[str, ...]:
    """Lower-case English words of lm-eval's BBH few-shot examples, most frequent first."""
    counts = collections.Counter(
        word
        for spec in bbh_task_specs()
        for shot in spec["fewshot_config"]["samples"]
        for word in re.findall(r"[a-z]{2,}", shot["input"].lower())
    )
    return tuple(word for word, _ in counts.most_common())


def text(rng: random.Random, tokens: int) -> str:
    """About ``tokens`` tokens of words, with a full stop (one token) every 8 to 20 words."""
    words = vocabulary()
    out: list[str] = []
    left, sentence = tokens, rng.randint(8, 20)
    while left > 0:
        out.append(rng.choice(words))
        left -= 1
        sentence -= 1
        if sentence == 0 and left > 0:
            out[-1] += "."
            left -= 1
            sentence = rng.randint(8, 20)
    return " ".join(out)


def _length(rng: random.Random, mean: float) -> int:
    return max(1, round(mean * rng.uniform(*SPREAD)))


def field(rng: random.Random, name: str) -> str:
    return text(rng, _length(rng, LENGTHS[name]))


# -- the datasets ------------------------------------------------------------------------------


def _bbh(rng: random.Random, docs: Mapping[str, int]) -> Dataset:
    data: Dataset = {}
    for spec in bbh_task_specs():
        name = spec["dataset_name"]
        shots = [s["input"] for s in spec["fewshot_config"]["samples"]]
        mean = sum(len(s) for s in shots) / len(shots) / CHARS_PER_TOKEN
        choices = spec["doc_to_choice"]
        data[name] = {
            "test": [
                {"input": text(rng, _length(rng, mean)), "target": choices[i % len(choices)]}
                for i in range(docs[f"leaderboard_bbh_{name}"])
            ]
        }
    for name in BBH_UNUSED:
        data[name] = {"test": [{"input": text(rng, 40), "target": "0"}]}
    return data


def _gpqa(rng: random.Random, docs: Mapping[str, int]) -> Dataset:
    def answers() -> list[str]:
        out: list[str] = []
        while len(out) < 4:
            answer = field(rng, "gpqa.answer")
            if answer not in out:
                out.append(answer)
        return out

    def rows(config: str, n: int) -> Rows:
        out = []
        for i in range(n):
            right, *wrong = answers()
            out.append(
                {
                    "Record ID": f"rec{config}{i}",
                    "Question": field(rng, "gpqa.question"),
                    "Correct Answer": right,
                    "Incorrect Answer 1": wrong[0],
                    "Incorrect Answer 2": wrong[1],
                    "Incorrect Answer 3": wrong[2],
                    "Explanation": "Made up for the GPU benchmark.",
                    "Subdomain": "Synthetic",
                    "High-level domain": "Physics",
                }
            )
        return out

    data = {config: {"train": rows(config, docs[task])} for task, config in GPQA_TASKS.items()}
    data["gpqa_experts"] = {"train": rows("gpqa_experts", 1)}
    return data


def _ifeval(rng: random.Random, docs: Mapping[str, int]) -> Dataset:
    blank = {"num_bullets": None, "num_words": None, "relation": None}
    kinds = [
        ("Write it all in lowercase.", ["change_case:english_lowercase"], [{}]),
        ("Do not use any commas.", ["punctuation:no_comma"], [{}]),
        (
            "Answer in at least 5 words, as 2 bullet points.",
            ["length_constraints:number_words", "detectable_format:number_bullet_lists"],
            [{"relation": "at least", "num_words": 5}, {"num_bullets": 2}],
        ),
    ]
    rows = []
    for i in range(docs["leaderboard_ifeval"]):
        instruction, ids, kwargs = kinds[i % len(kinds)]
        rows.append(
            {
                "key": 1000 + i,
                "prompt": f"{field(rng, 'ifeval.prompt')} {instruction}",
                "instruction_id_list": ids,
                "kwargs": [{**blank, **k} for k in kwargs],
            }
        )
    return {"default": {"train": rows}}


def _math(rng: random.Random, docs: Mapping[str, int]) -> Dataset:
    def row(kind: str, level: str, i: int) -> dict[str, Any]:
        return {
            "problem": field(rng, "math.problem"),
            "level": level,
            "solution": f"Add one. The answer is $\\boxed{{{i + 1}}}$.",
            "type": kind,
        }

    data: Dataset = {}
    for task, config in MATH_TASKS.items():
        kind = MATH_CONFIGS[config]
        # One row below level 5, which the task's own filter drops.
        test = [row(kind, "Level 5", i) for i in range(docs[task])] + [row(kind, "Level 2", 0)]
        data[config] = {"train": [row(kind, "Level 5", i) for i in range(3)], "test": test}
    data["default"] = {
        split: [r for c in MATH_TASKS.values() for r in data[c][split]]
        for split in ("train", "test")
    }
    return data


def _musr(rng: random.Random, docs: Mapping[str, int]) -> Dataset:
    splits = {}
    for task, split in MUSR_TASKS.items():
        names = MUSR_CHOICES[split]
        splits[split] = [
            {
                "narrative": field(rng, f"musr.{split}"),
                "question": field(rng, "musr.question"),
                "choices": str(names),
                "answer_index": i % len(names),
                "answer_choice": names[i % len(names)],
            }
            for i in range(docs[task])
        ]
    return {"default": splits}


def _mmlu_pro(rng: random.Random, docs: Mapping[str, int]) -> Dataset:
    categories = ["math", "physics", "law", "history", "biology"]

    def rows(split: str, n: int) -> Rows:
        out = []
        for i in range(n):
            options = [field(rng, "mmlu_pro.option") for _ in range(mmlu_pro_options(i))]
            answer = i % len(options)
            out.append(
                {
                    "question_id": (0 if split == "validation" else 100) + i,
                    "question": field(rng, "mmlu_pro.question"),
                    "options": options,
                    "answer": string.ascii_uppercase[answer],
                    "answer_index": answer,
                    "cot_content": "",
                    "category": categories[i % len(categories)],
                    "src": f"synthetic-{split}",
                }
            )
        return out

    # The task's 5 shots are the validation split's first five rows.
    return {
        "default": {
            "test": rows("test", docs["leaderboard_mmlu_pro"]),
            "validation": rows("validation", 5),
        }
    }


def bench_datasets(docs: Mapping[str, int], seed: int = 0) -> dict[str, Dataset]:
    """Every stand-in, by repo id (``{repo: {config: {split: rows}}}``), with ``docs[task]``
    documents for each of the 39 tasks."""
    missing = sorted(set(real_docs()) - set(docs))
    if missing:
        raise ValueError(f"no document count for {', '.join(missing)}")
    rng = random.Random(seed)  # noqa: S311 (made-up text, not secrets)
    return {
        "SaylorTwift/bbh": _bbh(rng, docs),
        "Idavidrein/gpqa": _gpqa(rng, docs),
        "wis-k/instruction-following-eval": _ifeval(rng, docs),
        "DigitalLearningGmbH/MATH-lighteval": _math(rng, docs),
        "TAUR-Lab/MuSR": _musr(rng, docs),
        "TIGER-Lab/MMLU-Pro": _mmlu_pro(rng, docs),
    }


def texts(datasets: Mapping[str, Dataset]) -> Iterator[str]:
    """Every text a prompt can hold: the stand-ins' strings and lm-eval's own few-shot examples
    (what the bench's tokenizer is trained on)."""
    for data in datasets.values():
        for splits in data.values():
            for rows in splits.values():
                for row in rows:
                    yield from (v for v in row.values() if isinstance(v, str))
    for spec in bbh_task_specs():
        for shot in spec["fewshot_config"]["samples"]:
            yield f"Q: {shot['input']}\nA: {shot['target']}"
    # Each word also alone, after a space and at a line's start (a field's first word), so
    # that every one becomes a token of its own either way.
    yield " ".join(vocabulary() * 4)
    yield "\n".join(vocabulary() * 4)


def publish_bench_datasets(
    root: Path, docs: Mapping[str, int], seed: int = 0
) -> tuple[dict[str, str], dict[str, Dataset]]:
    """Publish every stand-in to the devhub folder ``root``; returns ``({repo: sha}, datasets)``."""
    datasets = bench_datasets(docs, seed)
    shas = {
        repo: publish(
            root, repo, dataset_files(repo, data), message="Stand-in", repo_type="dataset"
        )
        for repo, data in datasets.items()
    }
    return shas, datasets
