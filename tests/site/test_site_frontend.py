"""The front end's shape: ES modules of at most 400 lines, loaded from one entry module, that
spell no column name (every name comes from ``data/table.json``'s meta, which the build writes
from the column registry), and the metadata itself."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from leaderboard.core.errors import LeaderboardError
from leaderboard.core.sizes import SIZE_CLASSES, size_class
from leaderboard.site.frontend import frontend_meta, names, size_classes
from leaderboard.suites.loader import load_suite
from leaderboard.table import columns
from tests.lbtest import NODE_DIR, node_tool

ROOT = Path(__file__).resolve().parents[2]
MODULES = ROOT / "docs" / "assets" / "leaderboard"
SUITES = ("demo", "leaderboard")


def names_and_strings(files: list[Path]) -> list[dict]:
    """Every string literal, template text and identifier of the modules, with its line."""
    proc = subprocess.run(
        [node_tool("espree", "The module scan"), str(NODE_DIR / "literals.mjs"), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def column_names() -> set[str]:
    """Every column of every shipped suite's table, the downloads' included."""
    return {c.name for suite in SUITES for c in columns.columns(load_suite(suite))}


def spelled_columns(files: list[Path]) -> list[str]:
    known = column_names()
    return [
        f"{Path(x['file']).name}:{x['line']}: {x['kind']} {x['value']!r}"
        for x in names_and_strings(files)
        if x["value"] in known
    ]


def test_the_modules_spell_no_column_name() -> None:
    found = spelled_columns(sorted(MODULES.glob("*.js")))
    assert not found, "take these names from ds.names (site/frontend.py):\n" + "\n".join(found)


def test_the_scan_finds_a_spelled_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.js"
    bad.write_text(
        'export const a = row["Hub License"];\nexport const b = row.Flagged + `${x}Model sha`;\n'
        "export const c = `Model`;\n"
    )
    assert sorted(spelled_columns([bad])) == [
        "bad.js:1: string 'Hub License'",
        "bad.js:2: identifier 'Flagged'",
        "bad.js:2: string 'Model sha'",
        "bad.js:3: string 'Model'",
    ]


def test_no_module_is_over_400_lines() -> None:
    sizes = {p.name: len(p.read_text("utf-8").splitlines()) for p in MODULES.glob("*.js")}
    assert sizes and max(sizes.values()) <= 400, sizes


def test_the_site_loads_one_module_and_chartjs() -> None:
    """One entry module imports the rest: no script's place in mkdocs.yml matters to another.
    Chart.js stays a vendored classic script (window.Chart), never a CDN."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    scripts = config["extra_javascript"]
    assert scripts == [
        "assets/vendor/chartjs-4.6.1/chart.umd.min.js",
        {"path": "assets/leaderboard/main.js", "type": "module"},
    ]
    imported = set()
    for module in MODULES.glob("*.js"):
        for x in names_and_strings([module]):
            if x["kind"] == "string" and x["value"].startswith("./"):
                imported.add(x["value"][2:])
    # Every module is reachable from main.js's imports: none is dead, none is loaded apart.
    assert imported | {"main.js"} == {p.name for p in MODULES.glob("*.js")}


#: How a module reads a column's name: ``N.model`` (``const N = ds.names``), ``ds.names.model``.
_READ = re.compile(r"(?:\bN|\bds\.names|\bthis\.names)\.([A-Za-z_]\w*)")


def names_read(files: list[Path]) -> dict[str, list[str]]:
    """``key → where`` of each column name the modules read from ``meta.names``."""
    found: dict[str, list[str]] = {}
    for file in files:
        for n, line in enumerate(file.read_text("utf-8").splitlines(), 1):
            for key in _READ.findall(line):
                found.setdefault(key, []).append(f"{file.name}:{n}")
    return found


@pytest.mark.parametrize("suite", SUITES)
def test_every_name_a_module_reads_is_a_column_of_the_registry(suite: str) -> None:
    loaded = load_suite(suite)
    meta = frontend_meta(loaded, columns.columns(loaded))
    known = {c.name for c in columns.columns(loaded)}
    assert set(meta["names"].values()) <= known
    read = names_read(sorted(MODULES.glob("*.js")))
    assert {"model", "average", "flagged", "co2"} <= set(read)  # the scan sees them
    missing = {k: where for k, where in read.items() if k not in meta["names"]}
    assert not missing, f"no column has these keys (table/columns.py): {missing}"
    for bench in loaded.benchmarks:
        assert meta["raw"][bench.column] in known
        assert meta["se"][bench.column] in known and meta["se"][bench.raw_column] in known
    assert meta["se"][meta["names"]["average"]] == meta["names"]["average_se"]
    assert set(meta["compare"]) <= known


def test_the_scan_finds_a_name_the_registry_lacks(tmp_path: Path) -> None:
    bad = tmp_path / "bad.js"
    bad.write_text("const N = ds.names;\nexport const a = row[N.modle] + ds.names.flaged;\n")
    assert names_read([bad]) == {"modle": ["bad.js:2"], "flaged": ["bad.js:2"]}


def test_names_follow_the_registry_each_value_before_its_error() -> None:
    """``meta.names`` is generated: every keyed column, in the registry's order, the average's
    error right after the average (the order data/table.json has always had)."""
    suite = load_suite("demo")
    cols = columns.columns(suite)
    got = names(cols)
    assert list(got)[:6] == ["id", "emoji", "model", "full_name", "average", "average_se"]
    assert got == {c.key: c.name for c in cols if c.key and c.key != "official_providers"}


def test_a_renamed_column_reaches_the_page_under_its_new_name() -> None:
    suite = load_suite("demo")
    cols = [
        c.model_copy(update={"name": "Flagged!"}) if c.name == "Flagged" else c
        for c in columns.columns(suite)
    ]
    assert frontend_meta(suite, cols)["names"]["flagged"] == "Flagged!"


def test_a_column_the_comparison_reads_cannot_go_missing() -> None:
    """The build fails rather than leave the comparison page a blank row."""
    suite = load_suite("demo")
    cols = [c for c in columns.columns(suite) if c.key != "suite_version"]
    with pytest.raises(LeaderboardError, match="suite_version"):
        frontend_meta(suite, cols)


def test_size_classes_are_the_rows_size_classes() -> None:
    choices = size_classes()
    assert [c["value"] for c in choices] == [name for name, _, _ in SIZE_CLASSES]
    assert [c["label"] for c in choices] == [
        "Edge 0–3B",
        "Consumer 3–7B",
        "Mid-range 7–65B",
        "GPU-rich 65B+",
    ]
    # Each label's range is the range the rows classify by.
    assert [size_class(b) for b in (0.5, 3.0, 7.0, 65.0)] == [c["value"] for c in choices]


def test_the_model_pages_json_link_is_where_the_build_writes_the_file() -> None:
    """The model page links meta.model_json with {model} filled in: the path model_files uses."""
    from leaderboard.site.frontend import MODEL_JSON
    from leaderboard.table.feed import model_path

    for model in ("org/name", "Org-1/m.v2_x"):
        assert MODEL_JSON.format(model=model) == model_path(model)
