"""The checkout's cache of parsed requests and built rows (``store.filecache``) never shows what
the files no longer say: a file changed after a build is read again, so a result corrupted
after the site was built is still skipped by name, an edited score shows, a new flag reaches
every row, and a broken cache file is ignored (the files are read in full).
"""

from __future__ import annotations

import json
from pathlib import Path

from leaderboard.cli.main import main
from leaderboard.core.ids import index_path
from leaderboard.core.models import Row
from leaderboard.devtools.synthetic import make_repo
from leaderboard.store.filecache import CACHE_DIR, clear
from leaderboard.store.tolerant import Skipped
from leaderboard.table.rows import rows


def _by_model(repo) -> tuple[dict[str, Row], Skipped]:
    skipped = Skipped()
    return {r.model: r for r in rows(repo, skipped=skipped)}, skipped


def test_a_cached_row_follows_its_files(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", 4, features=False)
    first, _ = _by_model(repo)
    assert (repo.root / CACHE_DIR / "rows.json").is_file()
    again, _ = _by_model(repo)
    assert again == first

    results = {p.split("/")[2]: p for p in repo.result_files()}
    # Every score edited in place.
    doc = json.loads(repo.path(results["model-1"]).read_text("utf-8"))
    for task in doc["results"].values():
        task.update({k: 0.999 for k, v in task.items() if isinstance(v, float)})
    repo.path(results["model-1"]).write_text(json.dumps(doc), encoding="utf-8")
    # A result broken after the build that cached its row.
    repo.path(results["model-2"]).write_text('{"results": ', encoding="utf-8")
    now, skipped = _by_model(repo)
    assert now["org0/model-1"].average != first["org0/model-1"].average
    assert "org0/model-2" not in now
    # Both results changed after their index entries were made: each entry is named as stale,
    # and the raw files (checked out here) are read instead.
    assert [rel for rel, _ in skipped.items] == [
        index_path(results["model-1"]),
        index_path(results["model-2"]),
        results["model-2"],
    ]
    assert now["org0/model-3"] == first["org0/model-3"]


def test_a_curation_change_reaches_cached_rows(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", 3, features=False)
    first, _ = _by_model(repo)
    assert not first["org0/model-0"].flagged
    (repo.root / "curation").mkdir(exist_ok=True)
    flags = repo.root / "curation" / "flags.yaml"
    flags.write_text(
        "schema_version: 1\nflags:\n  - model: org0/model-0\n    category: contamination\n"
        "    discussion: https://github.com/example/leaderboard/discussions/9\n"
        f"    date: {first['org0/model-0'].submitted}\n    maintainer: maint\n",
        encoding="utf-8",
    )
    now, skipped = _by_model(repo)
    assert skipped.items == []
    assert now["org0/model-0"].flagged


def test_a_broken_cache_is_read_past(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", 3, features=False)
    first, _ = _by_model(repo)
    (repo.root / CACHE_DIR / "rows.json").write_text('{"salt": ', encoding="utf-8")
    again, skipped = _by_model(repo)
    assert again == first and skipped.items == []
    assert sorted(p.name for p in clear(repo.root)) == ["rows.json"]


def test_request_files_are_read_without_a_cache(tmp_path: Path, capsys) -> None:
    """Requests run in fresh checkouts (the queue, the build in CI): writing a cache would cost
    them more than a second run gains, so only the rows are kept, and every request is listed."""
    repo = make_repo(tmp_path / "repo", 3, features=False)
    assert main(["queue", "--root", str(repo.root), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert sum(len(rows) for rows in listed.values()) == len(repo.request_files()) > 0
    assert not (repo.root / CACHE_DIR).exists()
    assert main(["table", "--root", str(repo.root)]) == 0
    assert sorted(p.name for p in (repo.root / CACHE_DIR).glob("*.json")) == ["rows.json"]
