"""No test, fixture or benchmark depends on today's date.

A fixed day in a test turns into "in the future" (until noon, for a fixed ``T12:00:00Z``) or
"too old" as the calendar moves, so every date in Python test code, the synthetic data and
the benchmarks comes from the clock (``utcnow()``, ``lbtest.days_ago``) or from one frozen
``now`` that the code under test is given too. The hostile corpus's YAML files are parser
inputs, read and refused without a clock, and are not scanned.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCANNED = [
    *sorted((ROOT / "tests").rglob("*.py")),
    # The stand-ins of the workflow rehearsals: Python scripts without the suffix.
    *sorted(
        p for p in (ROOT / "tests" / "workflows" / "standins" / "bin").iterdir() if p.is_file()
    ),
    *sorted((ROOT / "scripts" / "leaderboard" / "devtools").rglob("*.py")),
]
#: An ISO timestamp or a datetime built from a literal year.
FIXED = re.compile(r"\b20\d\d-\d\d-\d\d[T ]\d\d:\d\d|datetime\(\s*\d{4}\s*,")


def test_no_fixed_dates_in_tests_fixtures_or_benchmarks() -> None:
    found = []
    for path in SCANNED:
        if path == Path(__file__):
            continue
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if FIXED.search(line):
                found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not found, "dates must come from the clock:\n" + "\n".join(found)
