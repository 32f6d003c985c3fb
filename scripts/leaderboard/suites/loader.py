"""Suites: which lm-eval tasks a leaderboard runs and how their metrics become its columns.

A suite is data in the package, ``suites/builtin/<name>/suite.yaml`` (the ``Suite`` model in
``core.models.suite``), next to any task YAML templates and JSONL data it bundles. Its version is
recorded in every result, so a change in scoring is never silently mixed with older rows.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from ..core.errors import LeaderboardError, UnknownSuite
from ..core.models import Suite
from ..store.yaml_strict import read_model

SUITES_DIR = Path(__file__).with_name("builtin")
#: Placeholder in bundled task YAMLs for the suite's absolute folder (see ``harness``).
SUITE_DIR_PLACEHOLDER = "@SUITE_DIR@"


def suite_names() -> list[str]:
    """Names of the suites shipped in the package, sorted."""
    return sorted(p.parent.name for p in SUITES_DIR.glob("*/suite.yaml"))


def suite_dir(name: str) -> Path:
    """The folder of a suite's files (absolute)."""
    folder = SUITES_DIR / name
    if name not in suite_names():
        raise UnknownSuite(f"unknown suite {name!r}; the package has: {', '.join(suite_names())}")
    return folder.resolve()


def load_suite(name: str) -> Suite:
    """Read and validate ``suites/builtin/<name>/suite.yaml``; errors name file, line and field."""
    return _load(name).model_copy(deep=True)


@cache
def _load(name: str) -> Suite:
    folder = suite_dir(name)
    suite = read_model(Suite, folder / "suite.yaml", f"suites/builtin/{name}/suite.yaml")
    if suite.name != name:
        raise LeaderboardError(f"suites/builtin/{name}/suite.yaml says its name is {suite.name!r}")
    return suite
