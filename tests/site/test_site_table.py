"""The leaderboard table: rows joined from real request, result and curation files."""

from __future__ import annotations

import ast
import csv
import dataclasses
import io
import json
from pathlib import Path

import pytest

from leaderboard.cli.main import main
from leaderboard.core.errors import LeaderboardError
from leaderboard.core.models import Row, Status
from leaderboard.core.sizes import size_class
from leaderboard.devtools.synthetic import HOSTILE, make_repo
from leaderboard.site.data import SiteData
from leaderboard.site.hooks import build
from leaderboard.site.queue_html import queue_html
from leaderboard.store.repo import Repo
from leaderboard.suites.loader import load_suite
from leaderboard.suites.scoring import score
from leaderboard.table import columns, exports, queue_view, search
from leaderboard.table import rows as table_rows


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    return make_repo(tmp_path_factory.mktemp("repo"), 6)


@pytest.fixture(scope="module")
def built(repo: Repo) -> list[Row]:
    return table_rows.rows(repo)


@pytest.fixture(scope="module")
def rows(built: list[Row]) -> list[dict]:
    """The rows as the downloads publish them: the registry's names and each row's values."""
    return columns.records(built, columns.columns(load_suite("demo")))


def by_model(rows: list[dict], name: str) -> list[dict]:
    return [r for r in rows if r["fullname"] == name]


def test_one_row_per_evaluated_identity(repo: Repo, rows: list[dict]) -> None:
    requests = [repo.read_request(rel) for rel in repo.request_files()]
    finished = [req for req in requests if req.status is Status.finished and not req.removed]
    assert len(rows) == len(finished)
    assert len({r["eval_name"] for r in rows}) == len(rows)
    precisions = sorted(r["Precision"] for r in by_model(rows, "trusted/highlight-7b"))
    assert precisions == ["4bit", "bfloat16"]


def test_public_columns_in_order(rows: list[dict]) -> None:
    names = [c.name for c in columns.columns(load_suite("demo"))]
    assert names[:5] == ["eval_name", "T", "Model", "fullname", "Average ⬆️"]
    assert names[5:9] == ["Arithmetic", "Echo", "Arithmetic Raw", "Echo Raw"]
    for public in (
        "Hub License",
        "#Params (B)",
        "Model sha",
        "Flagged",
        "Chat Template",
        "Maintainer's Highlight",
        "Official Providers",
        "CO₂ cost (kg)",
        "Available on the hub",
    ):
        assert public in names
    assert list(rows[0]) == names


def test_scores_come_from_the_latest_attempt(repo: Repo, rows: list[dict]) -> None:
    (row,) = by_model(rows, "hostile/escape-test")
    assert row["Attempt"] == 2
    assert row["Result file"].endswith("_demo_attempt-2.json")
    expected = score(repo.read_json(row["Result file"]), load_suite("demo"))
    assert row["Average ⬆️"] == expected["Average"]
    assert row["Echo Raw"] == expected["Echo Raw"]
    averages = [r["Average ⬆️"] for r in rows]
    assert averages == sorted(averages, reverse=True)


def test_curation_is_joined(rows: list[dict]) -> None:
    (flagged,) = by_model(rows, "cheater/contaminated-13b")
    assert flagged["Flagged"] and flagged["Flag category"] == "contamination"
    assert flagged["Flag discussion"].startswith("https://")
    assert flagged["Rank in type"] is None
    (sneaky,) = by_model(rows, "sneaky/quiet-merge-1b")
    assert sneaky["Flagged"] and sneaky["Flag category"] == "undeclared-merge"
    assert sneaky["Flag discussion"] is None
    assert all(r["Maintainer's Highlight"] for r in by_model(rows, "trusted/highlight-7b"))
    assert not any(r["Maintainer's Highlight"] for r in by_model(rows, "merger/frankenmerge-70b"))
    assert by_model(rows, "merger/frankenmerge-70b")[0]["Merged"]
    assert by_model(rows, "experts/mixture-8x1b")[0]["MoE"]
    assert by_model(rows, "gone/deleted-2b")[0]["Available on the hub"] is False
    assert by_model(rows, "newname/better-name-3b")[0]["Aliases"] == "newname/renamed-3b"
    assert not by_model(rows, "removed/taken-down-7b")
    assert not by_model(rows, "waiting/first-in-line")
    assert not by_model(rows, "broken/failing-model")


def test_search_finds_renamed_models_by_their_old_name(built: list[Row]) -> None:
    found = search.search(built, "renamed-3b")
    assert [r.model for r in found] == ["newname/better-name-3b"]
    found = search.search(built, "trusted; Hub License: apache")
    assert {r.model for r in found} == {"trusted/highlight-7b"}


def test_ranks_and_size_classes(rows: list[dict]) -> None:
    chat = [r for r in rows if r["Type"] == "chat" and not r["Flagged"]]
    assert [r["Rank in type"] for r in chat] == list(range(1, len(chat) + 1))
    assert by_model(rows, "merger/frankenmerge-70b")[0]["Size class"] == "GPU-rich"
    assert by_model(rows, "sneaky/quiet-merge-1b")[0]["Size class"] == "Edge"
    assert size_class(3.0) == "Consumer" and size_class(65.0) == "GPU-rich"


def test_queue_keeps_everything(repo: Repo) -> None:
    entries = queue_view.queue(repo)
    assert len(entries) == len(repo.request_files())
    pending = sorted((e for e in entries if e["position"]), key=lambda e: e["position"])
    assert [e["model"] for e in pending] == ["waiting/first-in-line", "waiting/second-in-line"]
    assert pending[0]["waiting_hours"] > 0
    failed = {e["model"]: e for e in entries if e["status"] == "FAILED"}
    assert failed["broken/failing-model"]["failure_category"] == "model"
    assert failed["unlucky/infra-fail"]["log_url"].startswith("https://")
    (removed,) = [e for e in entries if e["removed_reason"]]
    assert removed["model"] == "removed/taken-down-7b"


def test_queue_html_escapes_everything(repo: Repo) -> None:
    entries = queue_view.queue(repo)
    entries[0]["runner"] = HOSTILE
    entries[0]["status"] = "RUNNING"
    entries[0]["log_url"] = "javascript:alert(1)"
    html = queue_html(entries, "https://github.com/example/leaderboard")
    assert "<img" not in html and "&lt;img src=x" in html
    assert "javascript:" not in html


def test_exports_round_trip(built: list[Row], rows: list[dict]) -> None:
    import pandas as pd
    from jsonschema import Draft202012Validator

    cols = columns.columns(load_suite("demo"))
    df = pd.read_parquet(io.BytesIO(exports.contents_parquet(built, cols)))
    assert list(df.columns) == [c.name for c in cols]
    assert len(df) == len(rows)
    assert df["Flagged"].sum() == sum(r.flagged for r in built)
    records = json.loads(exports.contents_json(built, cols))
    assert records == json.loads(json.dumps(rows))
    schema = json.loads(exports.contents_schema(cols, "t"))
    Draft202012Validator(schema).validate(records)
    header = next(csv.reader(io.StringIO(exports.contents_csv(built, cols).decode())))
    assert header == [c.name for c in cols]


def test_parquet_stores_each_column_in_its_exact_type(built: list[Row]) -> None:
    """Read back with pyarrow: whole numbers are int64, times are UTC timestamps, and every
    value is the one contents.json holds."""
    from datetime import datetime

    import pyarrow as pa
    import pyarrow.parquet as pq

    cols = columns.columns(load_suite("demo"))
    table = pq.read_table(io.BytesIO(exports.contents_parquet(built, cols)))
    types = {f.name: f.type for f in table.schema}
    for name in ("Hub ❤️", "Generation", "Attempt", "Rank band", "Rank in type"):
        assert types[name] == pa.int64(), name
    for name in ("Submission Date", "Upload To Hub Date", "Evaluated at"):
        assert types[name] == pa.timestamp("us", tz="UTC"), name
    assert types["Average ⬆️"] == pa.float64() and types["Flagged"] == pa.bool_()
    assert types["Official Providers"] == pa.bool_()
    assert not table.schema.field("Attempt").nullable and table.schema.field("Rank band").nullable
    records = json.loads(exports.contents_json(built, cols))
    for got, want in zip(table.to_pylist(), records, strict=True):
        for name in ("Hub ❤️", "Generation", "Attempt", "Rank band", "Official Providers"):
            assert got[name] == want[name] and type(got[name]) is type(want[name]), name
        when = datetime.fromisoformat(want["Submission Date"].replace("Z", "+00:00"))
        assert got["Submission Date"] == when
    schema = json.loads(exports.contents_schema(cols, "t"))["items"]["properties"]
    assert schema["Generation"]["type"] == ["integer", "null"]
    assert schema["Attempt"]["type"] == "integer"
    assert schema["Official Providers"]["type"] == "boolean"


def test_parquet_refuses_a_fraction_in_a_whole_number_column(built: list[Row]) -> None:
    """pyarrow would cut 2.5 to 2 when told the type up front; the export fails instead."""
    import pyarrow as pa

    cols = columns.columns(load_suite("demo"))
    bad = [dataclasses.replace(built[0], generation=2.5)]
    with pytest.raises(pa.ArrowInvalid):
        exports.contents_parquet(bad, cols)


def test_official_providers_is_the_maintainers_choice(rows: list[dict]) -> None:
    """Hugging Face's later name for the column; the site's own table keeps one of the two."""
    assert any(r["Official Providers"] for r in rows)
    assert all(r["Official Providers"] is r["Maintainer's Highlight"] for r in rows)


def test_table_command(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["table", "--root", str(repo.root), "--search", "highlight"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {r["Model"] for r in out} == {"trusted/highlight-7b"}
    assert main(["table", "--root", str(repo.root), "--format", "csv", "--search", "x-none"]) == 0
    assert capsys.readouterr().out.count("\n") == 1  # the header only


def test_site_data_files(repo: Repo) -> None:
    data = SiteData.load(repo)
    files = data.generated_files()
    site = json.loads(files["data/table.json"])
    assert site["meta"]["benchmarks"] == ["Arithmetic", "Echo"]
    assert len(site["rows"]) == len(data.rows)
    assert "Reproduce" not in [c["name"] for c in site["columns"]]
    assert "Official Providers" not in [c["name"] for c in site["columns"]]
    prov = json.loads(files["data/provenance.json"])
    assert set(prov["rows"]) == {r.id for r in data.rows}
    filled = data.fill_markdown("{{ lb.benchmarks }} {{ lb.unknown }}")
    assert "Arithmetic" in filled and "{{ lb.unknown }}" in filled


def test_build_writes_the_downloads(repo: Repo, tmp_path: Path) -> None:
    assert main(["build", "--root", str(repo.root), "--site-dir", str(tmp_path / "site")]) == 0
    data = tmp_path / "site" / "data"
    for name in ("contents.json", "contents.csv", "contents.parquet", "contents.schema.json"):
        assert (data / name).stat().st_size > 100
    queue_page = (tmp_path / "site" / "queue" / "index.html").read_text("utf-8")
    assert "waiting/first-in-line" in queue_page
    assert 'onerror="window.__pwned' not in queue_page


def test_build_fails_on_any_mkdocs_warning(repo: Repo, tmp_path: Path) -> None:
    """``--strict`` must bite: a page left out of the nav is a warning, so the build fails."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n")
    (docs / "orphan.md").write_text("# In no nav\n")
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: t\ndocs_dir: docs\nnav:\n  - index.md\nvalidation:\n  omitted_files: warn\n"
    )
    with pytest.raises(LeaderboardError, match=r"orphan\.md"):
        build(repo.root, tmp_path / "site", config_file=config)


#: Strings equal to a column name that are not one: a queue entry's field.
_NOT_COLUMNS = {("site/queue_html.py", "eval_name")}


def spelled_names(package: Path, known: set[str]) -> list[str]:
    """Every string constant of the package's modules, but the registry, that is a column's
    name (``__all__`` lists and ``TypeVar`` names are code, not columns)."""
    found = []
    for file in sorted(package.rglob("*.py")):
        rel = file.relative_to(package).as_posix()
        if rel == "table/columns.py":
            continue
        tree = ast.parse(file.read_text("utf-8"))
        code: set[int] = set()
        for node in ast.walk(tree):
            is_all = isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
            )
            is_typevar = (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "TypeVar"
            )
            if is_all or is_typevar:
                code.update(id(n) for n in ast.walk(node))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and node.value in known
                and id(node) not in code
                and (rel, node.value) not in _NOT_COLUMNS
            ):
                found.append(f"{rel}:{node.lineno}: {node.value!r}")
    return found


def test_only_the_registry_spells_a_column_name(tmp_path: Path) -> None:
    """A display name is written once, in table/columns.py: everything else reads a row's
    attribute or the registry (the suites' benchmark names come from their suite.yaml)."""
    known = {
        c.name for suite in ("demo", "leaderboard") for c in columns.columns(load_suite(suite))
    }
    package = Path(columns.__file__).resolve().parents[1]
    found = spelled_names(package, known)
    assert not found, "read these through the registry (table/columns.py):\n" + "\n".join(found)
    # The scan sees one.
    (tmp_path / "table").mkdir()
    (tmp_path / "table" / "feed.py").write_text('score = row["Average ⬆️"]\n__all__ = ["Model"]\n')
    assert spelled_names(tmp_path, known) == ["table/feed.py:1: 'Average ⬆️'"]
