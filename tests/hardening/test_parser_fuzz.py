"""Property: the request parser returns a valid Request or raises ValidationFailed, nothing else.

No KeyError, RecursionError, UnicodeError or PyYAML exception may leak out of
``parse_model(Request, ...)`` whatever the bytes: the validator turns ValidationFailed into a
located comment on the pull request, and anything else into a crash that blames nobody.
"""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaderboard.core.errors import ValidationFailed
from leaderboard.core.models import Request
from leaderboard.store.yaml_strict import parse_model
from tests.lbtest import request_fields

VALID = request_fields()
FIELDS = [*Request.model_fields, "unknown", "<<", ""]
#: Text that lands near the parser's edges: YAML syntax, escapes, look-alikes, controls.
EDGY = st.sampled_from(
    ["&a", "*a", "!!python/object:os.system", "<<", "---", "...", "%YAML 1.1", "? ", ": ", "- ",
     "[", "]", "{", "}", "'", '"', "\\u202e", "\\0", "\ufeff", "\u0430", "\u202e", "\x00", "\t",
     "\r", "\x85", "2026-13-45", "0x_", ".nan", "1e999", "~", "yes", "0123"]
)  # fmt: skip
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(["PENDING", "FAILED", "RUNNING", "Adapter", "acme/base", "bob"]),
    st.datetimes().map(lambda d: d.isoformat()),
)


def _containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)


values = st.recursive(scalars, _containers, max_leaves=12)


def _holds(data: bytes) -> None:
    try:
        request = parse_model(Request, "requests/x.yaml", data)
    except ValidationFailed as exc:
        assert exc.problems, "ValidationFailed without a problem"
        for problem in exc.problems:
            assert problem.path == "requests/x.yaml"
            assert problem.message
            assert problem.line is None or problem.line >= 1
    else:
        assert isinstance(request, Request)
        Request.model_validate(request.model_dump())  # what it returned is itself valid


@SETTINGS
@given(st.binary(max_size=3000))
def test_arbitrary_bytes(data: bytes) -> None:
    _holds(data)


@SETTINGS
@given(st.lists(st.one_of(EDGY, st.text(max_size=20)), max_size=30))
def test_arbitrary_text_near_yaml(pieces: list[str]) -> None:
    _holds("".join(pieces).encode("utf-8", "surrogatepass"))


@st.composite
def mutated_requests(draw: st.DrawFn) -> bytes:
    """A valid request with fields dropped, replaced or added, then edited as text."""
    doc = dict(VALID)
    for key in draw(st.lists(st.sampled_from(list(VALID)), max_size=3)):
        doc.pop(key, None)
    for key in draw(st.lists(st.sampled_from(FIELDS), max_size=3)):
        doc[key] = draw(values)
    text = yaml.safe_dump(doc, sort_keys=draw(st.booleans()), allow_unicode=draw(st.booleans()))
    lines = text.splitlines(keepends=True)
    for _ in range(draw(st.integers(0, 3))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        edit = draw(st.sampled_from(["duplicate", "delete", "insert", "indent"]))
        if edit == "duplicate":
            lines.insert(i, lines[i])
        elif edit == "delete":
            del lines[i]
        elif edit == "insert":
            lines.insert(i, draw(EDGY) + draw(st.text(max_size=10)) + "\n")
        else:
            lines[i] = "  " + lines[i]
    return "".join(lines).encode("utf-8", "surrogatepass")


@SETTINGS
@given(mutated_requests())
def test_mutated_valid_requests(data: bytes) -> None:
    _holds(data)


def test_the_unmutated_request_is_valid() -> None:
    """The control: the property is not met by rejecting everything."""
    request = parse_model(Request, "requests/x.yaml", yaml.safe_dump(VALID).encode())
    assert request.submitter == "alice"
