"""The published table's columns: the Open LLM Leaderboard's public names, and the suite's."""

from __future__ import annotations

from typing import Any

from ..core.models import ColumnKind, TableColumn
from ..suites.uncertainty import SE_SUFFIX
from .bands import AVERAGE_SE, BAND
from .co2 import DIGITS as CO2_DIGITS
from .rows import AVERAGE


def _column(name: str, kind: ColumnKind, description: str, **kw: Any) -> TableColumn:
    return TableColumn(name=name, kind=kind, description=description, **kw)


TEXT, NUMBER, INTEGER, BOOLEAN, DATE = (
    ColumnKind.text,
    ColumnKind.number,
    ColumnKind.integer,
    ColumnKind.boolean,
    ColumnKind.date,
)
#: Decimals the site shows scores and raw metrics with (the Open LLM Leaderboard's).
SCORE_DIGITS, RAW_DIGITS = 2, 4

_HEAD = [
    _column(
        "eval_name",
        TEXT,
        "Unique id of the row: org_model_precision_sha7_chat|nochat.",
        nullable=False,
        hidden=True,
    ),
    _column(
        "T",
        TEXT,
        "Type emoji: 🟢 pretrained, 🟩 continuously pretrained, 🔶 fine-tuned, 💬 chat, "
        "🤝 merge, 🌸 multimodal.",
        nullable=False,
    ),
    _column("Model", TEXT, "The model's Hub id (after any rename).", nullable=False),
    _column(
        "fullname",
        TEXT,
        "The model's Hub id, 'org/name' (same as Model; kept for existing scripts).",
        nullable=False,
        hidden=True,
    ),
]
_TAIL = [
    _column("Type", TEXT, "Model type as declared by the submitter.", nullable=False, hidden=True),
    _column("Architecture", TEXT, "Architectures from the model's config.json.", hidden=True),
    _column("Weight type", TEXT, "Original, Adapter or Delta.", nullable=False, hidden=True),
    _column(
        "Precision",
        TEXT,
        "Precision of the evaluation: float16, bfloat16, 8bit, 4bit, gptq.",
        nullable=False,
    ),
    _column(
        "Merged",
        BOOLEAN,
        "A merge (declared type, or tags of the card).",
        nullable=False,
        hidden=True,
    ),
    _column("Hub License", TEXT, "License from the model card.", hidden=True),
    _column(
        "#Params (B)", NUMBER, "Parameters in billions, from the safetensors metadata.", group="hub"
    ),
    _column(
        "Hub ❤️", INTEGER, "Likes on the Hub when the model was evaluated.", group="hub", hidden=True
    ),
    _column(
        "Available on the hub",
        BOOLEAN,
        "Whether the Hub still had the model at evaluation time.",
        group="hub",
        nullable=False,
        hidden=True,
    ),
    _column("Model sha", TEXT, "The evaluated commit (40 hex).", nullable=False, hidden=True),
    _column(
        "Flagged",
        BOOLEAN,
        "Flagged by maintainers or automatically (undeclared merge).",
        group="curation",
        nullable=False,
        hidden=True,
    ),
    _column(
        "MoE", BOOLEAN, "Mixture of experts, from the card's tags.", nullable=False, hidden=True
    ),
    _column(
        "Submission Date",
        DATE,
        "When the request was submitted (UTC).",
        nullable=False,
        hidden=True,
    ),
    _column(
        "Upload To Hub Date",
        DATE,
        "When the model repository was created on the Hub.",
        group="hub",
        hidden=True,
    ),
    _column(
        "Chat Template",
        BOOLEAN,
        "Evaluated with the tokenizer's chat template.",
        nullable=False,
        hidden=True,
    ),
    _column(
        "Maintainer's Highlight",
        BOOLEAN,
        "The organisation is on the maintainer's choice list.",
        group="curation",
        nullable=False,
        hidden=True,
    ),
    _column(
        "Official Providers",
        BOOLEAN,
        "The same as Maintainer's Highlight, under the Hugging Face leaderboard's later name.",
        group="curation",
        nullable=False,
        hidden=True,
    ),
    _column(
        "Generation",
        INTEGER,
        "0 for a model without a base model, else one more than its base.",
        hidden=True,
    ),
    _column("Base Model", TEXT, "The base model (the model itself when it has none).", hidden=True),
    _column(
        "CO₂ cost (kg)",
        NUMBER,
        "Estimate: the run's GPUs (count × board power of the recorded model) × evaluation "
        "hours × 0.2698 kg/kWh; empty for a CPU run or a GPU without a published power figure.",
        hidden=True,
        unit="kg",
        digits=CO2_DIGITS,
    ),
    # Our additions: what the Hugging Face table could not say.
    _column("Flag category", TEXT, "Why the row is flagged.", group="curation", hidden=True),
    _column(
        "Flag discussion",
        TEXT,
        "Link to the discussion of the flag.",
        group="curation",
        hidden=True,
    ),
    _column(
        "Aliases",
        TEXT,
        "Former names of the model (renames), comma-separated.",
        group="curation",
        hidden=True,
    ),
    _column(
        "Size class",
        TEXT,
        "Edge (<3B), Consumer (3–7B), Mid-range (7–65B), GPU-rich (65B+).",
        hidden=True,
    ),
    _column(
        "Rank in type",
        INTEGER,
        "Rank by average among unflagged rows of the same type.",
        hidden=True,
    ),
    _column(
        "Rank in size class",
        INTEGER,
        "Rank by average among unflagged rows of the same size class.",
        hidden=True,
    ),
    _column(
        "Submitter",
        TEXT,
        "GitHub login of the submitter.",
        group="provenance",
        nullable=False,
        hidden=True,
    ),
    _column(
        "Request file",
        TEXT,
        "Path of the request file in the repository.",
        group="provenance",
        nullable=False,
        hidden=True,
    ),
    _column(
        "Result file",
        TEXT,
        "Path of the result file in the repository.",
        group="provenance",
        nullable=False,
        hidden=True,
    ),
    _column(
        "Attempt",
        INTEGER,
        "Which attempt produced the result.",
        group="provenance",
        nullable=False,
        hidden=True,
    ),
    _column("Suite", TEXT, "Benchmark suite.", group="provenance", nullable=False, hidden=True),
    _column(
        "Suite version", TEXT, "Version of the suite definition.", group="provenance", hidden=True
    ),
    _column(
        "lm-eval version",
        TEXT,
        "lm-evaluation-harness version used.",
        group="provenance",
        hidden=True,
    ),
    _column(
        "Evaluated at", DATE, "When the evaluation finished (UTC).", group="provenance", hidden=True
    ),
    _column(
        "Reproduce",
        TEXT,
        "The plain lm_eval command that reproduces the result.",
        group="provenance",
        hidden=True,
    ),
    _column(
        "Device", TEXT, "The torch device the evaluation ran on.", group="provenance", hidden=True
    ),
    _column(
        "Batch size",
        TEXT,
        "The batch size the evaluation ran with.",
        group="provenance",
        hidden=True,
    ),
    _column("Details", TEXT, "Where the per-sample outputs are.", group="provenance", hidden=True),
    _column(
        "Hardware",
        TEXT,
        "The accelerator the evaluation ran on, with its count (e.g. 8x NVIDIA H100 80GB HBM3).",
        group="provenance",
        hidden=True,
    ),
    _column(
        "Runner pool",
        TEXT,
        "The runner pool the plan chose (curation/settings.yaml's runner_pools).",
        group="provenance",
        hidden=True,
    ),
    _column(
        "Parallelism",
        TEXT,
        "single: the model ran on one GPU; model: it was split across the pool's GPUs.",
        group="provenance",
        hidden=True,
    ),
    _column(
        "Peak GPU memory (GB)",
        NUMBER,
        "The most GPU memory the evaluation held at once, in GB (empty without a GPU).",
        group="provenance",
        hidden=True,
    ),
    _column(
        "Attestation",
        TEXT,
        "GitHub's page of the signed attestation of the result file and its index entry, made "
        "by this repository's evaluate workflow; empty when not attested.",
        group="provenance",
        hidden=True,
    ),
    _column(
        "Verify",
        TEXT,
        "The `gh attestation verify` command that checks the result file, run in a clone of "
        "the repository; empty when not attested.",
        group="provenance",
        hidden=True,
    ),
]


def columns(suite: Any) -> list[TableColumn]:
    """The table's columns for a suite, in display order."""
    scores = [
        _column(
            AVERAGE,
            NUMBER,
            "Mean of the normalized benchmark scores.",
            group="score",
            digits=SCORE_DIGITS,
        )
    ]
    for bench in suite.benchmarks:
        desc = getattr(bench, "description", None) or f"{bench.column}, normalized (0–100)."
        scores.append(_column(bench.column, NUMBER, desc, group="score", digits=SCORE_DIGITS))
    for bench in suite.benchmarks:
        scores.append(
            _column(
                f"{bench.column} Raw",
                NUMBER,
                f"{bench.column}, raw metric (0–1).",
                group="raw",
                hidden=True,
                digits=RAW_DIGITS,
            )
        )
    scores.append(
        _column(
            BAND,
            INTEGER,
            "Rank band: rows whose averages are within noise of the band's top row (overlapping "
            "95% intervals) share it; empty for flagged rows and rows without a standard error.",
        )
    )
    errors: list[TableColumn] = []
    for bench in suite.benchmarks:
        for name, scale in ((bench.column, "normalized"), (f"{bench.column} Raw", "raw")):
            errors.append(
                _column(
                    name + SE_SUFFIX,
                    NUMBER,
                    f"Standard error of {name} ({scale}), from lm-eval's stderr; empty where "
                    "lm-eval has none (N/A).",
                    group="stderr",
                    hidden=True,
                )
            )
    errors.append(
        _column(
            AVERAGE_SE,
            NUMBER,
            "Standard error of the average, combining the benchmarks' as independent errors.",
            group="stderr",
            hidden=True,
        )
    )
    return [*_HEAD, *scores, *_TAIL, *errors]
