"""The models the demo builds, and the flag a maintainer puts on one of them."""

from __future__ import annotations

from dataclasses import dataclass

MAINTAINER = "demo-maintainer"


@dataclass(frozen=True)
class DemoModel:
    """One model the demo builds, publishes and submits."""

    repo_id: str
    submitter: str
    model_type: str
    precision: str = "bfloat16"
    weight_type: str = "Original"
    base_model: str | None = None
    chat: bool = False
    #: Training steps (a count, not a duration: the same model on a busy machine as on an idle
    #: one), and the model's size: the demo's spread of scores comes from these two.
    train_steps: int = 0
    hidden_size: int = 64
    layers: int = 2
    seed: int = 0
    tags: tuple[str, ...] = ()
    license: str | None = "apache-2.0"
    card: str | None = None
    #: What is wrong with it on purpose: "" (nothing), "load" (fails at evaluation),
    #: "rules" (fails validation: custom code, no license, a short card).
    fault: str = ""
    #: Trained on the suite's test split: a high score that a maintainer should flag.
    contaminated: bool = False
    note: str = ""


MODELS: tuple[DemoModel, ...] = (
    DemoModel(
        "demo-lab/tiny-base",
        "alice",
        "pretrained",
        train_steps=800,
        note="pretrained briefly: 800 steps on practice text in the suite's shape",
    ),
    DemoModel(
        "demo-lab/tiny-tutor",
        "alice",
        "fine-tuned",
        train_steps=2400,
        hidden_size=96,
        seed=1,
        note="wider, and trained 2,400 steps on practice text",
    ),
    DemoModel(
        "leaky-lab/tiny-leak",
        "frank",
        "fine-tuned",
        train_steps=2400,
        seed=7,
        contaminated=True,
        note="trained on the demo suite's TEST split: contaminated, flagged later",
    ),
    DemoModel(
        "chat-co/tiny-chat",
        "bob",
        "chat",
        precision="float16",
        chat=True,
        train_steps=1500,
        hidden_size=80,
        seed=2,
        note="chat template on, float16, trained 1,500 steps on chat turns",
    ),
    DemoModel(
        "adapters-inc/tiny-lora",
        "carol",
        "fine-tuned",
        weight_type="Adapter",
        base_model="demo-lab/tiny-base",
        seed=3,
        note="a LoRA adapter over demo-lab/tiny-base",
    ),
    DemoModel(
        "mergers/tiny-merge",
        "dave",
        "merge",
        tags=("merge", "mergekit"),
        train_steps=1000,
        hidden_size=48,
        layers=3,
        seed=4,
        note="a merge (tags: merge, mergekit): narrower, deeper, 1,000 steps",
    ),
    DemoModel(
        "broken-org/tiny-broken",
        "erin",
        "pretrained",
        seed=5,
        fault="load",
        note="its weights do not match its config: FAILED on purpose",
    ),
    DemoModel(
        "sketchy/tiny-remote",
        "mallory",
        "fine-tuned",
        seed=6,
        license=None,
        card="Trust me.",
        fault="rules",
        note="custom code, no license, a short card: refused by validation",
    ),
)
FLAG = {
    "model": "leaky-lab/tiny-leak",
    "category": "contamination",
    "discussion": "https://github.com/example/leaderboard/discussions/1",
    "note": "Its card says it was trained on the demo suite's test questions.",
}
