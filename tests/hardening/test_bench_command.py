"""``leaderboard bench``: areas are found, run side by side, and reported as one table or JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from leaderboard.core.models import BenchFigure
from leaderboard_bench import suite as bench_suite


def _bench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "leaderboard", "bench", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def parser_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[dict], Path]:
    out = tmp_path_factory.mktemp("bench") / "bench-figures.json"
    proc = _bench("--area", "parser", "--quick", "--json", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout), out


def test_json_lists_positive_figures(parser_run: tuple[list[dict], Path]) -> None:
    figures, _ = parser_run
    names = [f["name"] for f in figures]
    assert "strict parse (bytes → Request)" in names
    assert any(n.startswith("reject: worst case") for n in names)
    for f in figures:
        figure = BenchFigure.model_validate(f)  # the shape the site reads
        assert figure.area == "parser"
        assert isinstance(f["value"], float) and figure.value > 0, f
        assert figure.unit in ("files/s", "ms")
        assert figure.goal and figure.ok is not None
        assert figure.size and figure.size > 0


def test_out_writes_the_same_list(parser_run: tuple[list[dict], Path]) -> None:
    figures, out = parser_run
    written = json.loads(out.read_text("utf-8"))
    assert [f["name"] for f in written] == [f["name"] for f in figures]


def test_areas_are_discovered_by_their_run_function() -> None:
    areas = bench_suite.discover()
    assert "parser" in areas
    assert not any(name.startswith("_") for name in areas)


def test_unknown_area_is_a_usage_error() -> None:
    proc = _bench("--area", "no-such-area", "--quick")
    assert proc.returncode == 2
    assert "no benchmark area no-such-area" in proc.stderr
    assert "parser" in proc.stderr  # names the areas there are


def test_a_failing_area_does_not_hide_the_others(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_area_double(quick: bool = False) -> list[BenchFigure]:
        raise RuntimeError("the GPU caught fire")

    def one_figure(quick: bool = False) -> list[BenchFigure]:
        return [BenchFigure(area="fine", name="x", value=1.0, unit="s")]

    monkeypatch.setattr(
        bench_suite, "discover", lambda: {"broken": broken_area_double, "fine": one_figure}
    )
    result = bench_suite.run_areas(quick=True)
    assert [f.area for f in result.figures] == ["fine"]
    assert "the GPU caught fire" in result.errors["broken"]


def test_table_has_one_row_per_figure() -> None:
    figures = [
        BenchFigure(
            area="a", name="fast", size=1000, value=12345.678, unit="files/s", goal="> 1", ok=True
        ),
        BenchFigure(area="b", name="slow", value=0.01234, unit="ms", goal="< 0.001 ms", ok=False),
    ]
    table = bench_suite.table(figures)
    assert [c.header for c in table.columns] == [
        "area",
        "figure",
        "size",
        "value",
        "unit",
        "goal",
        "ok",
    ]
    assert table.row_count == 2
    assert list(table.columns[3].cells) == ["12,346", "0.0123"]
    assert list(table.columns[2].cells) == ["1,000", ""]


def test_without_the_benchmarks_the_command_says_where_they_are(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An installed wheel has no ``leaderboard_bench``: the command says so, without a trace."""
    from leaderboard.cli.main import main

    monkeypatch.setitem(sys.modules, "leaderboard_bench", None)  # importing it now fails
    assert main(["bench", "--area", "parser"]) != 0
    err = capsys.readouterr().err
    assert "the benchmarks are not installed" in err
    assert "bash scripts/dev.sh setup" in err
    assert "Traceback" not in err
