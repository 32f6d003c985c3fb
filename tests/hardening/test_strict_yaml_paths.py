"""The one strict YAML reader answers alike whether or not it runs its event scan.

``store.yaml_strict.load_yaml`` reads every request and curation file, from a pull request and
from main. It skips the scan of parser events (anchors, aliases, tags, deep flow nesting) for a
text that has no character such a thing needs, and its builder bounds depth and sizes itself;
it remembers what PyYAML's resolver says of short plain scalars. Neither may change an answer:
the same value and lines, or the same problems, as the full scan gives, and for every text it
accepts, PyYAML's own safe loader's value (same parser), typed alike.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaderboard.core.errors import ValidationFailed
from leaderboard.core.models import Request, iso_z, utcnow
from leaderboard.store import yaml_strict
from leaderboard.store.yaml_strict import MAX_DEPTH, MAX_ITEMS, dump_yaml, load_yaml
from tests.lbtest import request_fields

#: PyYAML's safe loader on the parser the reader composes with (libyaml, where built with it).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: Pieces of YAML near the edges: typed plain scalars (numbers, dates, booleans, nulls, YAML
#: 1.1's `=` and `<<`), quotes, flow and block collections, comments, anchors, aliases, tags.
#: A timestamp, from the clock like every date in the tests.
NOW = iso_z(utcnow())
PIECES = st.sampled_from(
    ["a", "status", "on", "yes", "No", "~", "null", "0x1f", "0123", "1_000", "190:20:30", "1e3",
     ".inf", ".NaN", "2026-01-31", NOW, "2026-13-45", "=", "<<", "x y",
     ": ", ":", "- ", "-", "? ", "# c", "'", "''", '"', "\\n", "[", "]", "{", "}", ",", "[]",
     "{}", "&a ", "*a", "!!str ", "!x ", "|", ">", "\n", "\n  ", "\n    ", "\n- ", "\t", "é"]
)  # fmt: skip


def _answer(data: bytes) -> tuple[str, Any]:
    try:
        value, lines = load_yaml("f.yaml", data)
    except ValidationFailed as exc:
        return "refused", [(p.rule, p.line, p.field, p.message) for p in exc.problems]
    return "read", (value, lines)


def _both(data: bytes, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    """The reader's answer as it runs, and with the event scan forced."""
    got = _answer(data)
    with monkeypatch.context() as patch:
        patch.setattr(yaml_strict, "_needs_event_scan", lambda text: True)
        scanned = _answer(data)
    return got, scanned


def _typed(value: Any) -> Any:
    """``value`` with each scalar's type beside it (``1 == True`` must not pass)."""
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return (type(value).__name__, value if value == value else "nan")


def _agrees(data: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    got, scanned = _both(data, monkeypatch)
    if got[0] == "refused" and scanned[0] == "refused":
        # Both refuse; the scan may find its problem first (an anchor before a duplicate key).
        return
    assert got == scanned, data
    if got[0] == "read":
        want = yaml.load(data, Loader=SAFE_LOADER)
        assert _typed(got[1][0]) == _typed(want), data


@SETTINGS
@given(st.lists(PIECES, max_size=40).map("".join))
def test_any_text_near_yaml_gets_one_answer(text: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        _agrees(text.encode(), monkeypatch)


@SETTINGS
@given(st.dictionaries(st.sampled_from(list(Request.model_fields)), st.lists(PIECES, max_size=6)))
def test_a_request_with_edgy_values_gets_one_answer(fields: dict[str, list[str]]) -> None:
    lines = [f"{k}: {v}" for k, v in request_fields().items() if k not in fields]
    lines += [f"{k}: {''.join(v)}" for k, v in fields.items()]
    with pytest.MonkeyPatch.context() as monkeypatch:
        _agrees(("\n".join(lines) + "\n").encode(), monkeypatch)


def test_what_the_project_writes_skips_the_scan_and_reads_as_pyyaml_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The control: the files ``dump_yaml`` writes take the path without the scan."""
    request = Request.model_validate(request_fields(failure_reason=None))
    data = dump_yaml(request).encode()
    assert not yaml_strict._needs_event_scan(data.decode())
    _agrees(data, monkeypatch)
    value, _ = load_yaml("f.yaml", data)
    assert Request.model_validate(value) == request


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # Block nesting needs no bracket, so these skip the scan: the builder must refuse them.
        ("".join(f"{'  ' * i}k{i}:\n" for i in range(MAX_DEPTH + 1)) + "  " * 17 + "v\n",
         f"nesting deeper than {MAX_DEPTH} levels"),
        ("".join(f"- {i}\n" for i in range(MAX_ITEMS + 1)),
         f"more than {MAX_ITEMS:,} entries in one list or mapping"),
        ("".join(f"k{i}: {i}\n" for i in range(MAX_ITEMS + 1)),
         f"more than {MAX_ITEMS:,} entries in one list or mapping"),
    ],
)  # fmt: skip
def test_limits_hold_without_the_scan(text: str, message: str) -> None:
    assert not yaml_strict._needs_event_scan(text)
    with pytest.raises(ValidationFailed) as caught:
        load_yaml("f.yaml", text.encode())
    [problem] = caught.value.problems
    assert problem.message == message
    assert problem.rule == "yaml"
