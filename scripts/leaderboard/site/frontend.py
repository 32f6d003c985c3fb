"""What the browser's modules know of the table, written by the build into ``data/table.json``'s
``meta`` (``docs/assets/leaderboard/``; ``tests/site/test_site_frontend.py`` checks that
no module spells a column name, and that every name a module reads is in the registry).

The column registry (``table/columns.py``) says each column's public name, kind, group and
default visibility, and its ``key``: the ``Row`` attribute, which is also the name the modules
read it by (``names.model``). ``meta.names`` is that mapping, generated here, so a renamed
column reaches the page under its new name and no module spells one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..core.errors import LeaderboardError
from ..core.models import Suite, TableColumn
from ..core.sizes import SIZE_CLASSES
from ..suites.uncertainty import AVERAGE_SE, SE_SUFFIX
from ..table.columns import AVERAGE_COLUMN

#: Columns the front end never reads: the site's table leaves out this twin of ``highlight``.
_UNREAD = {"official_providers"}
#: The key of a keyed column's standard error: ``average`` → ``average_se``.
_SE_KEY = "_se"


def names(columns: Sequence[TableColumn]) -> dict[str, str]:
    """``key → public name`` of each column the front end reads by name, in the registry's
    order, each followed by its standard error's."""
    by_key = {c.key: c.name for c in columns if c.key is not None and c.key not in _UNREAD}
    out: dict[str, str] = {}
    for key, name in by_key.items():
        if key.endswith(_SE_KEY) and key.removesuffix(_SE_KEY) in by_key:
            continue  # after its value's column
        out[key] = name
        if key + _SE_KEY in by_key:
            out[key + _SE_KEY] = by_key[key + _SE_KEY]
    return out


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


def frontend_meta(suite: Suite, columns: Sequence[TableColumn]) -> dict[str, Any]:
    """``names`` (see :func:`names`), each score column's standard-error twin (``se``) and each
    benchmark's raw twin (``raw``), the size classes, the comparison's provenance rows, and where
    each model's JSON file is."""
    known = names(columns)
    raw = {b.column: b.raw_column for b in suite.benchmarks}
    se = {AVERAGE_COLUMN: AVERAGE_SE}
    for b in suite.benchmarks:
        se[b.column] = b.column + SE_SUFFIX
        se[b.raw_column] = b.raw_column + SE_SUFFIX
    missing = [k for k in COMPARE if k not in known]
    unknown = sorted({*raw.values(), *se, *se.values()} - {c.name for c in columns})
    if missing or unknown:
        raise LeaderboardError(
            "the site's front end reads columns the table does not have: "
            f"{', '.join(missing + unknown)} (table/columns.py declares the columns)"
        )
    return {
        "names": known,
        "se": se,
        "raw": raw,
        "size_classes": size_classes(),
        "compare": [known[k] for k in COMPARE],
        "model_json": MODEL_JSON,
    }
