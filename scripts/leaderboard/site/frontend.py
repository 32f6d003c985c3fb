"""What the browser's modules know of the table, written by the build into ``data/table.json``'s
``meta`` (``docs/assets/leaderboard/``; ``tests/site/test_site_frontend.py`` checks that
no module spells a column name).

The column registry (``table/columns.py``) says each column's kind, group and default
visibility; the front end also needs to know which column plays which part: the id, the model,
the average, the flag… ``NAMES`` says it once, by the name the modules use (``names.model``),
and ``frontend_meta`` refuses a name the registry lacks, so a renamed column fails the build
instead of leaving the page blank.
"""

from __future__ import annotations

from typing import Any

from ..core.errors import LeaderboardError
from ..core.models import TableColumn
from ..core.sizes import SIZE_CLASSES
from ..suites.uncertainty import SE_SUFFIX
from ..table.bands import AVERAGE_SE, BAND
from ..table.rows import AVERAGE

#: Each column the front end reads by name, under the name it uses for it.
NAMES: dict[str, str] = {
    "id": "eval_name",
    "emoji": "T",
    "model": "Model",
    "full_name": "fullname",
    "average": AVERAGE,
    "average_se": AVERAGE_SE,
    "band": BAND,
    "type": "Type",
    "architecture": "Architecture",
    "weight_type": "Weight type",
    "precision": "Precision",
    "merged": "Merged",
    "license": "Hub License",
    "params": "#Params (B)",
    "likes": "Hub ❤️",
    "available": "Available on the hub",
    "sha": "Model sha",
    "flagged": "Flagged",
    "moe": "MoE",
    "submitted": "Submission Date",
    "uploaded": "Upload To Hub Date",
    "chat": "Chat Template",
    "highlight": "Maintainer's Highlight",
    "generation": "Generation",
    "base_model": "Base Model",
    "co2": "CO₂ cost (kg)",
    "flag_category": "Flag category",
    "flag_discussion": "Flag discussion",
    "aliases": "Aliases",
    "size_class": "Size class",
    "rank_in_type": "Rank in type",
    "rank_in_size": "Rank in size class",
    # In data/provenance.json, which only the model and comparison pages read.
    "submitter": "Submitter",
    "request_file": "Request file",
    "result_file": "Result file",
    "attempt": "Attempt",
    "suite": "Suite",
    "suite_version": "Suite version",
    "lm_eval_version": "lm-eval version",
    "evaluated_at": "Evaluated at",
    "reproduce": "Reproduce",
    "device": "Device",
    "batch_size": "Batch size",
    "details": "Details",
    "hardware": "Hardware",
    "pool": "Runner pool",
    "parallelism": "Parallelism",
    "peak_memory": "Peak GPU memory (GB)",
    "attestation": "Attestation",
    "verify": "Verify",
}

#: Each model's JSON file, every row of it (``table/feed.py``'s ``model_path`` writes them): the
#: model page links it, with ``{model}`` replaced by the model's id.
MODEL_JSON = "data/models/{model}.json"

#: The comparison page's provenance rows, in order.
COMPARE = [
    "precision",
    "sha",
    "chat",
    "band",
    "suite",
    "suite_version",
    "lm_eval_version",
    "evaluated_at",
    "hardware",
    "pool",
    "parallelism",
    "peak_memory",
    "batch_size",
    "submitter",
    "request_file",
    "result_file",
    "attempt",
]


def size_classes() -> list[dict[str, str]]:
    """The size filter's choices, from ``core/sizes.py``'s ``SIZE_CLASSES``: "Edge 0–3B"."""
    out = []
    for name, low, high in SIZE_CLASSES:
        span = f"{low:g}B+" if high == float("inf") else f"{low:g}–{high:g}B"
        out.append({"value": name, "label": f"{name} {span}"})
    return out


def frontend_meta(suite: Any, columns: list[TableColumn]) -> dict[str, Any]:
    """``names`` (the parts above), each score column's standard-error twin (``se``) and each
    benchmark's raw twin (``raw``), the size classes, the comparison's provenance rows, and where
    each model's JSON file is."""
    raw = {b.column: b.raw_column for b in suite.benchmarks}
    se = {AVERAGE: AVERAGE_SE}
    for b in suite.benchmarks:
        se[b.column] = b.column + SE_SUFFIX
        se[b.raw_column] = b.raw_column + SE_SUFFIX
    unknown = sorted(
        {*NAMES.values(), *raw.values(), *se, *se.values()} - {c.name for c in columns}
    )
    if unknown:
        raise LeaderboardError(
            f"the site's front end reads columns the table does not have: {', '.join(unknown)} "
            "(site/frontend.py names them; table/columns.py declares the columns)"
        )
    return {
        "names": dict(NAMES),
        "se": se,
        "raw": raw,
        "size_classes": size_classes(),
        "compare": [NAMES[k] for k in COMPARE],
        "model_json": MODEL_JSON,
    }
