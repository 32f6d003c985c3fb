"""The downloadable data: ``contents`` as JSON, CSV and Parquet, with a JSON Schema, and the
compact files the site's pages read.

Everything here returns bytes, so the MkDocs hook can hand the files to MkDocs as generated
files (never written under ``docs/``, never committed) and ``leaderboard table`` can print them.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import orjson

from ..core.models import Cell, ColumnKind, Row, TableColumn
from .columns import cells, records

if TYPE_CHECKING:
    import pyarrow as pa

Columns = Sequence[TableColumn]

_JSON_TYPES = {
    ColumnKind.text: "string",
    ColumnKind.number: "number",
    ColumnKind.integer: "integer",
    ColumnKind.boolean: "boolean",
    ColumnKind.date: "string",
}


def _dumps(value: object) -> bytes:
    """Compact UTF-8 JSON. orjson, because the standard library's encoder was a large share of
    ``leaderboard table --format json`` (``docs/performance.md``); like ``allow_nan=False``, it
    never writes ``NaN`` (it writes ``null``: a row's scores are finite, or absent)."""
    return orjson.dumps(value)


def contents_json(rows: Sequence[Row], cols: Columns) -> bytes:
    """A list of records, one per row, keys in column order (``pandas.read_json`` reads it)."""
    return _dumps(records(rows, cols))


#: What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Cell) -> Cell:
    """A cell a spreadsheet shows as text: one that could start a formula gets a leading
    ``'``. Numbers stay numbers (a negative score is not text); JSON and Parquet stay exact."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def contents_csv(rows: Sequence[Row], cols: Columns) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    names = [c.name for c in cols]
    writer.writerow([csv_cell(n) for n in names])
    # Only text can start a formula: a number or a boolean skips the check (680,000 cells at
    # 10,000 rows), a string in any column does not.
    text = [c.kind in (ColumnKind.text, ColumnKind.date) for c in cols]
    for values in cells(rows, cols):
        # csv writes None as an empty cell, as csv_cell does.
        writer.writerow(
            [
                csv_cell(v) if is_text or isinstance(v, str) else v
                for v, is_text in zip(values, text, strict=True)
            ]
        )
    return buf.getvalue().encode()


#: Kinds whose values pyarrow reads as it infers them, then casts (see contents_parquet).
_CAST = (ColumnKind.integer, ColumnKind.date)


def arrow_schema(cols: Columns) -> pa.Schema:
    """The Parquet file's schema: each column's exact Arrow type, from its kind."""
    import pyarrow as pa

    types = {
        ColumnKind.text: pa.string(),
        ColumnKind.number: pa.float64(),
        ColumnKind.integer: pa.int64(),
        ColumnKind.boolean: pa.bool_(),
        ColumnKind.date: pa.timestamp("us", tz="UTC"),
    }
    return pa.schema([pa.field(c.name, types[c.kind], nullable=c.nullable) for c in cols])


def contents_parquet(rows: Sequence[Row], cols: Columns) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema(cols)
    # Column by column, transposed in C. Integers and dates are read as pyarrow infers them,
    # then cast: a safe cast refuses 2.5 as an integer and a date that is not ISO 8601, where
    # pa.array(type=int64) would cut 2.5 to 2.
    columns = list(zip(*cells(rows, cols), strict=True)) or [()] * len(cols)
    arrays = [
        pa.array(v).cast(f.type) if c.kind in _CAST else pa.array(v, type=f.type)
        for c, f, v in zip(cols, schema, columns, strict=True)
    ]
    buf = io.BytesIO()
    pq.write_table(pa.Table.from_arrays(arrays, schema=schema), buf, compression="zstd")
    return buf.getvalue()


def contents_schema(cols: Columns, title: str) -> bytes:
    """JSON Schema (2020-12) of ``contents.json``: an array of rows."""
    props: dict[str, Any] = {}
    for c in cols:
        kind = _JSON_TYPES[c.kind]
        prop: dict[str, Any] = {"type": [kind, "null"] if c.nullable else kind}
        if c.kind is ColumnKind.date:
            prop["format"] = "date-time"
        prop["description"] = c.description
        props[c.name] = prop
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "contents.schema.json",
        "title": f"{title}: contents",
        "description": "One row per evaluated model, precision, commit and chat-template setting.",
        "type": "array",
        "items": {
            "type": "object",
            "properties": props,
            "required": [c.name for c in cols],
            "additionalProperties": False,
        },
    }
    return json.dumps(schema, ensure_ascii=False, indent=2).encode()


def provenance_columns(cols: Columns) -> list[TableColumn]:
    """Columns the interactive table never shows; the model page reads them from
    ``provenance.json`` so that the table's own file stays small (they are the longest strings
    of a row)."""
    return [c for c in cols if c.group == "provenance"]


#: Not in the site's table file either: ``fullname`` repeats ``Model`` there, ``Official
#: Providers`` repeats ``Maintainer's Highlight`` (the downloads keep both, for scripts that
#: read either).
_SITE_SKIP = {"full_name", "official_providers"}
#: Digits kept in the site's table file: two more than it displays, so sorting is unchanged in
#: practice while the file is a third smaller (the downloads keep full precision).
_SITE_DIGITS = {"score": 4, "raw": 6, "stderr": 6}


def site_table(rows: Sequence[Row], cols: Columns, meta: dict[str, Any]) -> bytes:
    """The interactive table's file: column descriptions once, then rows as arrays."""
    hidden = {id(c) for c in provenance_columns(cols)}
    shown = [c for c in cols if c.key not in _SITE_SKIP and id(c) not in hidden]
    digits = [_SITE_DIGITS.get(c.group) if c.kind is ColumnKind.number else None for c in shown]
    out = []
    for row in cells(rows, shown):
        values = list(row)
        for i, d in enumerate(digits):
            value = values[i]
            if d is not None and isinstance(value, float | int):
                values[i] = round(value, d)
        out.append(values)
    return _dumps(
        {"meta": meta, "columns": [c.model_dump(mode="json") for c in shown], "rows": out}
    )


def site_provenance(rows: Sequence[Row], cols: Columns) -> bytes:
    """``eval_name → provenance fields``, read only by the model page."""
    shown = provenance_columns(cols)
    return _dumps(
        {
            "columns": [c.name for c in shown],
            "rows": {
                r.id: list(values) for r, values in zip(rows, cells(rows, shown), strict=True)
            },
        }
    )
