"""Find the benchmark areas, run them side by side, and present their figures.

An area is any module ``leaderboard_bench.areas.<area>`` (not starting with ``_``)
that defines ``run(quick: bool = False) -> list[BenchFigure]``. Areas import their heavy
dependencies inside ``run``, so discovering them stays cheap, and one area failing (say, torch
missing for the evaluation area) does not hide the figures of the others.
"""

from __future__ import annotations

import importlib
import json
import math
import pkgutil
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rich.table import Table

from leaderboard.core.errors import LeaderboardError
from leaderboard.core.models import BenchFigure, json_ready
from leaderboard.store.files import write_text_atomic

AreaRun = Callable[..., list[BenchFigure]]


def discover() -> dict[str, AreaRun]:
    """Every area, by name, sorted."""
    from leaderboard_bench import areas as bench

    areas: dict[str, AreaRun] = {}
    for info in sorted(pkgutil.iter_modules(bench.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{bench.__name__}.{info.name}")
        run = getattr(module, "run", None)
        if callable(run):
            areas[info.name] = run
    return areas


@dataclass
class BenchRun:
    """What one ``leaderboard bench`` measured, and which areas failed to measure."""

    figures: list[BenchFigure] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


def run_areas(only: Sequence[str] | None = None, quick: bool = False) -> BenchRun:
    """Run the chosen areas (all when ``only`` is empty) one after the other, in one process."""
    areas = discover()
    unknown = sorted(set(only or ()) - set(areas))
    if unknown:
        raise LeaderboardError(
            f"no benchmark area {', '.join(unknown)}; the areas are: {', '.join(areas)}"
        )
    result = BenchRun()
    for name, run in areas.items():
        if only and name not in only:
            continue
        try:
            figures = run(quick=quick)
        except Exception:  # one broken area must not hide the others' figures
            result.errors[name] = traceback.format_exc(limit=-3)
            continue
        result.figures += [BenchFigure.model_validate(f) for f in figures]
    return result


def format_value(value: float) -> str:
    """Three significant digits, thousands separated: 12,300 · 45.6 · 0.0789."""
    if value == 0 or not math.isfinite(value):
        return str(value)
    digits = max(0, 2 - math.floor(math.log10(abs(value))))
    return f"{value:,.{digits}f}"


def table(figures: Sequence[BenchFigure], title: str = "leaderboard bench") -> Table:
    """One table of every figure: the shape the site's Performance page mirrors."""
    out = Table(title=title)
    for name, justify in [
        ("area", "left"),
        ("figure", "left"),
        ("size", "right"),
        ("value", "right"),
        ("unit", "left"),
        ("goal", "left"),
        ("ok", "center"),
    ]:
        out.add_column(name, justify=justify)  # type: ignore[arg-type]
    marks = {True: "[green]yes[/]", False: "[red]NO[/]", None: ""}
    for f in figures:
        size = "" if f.size is None else f"{f.size:,}"
        out.add_row(f.area, f.name, size, format_value(f.value), f.unit, f.goal or "", marks[f.ok])
    return out


def to_json(figures: Sequence[BenchFigure]) -> str:
    """The JSON list of figures (what ``--json`` prints and the site reads)."""
    return json.dumps([json_ready(f) for f in figures], indent=2, ensure_ascii=False) + "\n"


def write_json(figures: Sequence[BenchFigure], file: Path) -> None:
    write_text_atomic(file, to_json(figures))
