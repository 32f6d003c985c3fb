"""Suites: which lm-eval tasks a leaderboard runs and how their metrics become its columns.

A suite is data: ``suites/<name>/suite.yaml`` at the root of the leaderboard's repository (a
deployment's own benchmarks, added without touching the package), or one shipped in the package,
``scripts/leaderboard/suites/builtin/<name>/suite.yaml``. The repository's suites are found
first, so a deployment may also replace a shipped one. Each is the ``Suite`` model in
``core.models.suite``, next to any task YAML templates and JSONL data it bundles. Its version
is recorded in every result, so a change in scoring is never silently mixed with older rows.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from ..core.errors import LeaderboardError, UnknownSuite
from ..core.ids import SUITES_DIR
from ..core.models import Suite
from ..store.yaml_strict import read_model

BUILTIN_SUITES = Path(__file__).with_name("builtin")
SUITE_FILE = "suite.yaml"
#: Placeholder in bundled task YAMLs for the suite's absolute folder (see ``harness``).
SUITE_DIR_PLACEHOLDER = "@SUITE_DIR@"


def _repo_suites(root: Path | None) -> dict[str, Path]:
    if root is None:
        return {}
    return {p.parent.name: p.parent for p in sorted((root / SUITES_DIR).glob(f"*/{SUITE_FILE}"))}


def _package_suites() -> dict[str, Path]:
    return {p.parent.name: p.parent for p in sorted(BUILTIN_SUITES.glob(f"*/{SUITE_FILE}"))}


def suite_names() -> list[str]:
    """Names of the suites shipped in the package, sorted."""
    return sorted(_package_suites())


def available_suites(root: Path | None = None) -> list[str]:
    """Every suite a repository at ``root`` can run: its own and the package's, sorted."""
    return sorted({**_package_suites(), **_repo_suites(root)})


def find_suite(name: str, root: Path | None = None) -> Path:
    """The folder of suite ``name`` (absolute): ``root/suites/<name>/`` first, then the package's.

    Raises ``UnknownSuite`` naming the suites there are.
    """
    folder = {**_package_suites(), **_repo_suites(root)}.get(name)
    if folder is None:
        where = f"{root / SUITES_DIR} or the package" if root is not None else "the package"
        raise UnknownSuite(
            f"unknown suite {name!r}: no {name}/{SUITE_FILE} in {where}; available: "
            f"{', '.join(available_suites(root))}"
        )
    return folder.resolve()


def suite_dir(name: str) -> Path:
    """The folder of a suite shipped in the package (absolute)."""
    return find_suite(name)


def suite_label(folder: Path, root: Path | None = None) -> str:
    """How errors name a suite file: relative to the repository, or to the package."""
    file = folder / SUITE_FILE
    for base in (root, BUILTIN_SUITES.parents[2]):
        if base is not None and file.is_relative_to(base.resolve()):
            return file.relative_to(base.resolve()).as_posix()
    return str(file)


def load_suite(name: str, root: Path | None = None) -> Suite:
    """Read and validate suite ``name`` (see ``find_suite``); errors name file, line and field.

    ``root`` is the leaderboard repository's root, whose ``suites/`` folder is searched first.
    """
    folder = find_suite(name, root.resolve() if root is not None else None)
    return suite_in(folder, root)


def suite_in(folder: Path, root: Path | None = None) -> Suite:
    """The suite in ``folder``, as a copy that knows its folder: its bundled task files and
    data are read from there, whether the folder is the package's or a repository's."""
    return read_suite(folder, root).model_copy(deep=True).located(folder)


def read_suite(folder: Path, root: Path | None = None) -> Suite:
    """The suite in ``folder``, checked; cached by path and modification time."""
    file = folder / SUITE_FILE
    try:
        stamp = file.stat().st_mtime_ns
    except FileNotFoundError:
        raise UnknownSuite(f"{suite_label(folder, root)}: no such file") from None
    return _read(file.resolve(), stamp, suite_label(folder, root))


@cache
def _read(file: Path, _stamp: int, label: str) -> Suite:
    suite = read_model(Suite, file, label)
    if suite.name != file.parent.name:
        raise LeaderboardError(
            f"{label}: its name is {suite.name!r} but its folder is {file.parent.name!r}; "
            "they must match"
        )
    return suite
