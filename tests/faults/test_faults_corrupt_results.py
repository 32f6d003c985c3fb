"""A corrupt results file in the repository: ``leaderboard table`` (and the site, which is built
from the same rows) leaves that row out with a warning that names the file and says why, and
keeps every other row; ``leaderboard queue`` does not read results and is unaffected.

A maintainer wants the site published while one file is being fixed, not a leaderboard that
is down because of one bad file; the warning says exactly which file to fix. The site build
forwarding the same warning is checked in test_faults_xss.py, which builds a site anyway.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from leaderboard.cli.main import main
from leaderboard.core.ids import index_path
from leaderboard.devtools.synthetic import make_repo


@pytest.fixture
def corrupt_repo(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """Five finished models; three of their result files are broken in different ways."""
    repo = make_repo(tmp_path / "repo", 5, features=False)
    results = {p.split("/")[2]: p for p in repo.result_files()}
    assert sorted(results) == [f"model-{i}" for i in range(5)]
    root = repo.root
    (root / results["model-0"]).write_text('{"results": {"demo_arithmetic": ', encoding="utf-8")
    # A file copied over from another model: valid, but its provenance says whose it is.
    (root / results["model-1"]).write_bytes((root / results["model-4"]).read_bytes())
    doc = json.loads((root / results["model-2"]).read_text(encoding="utf-8"))
    del doc["provenance"]["suite"]
    (root / results["model-2"]).write_text(json.dumps(doc), encoding="utf-8")
    return root, results


def test_table_skips_each_corrupt_result_by_name_and_keeps_the_others(corrupt_repo, capsys):
    root, results = corrupt_repo
    assert main(["table", "--root", str(root)]) == 0
    captured = capsys.readouterr()
    rows = json.loads(captured.out)
    assert sorted(r["Model"] for r in rows) == ["org0/model-3", "org0/model-4"]
    warnings = captured.err.strip().splitlines()
    assert len(warnings) == 6, captured.err
    by_file = {w.split(": ", 2)[1]: w for w in warnings}
    broken = {results["model-0"], results["model-1"], results["model-2"]}
    # Each broken file's index entry was made from the file before it broke: named as stale,
    # and the raw file (checked out here) read instead, which names what is wrong with it.
    assert set(by_file) == broken | {index_path(rel) for rel in broken}
    for rel in broken:
        assert f"was made from another version of {rel}" in by_file[index_path(rel)]
    assert (
        "skipped: not valid JSON (Expecting value at line 1, column 33)"
        in by_file[results["model-0"]]
    )
    assert "its provenance is for org0/model-4@" in by_file[results["model-1"]]
    assert "provenance:" in by_file[results["model-2"]] and "suite" in by_file[results["model-2"]]


def test_queue_is_unaffected_by_corrupt_results(corrupt_repo, capsys):
    root, _ = corrupt_repo
    assert main(["queue", "--root", str(root), "--json"]) == 0
    queue = json.loads(capsys.readouterr().out)
    assert len(queue["finished"]) == 5
