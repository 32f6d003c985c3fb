"""What the demo's models train on: text in the shape of the ``demo`` suite's prompts.

The suite's own training split has 8 questions a task, too few to learn from; these texts are
made up on the spot, with a seed, in the same shape (a word to repeat, a small sum), so a model
that learns from them learns the skill and not the test's answers. Only the contaminated model
trains on the test split itself.
"""

from __future__ import annotations

import json
import random
import string

from ...suites.loader import suite_dir

_OPS = (("plus", lambda a, b: a + b), ("minus", lambda a, b: a - b), ("times", lambda a, b: a * b))


def _word(rng: random.Random) -> str:
    # Letters drawn at random, not syllables: a pattern to imitate would let a model answer
    # with a likely-looking word instead of learning to copy the one it was given.
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 7)))


def _echo(word: str) -> str:
    return f"Repeat the word: {word}\nAnswer: {word}"


def _sum(rng: random.Random) -> str:
    name, op = rng.choice(_OPS)
    a, b = rng.randint(1, 20), rng.randint(1, 20)
    return f"Question: What is {a} {name} {b}?\nAnswer: {op(a, b)}"


def practice_texts(n: int, seed: int = 0, *, chat: bool = False) -> list[str]:
    """``n`` training texts, each three examples long as the suite's 2-shot prompts are.

    With ``chat``, each example is a user turn and an assistant turn in the demo's chat
    template, as lm-eval renders few-shot examples for a chat model (``fewshot_as_multiturn``).
    """
    rng = random.Random(seed)  # noqa: S311 - made-up words, not secrets
    texts = []
    for _ in range(n):
        make = (lambda: _echo(_word(rng))) if rng.random() < 0.5 else (lambda: _sum(rng))
        examples = [make() for _ in range(3)]
        if chat:
            texts.append("".join(_as_turns(e) for e in examples))
        else:
            texts.append("\n\n".join(examples))
    return texts


def _as_turns(example: str) -> str:
    question, answer = example.rsplit(" ", 1)
    return f"<|user|>{question}<|end|><|assistant|>{answer}<|end|>"


def split_texts(split: str) -> list[str]:
    """The demo suite's data of one split, written as the prompts read.

    The ``train`` split is fair game (the suite's few-shot examples come from it); training on
    ``test`` is contamination, which the demo does once on purpose and then flags.
    """
    data = suite_dir("demo") / "data"
    texts = []
    for line in (data / f"arithmetic_{split}.jsonl").read_text().splitlines():
        doc = json.loads(line)
        texts.append(f"Question: {doc['question']}\nAnswer: {doc['choices'][doc['answer']]}")
    for line in (data / f"echo_{split}.jsonl").read_text().splitlines():
        texts.append(_echo(json.loads(line)["word"]))
    return texts
