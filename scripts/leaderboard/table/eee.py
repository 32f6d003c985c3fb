"""Every finished row as an Every Eval Ever record (the EvalEval coalition's shared schema).

One aggregate record (``eval.schema.json``, schema version 0.3.0 of evaleval/every_eval_ever)
per row, named and laid out as their datastore wants it:
``data/<collection>/<developer>/<model>/<uuid>.json``, so that the folder can go into a pull
request to the datastore as it is. Each benchmark column is one result on its normalized scale
(0–100, the leaderboard's own), and its ``… Raw`` twin one on the raw metric (0–1), each with
the standard error lm-eval gave; the average is one more. The record says where the row came
from: this leaderboard, its page for the row, the result file and, where there is one, its
attestation.

Nothing here is random: a record's UUID (version-4 shaped, as their validator checks) and its
timestamps come from the row, so a rebuild writes the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid
import zipfile
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from ..core.models import Benchmark, Row, Settings, Suite
from ..suites.uncertainty import SE_SUFFIX
from .columns import AVERAGE_COLUMN
from .exports import _dumps

#: The schema these records follow (every_eval_ever/schemas/eval.schema.json "version").
SCHEMA_VERSION = "0.3.0"
#: A zip entry's time: a fixed one, so that the same records give the same archive.
_EPOCH = (1980, 1, 1, 0, 0, 0)


def collection(settings: Settings) -> str:
    """The datastore folder of this leaderboard's records: its title, as a slug."""
    return re.sub(r"[^a-z0-9]+", "_", settings.title.lower()).strip("_") or "leaderboard"


def row_url(settings: Settings, eval_name: str) -> str | None:
    """The row's page on the published site."""
    if not settings.site_url:
        return None
    return f"{str(settings.site_url).rstrip('/')}/model/?id={eval_name}"


def _epoch(iso: str | None) -> str | None:
    if not iso:
        return None
    return str(int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()))


def record_uuid(name: str, row: Row) -> str:
    """A stable UUID for the row's record, shaped as version 4 (the datastore's file names)."""
    digest = hashlib.sha256(f"{name}\0{row.id}\0{row.result_file}".encode()).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))


def _average(row: Row) -> tuple[float | None, float | None]:
    return row.average, row.average_se


def _score(column: str) -> Callable[[Row], tuple[float | None, float | None]]:
    se = column + SE_SUFFIX
    return lambda row: (row.scores.get(column), row.scores.get(se))


class Result(NamedTuple):
    """One result every record of a suite holds: the same for every row, so built once per
    export (10,000 records share them)."""

    column: str
    #: The row's value and its standard error.
    read: Callable[[Row], tuple[float | None, float | None]]
    source: dict[str, Any]
    config: dict[str, Any]


def _static(suite: Suite, name: str) -> list[Result]:
    """Every result a record holds: the average, then each benchmark, normalized and raw."""
    out = []
    columns: list[tuple[str, Benchmark | None, bool, str]] = [
        (AVERAGE_COLUMN, None, False, "Mean of the normalized benchmark scores.")
    ]
    for b in suite.benchmarks:
        desc = b.description or b.column
        columns += [(b.column, b, False, desc), (b.raw_column, b, True, desc)]
    for column, bench, raw, description in columns:
        config: dict[str, Any] = {
            "evaluation_description": description,
            "metric_id": f"{name}.{suite.name}.{'raw' if raw else 'normalized'}",
            "metric_name": "raw score" if raw else "normalized score",
            "metric_kind": "accuracy" if raw else "normalized_score",
            "metric_unit": "proportion" if raw else "points",
            "lower_is_better": False,
            "score_type": "continuous",
            "min_score": 0.0,
            "max_score": 1.0 if raw else 100.0,
        }
        if not raw:
            config["additional_details"] = {
                "normalization": "each subtask: max(raw - random baseline, 0) / (1 - random "
                "baseline) x 100, then the unweighted mean of the subtasks (the Open LLM "
                "Leaderboard's)",
            }
        tasks = ", ".join(t.task for t in bench.subtasks) if bench else ", ".join(suite.tasks)
        source = {
            "dataset_name": bench.column if bench else suite.name,
            "source_type": "other",
            "additional_details": {"lm_eval_tasks": tasks, "suite_version": suite.version},
        }
        out.append(Result(column, _score(column) if bench else _average, source, config))
    return out


def _results(row: Row, suite: Suite, static: list[Result]) -> list[dict[str, Any]]:
    when = _epoch(row.evaluated_at)
    out = []
    for column, read, source, config in static:
        value, se = read(row)
        if value is None:
            continue
        details: dict[str, Any] = {"score": float(value)}
        if isinstance(se, int | float):
            details["uncertainty"] = {"standard_error": {"value": float(se), "method": "analytic"}}
        item: dict[str, Any] = {
            "evaluation_result_id": f"{suite.name}/{column}",
            "evaluation_name": column,
            "source_data": source,
        }
        if when:
            item["evaluation_timestamp"] = when
        item["metric_config"] = config
        item["score_details"] = details
        out.append(item)
    return out


def record(
    row: Row, settings: Settings, suite: Suite, static: list[Result] | None = None
) -> dict[str, Any]:
    """One row as an Every Eval Ever aggregate record."""
    name = collection(settings)
    model = row.model
    developer = model.split("/", 1)[0]
    when = _epoch(row.evaluated_at) or "0"
    source_details = {
        "leaderboard": settings.title,
        "request_file": row.request_file,
        "result_file": row.result_file,
        "attempt": str(row.attempt),
        "reproduce": str(row.reproduce or ""),
        "attested": "yes" if row.attestation else "no",
    }
    page = row_url(settings, row.id)
    if page:
        source_details["row_url"] = page
    if row.attestation:
        source_details["attestation"] = row.attestation
        source_details["verify"] = str(row.verify)
    if row.flagged:
        source_details["flagged"] = str(row.flag_category)
    source: dict[str, Any] = {
        "source_name": settings.title,
        "source_type": "evaluation_run",
        "source_organization_name": settings.title,
        "evaluator_relationship": "third_party",
        "additional_details": source_details,
    }
    home = settings.site_url or settings.repo_url
    if home:
        source["source_organization_url"] = str(home)
    model_details = {
        "deployment_type": "self_deployed",
        "model_availability": "open_weights",
        "revision": row.sha,
        "precision": row.precision,
        "chat_template": "true" if row.chat else "false",
        "weight_type": str(row.weight_type),
        "model_type": str(row.type),
    }
    if row.params is not None:
        model_details["params_billions"] = f"{row.params:g}"
    if row.base_model and row.base_model != model:
        model_details["base_model"] = str(row.base_model)
    out: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "evaluation_id": f"{name}/{row.id}/{when}",
        "retrieved_timestamp": when,
        "source_metadata": source,
        "eval_library": {
            "name": "lm_eval",
            "version": str(row.lm_eval_version or "unknown"),
            "additional_details": {
                "suite": suite.name,
                "suite_version": str(row.suite_version),
            },
        },
        "model_info": {
            "name": model,
            "id": model,
            "developer": developer,
            "inference_platform": "huggingface",
            "inference_engine": {"name": "transformers"},
            "additional_details": model_details,
        },
        "evaluation_results": _results(row, suite, static or _static(suite, name)),
    }
    if row.evaluated_at:
        out["evaluation_timestamp"] = when
    return out


def records(rows: Sequence[Row], settings: Settings, suite: Suite) -> dict[str, bytes]:
    """``data/<collection>/<developer>/<model>/<uuid>.json -> record`` for every row."""
    name = collection(settings)
    static = _static(suite, name)
    out = {}
    for row in rows:
        developer, _, model = row.model.partition("/")
        path = f"data/{name}/{developer}/{model}/{record_uuid(name, row)}.json"
        out[path] = _dumps(record(row, settings, suite, static))
    return out


def archive(files: dict[str, bytes]) -> bytes:
    """A zip of ``files`` that depends on nothing but their names and contents."""
    buf = io.BytesIO()
    # Level 1: at 10,000 records level 6 took twice as long for a tenth less size.
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for path in sorted(files):
            info = zipfile.ZipInfo(path, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, files[path], compresslevel=1)
    return buf.getvalue()
