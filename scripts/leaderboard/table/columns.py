"""The published table's columns: the Open LLM Leaderboard's public names, and the suite's."""

from __future__ import annotations

from typing import Any

from ..core.models import ColumnKind, TableColumn
from .rows import AVERAGE


def _c(name: str, kind: ColumnKind, description: str, **kw: Any) -> TableColumn:
    return TableColumn(name=name, kind=kind, description=description, **kw)


T, N, B, D = ColumnKind.text, ColumnKind.number, ColumnKind.boolean, ColumnKind.date

_HEAD = [
    _c(
        "eval_name",
        T,
        "Unique id of the row: org_model_precision_sha7_chat|nochat.",
        nullable=False,
        hidden=True,
    ),
    _c(
        "T",
        T,
        "Type emoji: 🟢 pretrained, 🟩 continuously pretrained, 🔶 fine-tuned, 💬 chat, "
        "🤝 merge, 🌸 multimodal.",
        nullable=False,
    ),
    _c("Model", T, "The model's Hub id (after any rename).", nullable=False),
    _c(
        "fullname",
        T,
        "The model's Hub id, 'org/name' (same as Model; kept for existing scripts).",
        nullable=False,
        hidden=True,
    ),
]
_TAIL = [
    _c("Type", T, "Model type as declared by the submitter.", nullable=False, hidden=True),
    _c("Architecture", T, "Architectures from the model's config.json.", hidden=True),
    _c("Weight type", T, "Original, Adapter or Delta.", nullable=False, hidden=True),
    _c(
        "Precision",
        T,
        "Precision of the evaluation: float16, bfloat16, 8bit, 4bit, gptq.",
        nullable=False,
    ),
    _c("Merged", B, "A merge (declared type, or tags of the card).", nullable=False, hidden=True),
    _c("Hub License", T, "License from the model card.", hidden=True),
    _c("#Params (B)", N, "Parameters in billions, from the safetensors metadata.", group="hub"),
    _c("Hub ❤️", N, "Likes on the Hub when the model was evaluated.", group="hub", hidden=True),
    _c(
        "Available on the hub",
        B,
        "Whether the Hub still had the model at evaluation time.",
        group="hub",
        nullable=False,
        hidden=True,
    ),
    _c("Model sha", T, "The evaluated commit (40 hex).", nullable=False, hidden=True),
    _c(
        "Flagged",
        B,
        "Flagged by maintainers or automatically (undeclared merge).",
        group="curation",
        nullable=False,
        hidden=True,
    ),
    _c("MoE", B, "Mixture of experts, from the card's tags.", nullable=False, hidden=True),
    _c("Submission Date", D, "When the request was submitted (UTC).", nullable=False, hidden=True),
    _c(
        "Upload To Hub Date",
        D,
        "When the model repository was created on the Hub.",
        group="hub",
        hidden=True,
    ),
    _c(
        "Chat Template",
        B,
        "Evaluated with the tokenizer's chat template.",
        nullable=False,
        hidden=True,
    ),
    _c(
        "Maintainer's Highlight",
        B,
        "The organisation is on the maintainer's choice list.",
        group="curation",
        nullable=False,
        hidden=True,
    ),
    _c(
        "Generation",
        N,
        "0 for a model without a base model, else one more than its base.",
        hidden=True,
    ),
    _c("Base Model", T, "The base model (the model itself when it has none).", hidden=True),
    _c(
        "CO₂ cost (kg)",
        N,
        "Estimate: 5.6 kW × evaluation hours × 0.2698 kg/kWh (the Open LLM Leaderboard's formula).",
        hidden=True,
    ),
    # Our additions: what the Hugging Face table could not say.
    _c("Flag category", T, "Why the row is flagged.", group="curation", hidden=True),
    _c("Flag discussion", T, "Link to the discussion of the flag.", group="curation", hidden=True),
    _c(
        "Aliases",
        T,
        "Former names of the model (renames), comma-separated.",
        group="curation",
        hidden=True,
    ),
    _c(
        "Size class",
        T,
        "Edge (<3B), Consumer (3–7B), Mid-range (7–65B), GPU-rich (65B+).",
        hidden=True,
    ),
    _c("Rank in type", N, "Rank by average among unflagged rows of the same type.", hidden=True),
    _c(
        "Rank in size class",
        N,
        "Rank by average among unflagged rows of the same size class.",
        hidden=True,
    ),
    _c(
        "Submitter",
        T,
        "GitHub login of the submitter.",
        group="provenance",
        nullable=False,
        hidden=True,
    ),
    _c(
        "Request file",
        T,
        "Path of the request file in the repository.",
        group="provenance",
        nullable=False,
        hidden=True,
    ),
    _c(
        "Result file",
        T,
        "Path of the result file in the repository.",
        group="provenance",
        nullable=False,
        hidden=True,
    ),
    _c(
        "Attempt",
        N,
        "Which attempt produced the result.",
        group="provenance",
        nullable=False,
        hidden=True,
    ),
    _c("Suite", T, "Benchmark suite.", group="provenance", nullable=False, hidden=True),
    _c("Suite version", T, "Version of the suite definition.", group="provenance", hidden=True),
    _c(
        "lm-eval version", T, "lm-evaluation-harness version used.", group="provenance", hidden=True
    ),
    _c("Evaluated at", D, "When the evaluation finished (UTC).", group="provenance", hidden=True),
    _c(
        "Reproduce",
        T,
        "The plain lm_eval command that reproduces the result.",
        group="provenance",
        hidden=True,
    ),
    _c("Details", T, "Where the per-sample outputs are.", group="provenance", hidden=True),
]


def columns(suite: Any) -> list[TableColumn]:
    """The table's columns for a suite, in display order."""
    scores = [_c(AVERAGE, N, "Mean of the normalized benchmark scores.", group="score")]
    for bench in suite.benchmarks:
        desc = getattr(bench, "description", None) or f"{bench.column}, normalized (0–100)."
        scores.append(_c(bench.column, N, desc, group="score"))
    for bench in suite.benchmarks:
        scores.append(
            _c(
                f"{bench.column} Raw",
                N,
                f"{bench.column}, raw metric (0–1).",
                group="raw",
                hidden=True,
            )
        )
    return [*_HEAD, *scores, *_TAIL]
