"""`leaderboard demo --suite`: a resumed demo keeps its suite, and a real suite's tiny scores
come with a word that they are near chance. (The full run on the `leaderboard` suite takes
minutes; the suite's own path is tested in tests/runner/test_runner_leaderboard_suite.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from leaderboard.core.errors import DemoError
from leaderboard.devtools.demo.context import DemoRun, Reporter
from leaderboard.devtools.demo.suite_step import check_suite, closing_note


def test_a_resumed_demo_keeps_its_suite(tmp_path: Path) -> None:
    ctx = DemoRun(dir=tmp_path, env={}, out=Reporter(tmp_path / "demo.log"), state={})
    check_suite(ctx, "leaderboard")
    assert ctx.state["suite"] == "leaderboard"
    check_suite(ctx, "leaderboard")
    with pytest.raises(DemoError, match="--fresh"):
        check_suite(ctx, "demo")


def test_only_a_real_suite_gets_the_near_chance_note() -> None:
    assert closing_note("demo") is None
    note = closing_note("leaderboard")
    assert note is not None and "near chance" in note and "`leaderboard` suite" in note
