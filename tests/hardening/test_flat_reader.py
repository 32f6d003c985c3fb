"""``store.yaml_flat`` gives PyYAML's answer or none: never a value PyYAML would not build.

The bulk readers (queue, table, site) read every request through it, so an entry it typed
differently from PyYAML (``attempts: 0x10``, ``on: …``, a date, a duplicate key, a value folded
over lines) would put a request in another state than the one validation and the runner see.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaderboard.core.models import Request, utcnow
from leaderboard.store.yaml_flat import load_flat
from leaderboard.store.yaml_strict import dump_yaml
from tests.lbtest import iso_days_ago, request_fields

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: Today by the clock, at a time of day that does not move: parametrized ids contain it, and
#: every xdist worker must collect the same ids (it collects at its own moment).
NOW = utcnow().replace(hour=12, minute=34, second=56, microsecond=0)
REQUEST = request_fields(
    submitted_at=iso_days_ago(3),
    status="FAILED",
    attempts=2,
    runner="gpu-runner-1",
    started_at=iso_days_ago(2),
    finished_at=iso_days_ago(1),
    failure_reason="out of memory",
    failure_category="model",
)


def _pyyaml(data: bytes) -> tuple[bool, Any]:
    try:
        return True, yaml.load(data, Loader=_Loader)
    except (yaml.YAMLError, ValueError, OverflowError):
        return False, None


def _agrees(data: bytes) -> Any:
    """The reader's answer, checked against PyYAML's; returns it."""
    got = load_flat(data)
    if got is not None:
        ok, want = _pyyaml(data)
        assert ok, f"PyYAML refuses what the flat reader read as {got!r}"
        assert got == want
        assert [type(v) for v in got.values()] == [type(v) for v in want.values()]
    return got


def _request(**fields: Any) -> bytes:
    return dump_yaml(Request.model_validate({**REQUEST, **fields})).encode()


def test_what_the_project_writes_is_read_without_pyyaml() -> None:
    """The control: the fast path is taken for files as ``dump_yaml`` writes them, including
    a reason with quotes and colons, an empty list and non-ASCII text."""
    for data in (
        _request(),
        _request(failure_reason="it's: 'quoted' # not a comment"),
        _request(failure_reason="Überlauf — 内存不足", submitter="bob-2"),
        _request(status="PENDING", failure_reason=None, failure_category=None, attempts=0),
    ):
        got = _agrees(data)
        assert got is not None, data.decode()
        assert Request.model_validate(got) == Request.model_validate(yaml.safe_load(data))


@pytest.mark.parametrize(
    "value",
    # Plain scalars that PyYAML 1.1 types: numbers (octal, hex, underscores, sexagesimal),
    # booleans, nulls, dates, times, floats, and the `=` value key it cannot construct.
    ["1", "0123", "0x1f", "1_000", "0b101", "190:20:30", "-7", "+3", "1.5", "1e3", "1.0e+3",
     ".inf", "-.Inf", ".nan", "~", "null", "Null", "yes", "No", "on", "OFF", "true", "y",
     f"{NOW:%Y-%m-%d}", f"{NOW:%Y-%m-%dT%H:%M:%SZ}", f"{NOW:%Y-%m-%d %H:%M:%S}.5 +02:00",
     f"{NOW.year}-13-45", "=",
     "0x_", "1__0", "text", "two words", "a,b", "a(b)", "@x", "a=b", "9" * 400],
)  # fmt: skip
def test_a_plain_value_is_typed_as_pyyaml_types_it(value: str) -> None:
    data = f"status: PENDING\nattempts: {value}\n".encode()
    ok, _ = _pyyaml(data)
    assert (_agrees(data) is not None) is ok  # read when PyYAML reads it, else left to PyYAML


@pytest.mark.parametrize(
    "text",
    [
        "on: x\n",  # a key YAML reads as True
        "null: x\n",
        "a: 1\na: 2\n",  # a duplicate: PyYAML keeps the last, the strict reader refuses it
        "a: 1\n---\nb: 2\n",  # two documents
        "a: 1\n...\nb: 2\n",  # a document end, then no start
        "%YAML 1.1\n---\na: 1\n",
        "# comment\na: 1\n",
        "a: 1\n# comment\nb: 2\n",
        "a: 1 # comment\n",
        "a: 'open\nb: close'\n",  # a quoted value still open at the next key
        'a: "open\nb: close"\n',
        "a: [1,\nb: 2]\n",
        "a:\tb\n",
        "a: 1\r\nb: 2\r\n",
        "a: 1\x85b: 2\n",
        "a: 1\u2028b: 2\n",
        "\ufeffa: 1\n",
        "a: \x07\n",
        "a: 'x\x85y'\n",  # inside quotes: a line break PyYAML folds, a character it refuses…
        "a: 'x\u2028y'\n",
        "a: 'x\ry'\n",
        "a: 'x\x07y'\n",
        "a: 'x\ufeffy'\n",
        "a: 'x\ty'\n",
        "a: &x 1\nb: *x\n",  # an alias across entries: PyYAML resolves it, an entry alone cannot
        "a: !!str 1\n",
        "a: x\n  y\n",  # a plain value folded over lines
        "a: 'x\n\n  y'\n",
        "a: |\n  one\n  two\n",
        "a: >-\n  one\n  two\n",
        "a:\n- 1\n- 2\nb: 3\n",  # an indentless list
        "a:\n  b: 1\n  c: [2, 3]\n",
        "a: {b: 1}\n",
        "a: x\n- 1\n",
        "a: 1\nb x\n",
        "a : 1\n",
        "a:1\n",
        "? a\n: 1\n",
        "<<: {a: 1}\n",
        "A: 1\n",
        "a:  two spaces\n",
        "a: trailing \n",
        "a: ''''\n",
        "a: 'it''s'\n",
        "a: ''\n",
        "a:\n",
        "a: \n",
        "a: []\nb: {}\n",
        "a: 1",
        "\n",
        "",
        "- 1\n",
        "just text\n",
        f"{'k' * 70}: 1\n",
        f"{'k' * 1100}: 1\n",
        "a: 1\n\nb: 2\n",
    ],
)
def test_each_edge_gets_pyyamls_answer_or_none(text: str) -> None:
    _agrees(text.encode("utf-8", "surrogatepass"))


def test_files_pyyaml_refuses_are_left_to_pyyaml() -> None:
    for text in ("a: 'open\nb: close'\n", "a: 1\n...\nb: 2\n", "a: [1,\nb: 2]\n", "a: =\n"):
        assert load_flat(text.encode()) is None


def test_duplicates_and_typed_keys_are_left_to_pyyaml() -> None:
    assert load_flat(b"a: 1\na: 2\n") is None
    assert load_flat(b"on: 1\n") is None
    assert load_flat(b"a: 1\non: 2\n") is None


def test_entries_pyyaml_must_read_are_read_by_pyyaml() -> None:
    day = f"{NOW:%Y-%m-%d}"
    got = _agrees(f"a: x\n  y\nb:\n- 1\n- at: {day}\nc: 'it''s'\nd: 0x10\n".encode())
    assert got == {"a": "x y", "b": [1, {"at": NOW.date()}], "c": "it's", "d": 16}


FIELDS = [*Request.model_fields, "on", "yes", "a", "<<", ""]
EDGY = st.sampled_from(
    ["&a", "*a", "!!str", "---", "...", "%YAML 1.1", "? ", ": ", "- ", "#", " #", "[", "]", "{",
     "}", "'", "''", '"', "|", ">", "\t", "\r", "\x85", "\ufeff", "\u2028", "\n", "\n  ", "\n- ",
     "0x1f", "0123", "1_0", ".nan", "~", "yes", "on", f"{NOW:%Y-%m-%d}", "12:30", "="]
)  # fmt: skip
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.sampled_from(["PENDING", "0123", "1e3", "yes", "on", "~", "a: b", "x #y", "it's"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=6,
)


@st.composite
def near_requests(draw: st.DrawFn) -> bytes:
    """A request dumped by PyYAML (sometimes wide values, sometimes narrow), then edited."""
    doc: dict[str, Any] = dict(REQUEST)
    for key in draw(st.lists(st.sampled_from(FIELDS), max_size=4)):
        doc[key] = draw(values)
    text = yaml.safe_dump(
        doc,
        sort_keys=False,
        allow_unicode=draw(st.booleans()),
        width=draw(st.sampled_from([20, 100])),
        default_flow_style=draw(st.sampled_from([False, None])),
    )
    lines = text.splitlines(keepends=True)
    for _ in range(draw(st.integers(0, 4))):
        i = draw(st.integers(0, len(lines)))
        edit = draw(st.sampled_from(["duplicate", "delete", "insert", "indent", "append"]))
        if edit == "insert" or i == len(lines):
            lines.insert(i, draw(EDGY) + draw(st.text(max_size=8)) + "\n")
        elif edit == "duplicate":
            lines.insert(i, lines[i])
        elif edit == "delete":
            del lines[i]
        elif edit == "indent":
            lines[i] = "  " + lines[i]
        else:
            lines[i] = lines[i].rstrip("\n") + draw(EDGY) + draw(st.text(max_size=8)) + "\n"
    return "".join(lines).encode("utf-8", "surrogatepass")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(near_requests())
def test_near_requests_get_pyyamls_answer_or_none(data: bytes) -> None:
    _agrees(data)
