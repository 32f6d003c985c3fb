"""The Python search against the shared cases (the browser runs the same file)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from leaderboard.table import search

CASES = json.loads((Path(__file__).parent / "search_cases.json").read_text("utf-8"))


@pytest.mark.parametrize("case", CASES["cases"], ids=lambda c: repr(c["query"]))
def test_shared_case(case: dict) -> None:
    query = search.parse(case["query"])
    found = [
        r["fullname"]
        for r in CASES["rows"]
        if search.matches(query, search.row_names(r["fullname"], r["Aliases"]), r["Hub License"])
    ]
    assert found == case["expect"]


def test_parse_splits_kinds() -> None:
    q = search.parse("Llama ; Hub License: MIT;;x")
    assert q.names == ["llama", "x"]
    assert q.licenses == ["mit"]
