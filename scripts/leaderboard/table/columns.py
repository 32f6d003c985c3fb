"""The column registry: every column of the published table, in order, with its public name
(the Open LLM Leaderboard's, or the suite's), its kind, its description and the ``Row``
attribute (``key``) that holds its values; ``table/rows.py`` sets each attribute.

This is the one place a column's display name is spelled: the downloads (``exports``), the
model files and the feed (``feed``), the shared formats (``eee``, ``eval_results``) and the
site's front end (``site/frontend.py`` writes ``meta.names``: key → name) all read it, and
read a row's cells through :func:`cells`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import attrgetter, itemgetter
from typing import Any

from ..core.models import Cell, ColumnKind, Row, Suite, TableColumn
from ..core.sizes import SIZE_CLASSES
from ..suites.uncertainty import AVERAGE_SE, SE_SUFFIX
from .co2 import DIGITS as CO2_DIGITS

#: The published name of the suite's average (``core.models.suite.AVERAGE``).
AVERAGE_COLUMN = "Average ⬆️"
#: The column of a row's rank band (1 = the top band; ``table.bands``).
BAND = "Rank band"


def _column(
    name: str, key: str | None, kind: ColumnKind, description: str, **kw: Any
) -> TableColumn:
    return TableColumn(name=name, key=key, kind=kind, description=description, **kw)


def _size_classes() -> str:
    """ "Edge (<3B), Consumer (3–7B), …", from ``core.sizes``."""
    spans = []
    for name, low, high in SIZE_CLASSES:
        if low == 0:
            spans.append(f"{name} (<{high:g}B)")
        elif high == float("inf"):
            spans.append(f"{name} ({low:g}B+)")
        else:
            spans.append(f"{name} ({low:g}–{high:g}B)")
    return ", ".join(spans) + "."


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
        "id",
        TEXT,
        "Unique id of the row: org_model_precision_sha7_chat|nochat.",
        nullable=False,
        hidden=True,
    ),
    _column(
        "T",
        "emoji",
        TEXT,
        "Type emoji: 🟢 pretrained, 🟩 continuously pretrained, 🔶 fine-tuned, 💬 chat, "
        "🤝 merge, 🌸 multimodal.",
        nullable=False,
    ),
    _column("Model", "model", TEXT, "The model's Hub id (after any rename).", nullable=False),
    _column(
        "fullname",
        "full_name",
        TEXT,
        "The model's Hub id, 'org/name' (same as Model; kept for existing scripts).",
        nullable=False,
        hidden=True,
    ),
]
_TAIL = [
    _column(
        "Type",
        "type",
        TEXT,
        "Model type as declared by the submitter.",
        nullable=False,
        hidden=True,
    ),
    _column(
        "Architecture",
        "architecture",
        TEXT,
        "Architectures from the model's config.json.",
        hidden=True,
    ),
    _column(
        "Weight type",
        "weight_type",
        TEXT,
        "Original, Adapter or Delta.",
        nullable=False,
        hidden=True,
    ),
    _column(
        "Precision",
        "precision",
        TEXT,
        "Precision of the evaluation: float16, bfloat16, 8bit, 4bit, gptq.",
        nullable=False,
    ),
    _column(
        "Merged",
        "merged",
        BOOLEAN,
        "A merge (declared type, or tags of the card).",
        nullable=False,
        hidden=True,
    ),
    _column("Hub License", "license", TEXT, "License from the model card.", hidden=True),
    _column(
        "#Params (B)",
        "params",
        NUMBER,
        "Parameters in billions, from the safetensors metadata.",
        group="hub",
    ),
    _column(
        "Hub ❤️",
        "likes",
        INTEGER,
        "Likes on the Hub when the model was evaluated.",
        group="hub",
        hidden=True,
    ),
    _column(
        "Available on the hub",
        "available",
        BOOLEAN,
        "Whether the Hub still had the model at evaluation time.",
        group="hub",
        nullable=False,
        hidden=True,
    ),
    _column(
        "Model sha", "sha", TEXT, "The evaluated commit (40 hex).", nullable=False, hidden=True
    ),
    _column(
        "Flagged",
        "flagged",
        BOOLEAN,
        "Flagged by maintainers or automatically (undeclared merge).",
        group="curation",
        nullable=False,
        hidden=True,
    ),
    _column(
        "MoE",
        "moe",
        BOOLEAN,
        "Mixture of experts, from the card's tags.",
        nullable=False,
        hidden=True,
    ),
    _column(
        "Submission Date",
        "submitted",
        DATE,
        "When the request was submitted (UTC).",
        nullable=False,
        hidden=True,
    ),
    _column(
        "Upload To Hub Date",
        "uploaded",
        DATE,
        "When the model repository was created on the Hub.",
        group="hub",
        hidden=True,
    ),
    _column(
        "Chat Template",
        "chat",
        BOOLEAN,
        "Evaluated with the tokenizer's chat template.",
        nullable=False,
        hidden=True,
    ),
    _column(
        "Maintainer's Highlight",
        "highlight",
        BOOLEAN,
        "The organisation is on the maintainer's choice list.",
        group="curation",
        nullable=False,
        hidden=True,
    ),
    _column(
        "Official Providers",
        "official_providers",
        BOOLEAN,
        "The same as Maintainer's Highlight, under the Hugging Face leaderboard's later name.",
        group="curation",
        nullable=False,
        hidden=True,
    ),
    _column(
        "Generation",
        "generation",
        INTEGER,
        "0 for a model without a base model, else one more than its base.",
        hidden=True,
    ),
    _column(
        "Base Model",
        "base_model",
        TEXT,
        "The base model (the model itself when it has none).",
        hidden=True,
    ),
    _column(
        "CO₂ cost (kg)",
        "co2",
        NUMBER,
        "Estimate: the run's GPUs (count × board power of the recorded model) × evaluation "
        "hours × 0.2698 kg/kWh; empty for a CPU run or a GPU without a published power figure.",
        hidden=True,
        unit="kg",
        digits=CO2_DIGITS,
    ),
    # Our additions: what the Hugging Face table could not say.
    _column(
        "Flag category",
        "flag_category",
        TEXT,
        "Why the row is flagged.",
        group="curation",
        hidden=True,
    ),
    _column(
        "Flag discussion",
        "flag_discussion",
        TEXT,
        "Link to the discussion of the flag.",
        group="curation",
        hidden=True,
    ),
    _column(
        "Aliases",
        "aliases",
        TEXT,
        "Former names of the model (renames), comma-separated.",
        group="curation",
        hidden=True,
    ),
    _column(
        "Size class",
        "size_class",
        TEXT,
        _size_classes(),
        hidden=True,
    ),
    _column(
        "Rank in type",
        "rank_in_type",
        INTEGER,
        "Rank by average among unflagged rows of the same type.",
        hidden=True,
    ),
    _column(
        "Rank in size class",
        "rank_in_size",
        INTEGER,
        "Rank by average among unflagged rows of the same size class.",
        hidden=True,
    ),
    _column(
        "Submitter",
        "submitter",
        TEXT,
        "GitHub login of the submitter.",
        group="provenance",
        nullable=False,
        hidden=True,
    ),
    _column(
        "Request file",
        "request_file",
        TEXT,
        "Path of the request file in the repository.",
        group="provenance",
        nullable=False,
        hidden=True,
    ),
    _column(
        "Result file",
        "result_file",
        TEXT,
        "Path of the result file in the repository.",
        group="provenance",
        nullable=False,
        hidden=True,
    ),
    _column(
        "Attempt",
        "attempt",
        INTEGER,
        "Which attempt produced the result.",
        group="provenance",
        nullable=False,
        hidden=True,
    ),
    _column(
        "Suite", "suite", TEXT, "Benchmark suite.", group="provenance", nullable=False, hidden=True
    ),
    _column(
        "Suite version",
        "suite_version",
        TEXT,
        "Version of the suite definition.",
        group="provenance",
        hidden=True,
    ),
    _column(
        "lm-eval version",
        "lm_eval_version",
        TEXT,
        "lm-evaluation-harness version used.",
        group="provenance",
        hidden=True,
    ),
    _column(
        "Evaluated at",
        "evaluated_at",
        DATE,
        "When the evaluation finished (UTC).",
        group="provenance",
        hidden=True,
    ),
    _column(
        "Reproduce",
        "reproduce",
        TEXT,
        "The plain lm_eval command that reproduces the result.",
        group="provenance",
        hidden=True,
    ),
    _column(
        "Device",
        "device",
        TEXT,
        "The torch device the evaluation ran on.",
        group="provenance",
        hidden=True,
    ),
    _column(
        "Batch size",
        "batch_size",
        TEXT,
        "The batch size the evaluation ran with.",
        group="provenance",
        hidden=True,
    ),
    _column(
        "Details",
        "details",
        TEXT,
        "Where the per-sample outputs are.",
        group="provenance",
        hidden=True,
    ),
    _column(
        "Hardware",
        "hardware",
        TEXT,
        "The accelerator the evaluation ran on, with its count (e.g. 8x NVIDIA H100 80GB HBM3).",
        group="provenance",
        hidden=True,
    ),
    _column(
        "Runner pool",
        "pool",
        TEXT,
        "The runner pool the plan chose (curation/settings.yaml's runner_pools).",
        group="provenance",
        hidden=True,
    ),
    _column(
        "Parallelism",
        "parallelism",
        TEXT,
        "single: the model ran on one GPU; model: it was split across the pool's GPUs.",
        group="provenance",
        hidden=True,
    ),
    _column(
        "Peak GPU memory (GB)",
        "peak_memory",
        NUMBER,
        "The most GPU memory the evaluation held at once, in GB (empty without a GPU).",
        group="provenance",
        hidden=True,
    ),
    _column(
        "Attestation",
        "attestation",
        TEXT,
        "GitHub's page of the signed attestation of the result file and its index entry, made "
        "by this repository's evaluate workflow; empty when not attested.",
        group="provenance",
        hidden=True,
    ),
    _column(
        "Verify",
        "verify",
        TEXT,
        "The `gh attestation verify` command that checks the result file, run in a clone of "
        "the repository; empty when not attested.",
        group="provenance",
        hidden=True,
    ),
]


def columns(suite: Suite) -> list[TableColumn]:
    """The table's columns for a suite, in display order."""
    scores = [
        _column(
            AVERAGE_COLUMN,
            "average",
            NUMBER,
            "Mean of the normalized benchmark scores.",
            group="score",
            digits=SCORE_DIGITS,
        )
    ]
    for bench in suite.benchmarks:
        desc = bench.description or f"{bench.column}, normalized (0–100)."
        scores.append(_column(bench.column, None, NUMBER, desc, group="score", digits=SCORE_DIGITS))
    for bench in suite.benchmarks:
        scores.append(
            _column(
                bench.raw_column,
                None,
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
            "band",
            INTEGER,
            "Rank band: rows whose averages are within noise of the band's top row (overlapping "
            "95% intervals) share it; empty for flagged rows and rows without a standard error.",
        )
    )
    errors: list[TableColumn] = []
    for bench in suite.benchmarks:
        for name, scale in ((bench.column, "normalized"), (bench.raw_column, "raw")):
            errors.append(
                _column(
                    name + SE_SUFFIX,
                    None,
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
            "average_se",
            NUMBER,
            "Standard error of the average, combining the benchmarks' as independent errors.",
            group="stderr",
            hidden=True,
        )
    )
    return [*_HEAD, *scores, *_TAIL, *errors]


def _tuple_of(make: Callable[..., Any], names: Sequence[Any]) -> Callable[[Any], tuple[Any, ...]]:
    """``attrgetter``/``itemgetter`` of ``names`` that always returns a tuple."""
    if not names:
        return lambda _: ()
    get = make(*names)
    return get if len(names) > 1 else lambda x: (get(x),)


def cells(rows: Sequence[Row], cols: Sequence[TableColumn]) -> list[tuple[Cell, ...]]:
    """Each row's values of ``cols``, in order (None for a suite column a row lacks). Every
    export reads every cell of every row: the keyed attributes and the suite's scores are each
    read in one C call, then put in column order in a third."""
    keyed = [c for c in cols if c.key is not None]
    named = [c.name for c in cols if c.key is None]
    attrs = _tuple_of(attrgetter, [c.key for c in keyed])
    scores = _tuple_of(itemgetter, named)
    at = {id(c): i for i, c in enumerate(keyed)}
    at.update({id(c): len(keyed) + i for i, c in enumerate(c for c in cols if c.key is None)})
    order = _tuple_of(itemgetter, [at[id(c)] for c in cols])
    out = []
    for row in rows:
        try:
            found = scores(row.scores)
        except KeyError:
            found = tuple(row.scores.get(n) for n in named)
        out.append(order(attrs(row) + found))
    return out


def records(rows: Sequence[Row], cols: Sequence[TableColumn]) -> list[dict[str, Cell]]:
    """Each row as a mapping of the columns' names to its values, in column order (what
    ``contents.json`` holds)."""
    names = [c.name for c in cols]
    return [dict(zip(names, values, strict=True)) for values in cells(rows, cols)]
