"""The result index: the table is built from ``index/`` alone, in a checkout without
``results/`` (the publishing job's sparse checkout), and every way the index and the raw
results can disagree is a located warning or error, never a silently wrong row."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from leaderboard.cli.main import main
from leaderboard.core.ids import index_path
from leaderboard.core.models import Removal, Row
from leaderboard.devtools.synthetic import add_model, make_repo
from leaderboard.store import result_index
from leaderboard.store.repo import Repo
from leaderboard.suites.loader import load_suite
from leaderboard.table.rows import rows
from tests.lbtest import GitCheckout, git


def _published(tmp_path: Path, n: int = 6) -> GitCheckout:
    """A leaderboard with ``n`` evaluated models on a bare remote's main."""
    origin = tmp_path / "origin.git"
    work = tmp_path / "work"
    make_repo(work, n, features=False)
    git(work, "init", "-q", "-b", "main")
    checkout = GitCheckout(work, origin)
    checkout.commit("the leaderboard")
    git(tmp_path, "clone", "-q", "--bare", str(work), str(origin))
    git(work, "remote", "add", "origin", str(origin))
    return checkout


def _sparse_clone(origin: Path, dest: Path) -> Repo:
    """The publishing job's checkout: no results/ in the working tree."""
    git(origin.parent, "clone", "-q", "--no-local", "--sparse", str(origin), str(dest))
    git(dest, "sparse-checkout", "set", "--no-cone", "/*", "!/results/")
    assert not (dest / "results").exists()
    return Repo(dest)


def _table(repo: Repo) -> list[Row]:
    return rows(repo)


def test_a_checkout_without_results_builds_the_same_table(tmp_path: Path) -> None:
    checkout = _published(tmp_path)
    full = _table(Repo(checkout.path))
    assert len(full) == 6
    sparse = _sparse_clone(checkout.origin, tmp_path / "sparse")
    assert _table(sparse) == full


def test_a_result_without_an_entry_is_named_where_it_is_not_checked_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    checkout = _published(tmp_path)
    repo = Repo(checkout.path)
    gone = repo.result_files()[0]
    repo.path(index_path(gone)).unlink()
    checkout.commit("an index entry lost")
    git(checkout.path, "push", "-q", "origin", "main")
    # Where the raw file is checked out the row is still made from it.
    assert len(_table(repo)) == 6
    capsys.readouterr()
    sparse = _sparse_clone(checkout.origin, tmp_path / "sparse")
    table = _table(sparse)
    assert len(table) == 5
    assert gone not in {r.result_file for r in table}
    err = capsys.readouterr().err
    assert f"{gone}: skipped: is not in this checkout and has no index entry" in err
    assert "leaderboard index rebuild" in err


def test_an_entry_of_an_older_result_is_never_shown_as_the_new_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A result changed in a commit that left its entry alone: git's blob id for the raw file
    (listed in a sparse checkout too) no longer matches the one the entry was made from."""
    checkout = _published(tmp_path)
    repo = Repo(checkout.path)
    changed = repo.result_files()[0]
    data = json.loads(repo.path(changed).read_text(encoding="utf-8"))
    task = next(iter(data["results"]))
    metric = next(k for k in data["results"][task] if "," in k and "stderr" not in k)
    data["results"][task][metric] = 0.0
    repo.path(changed).write_text(json.dumps(data), encoding="utf-8")
    checkout.commit("a result edited by hand")
    git(checkout.path, "push", "-q", "origin", "main")
    capsys.readouterr()

    sparse = _sparse_clone(checkout.origin, tmp_path / "sparse")
    table = _table(sparse)
    assert changed not in {r.result_file for r in table}
    assert len(table) == 5
    stale = f"{index_path(changed)}: skipped: blob: was made from another version of {changed}"
    assert stale in capsys.readouterr().err

    # With the raw file checked out, the row is made from it (the new scores), with the warning.
    full = {r.result_file: r for r in _table(repo)}
    assert changed in full
    assert stale in capsys.readouterr().err
    rebuilt, removed = result_index.rebuild(repo)
    assert rebuilt == [index_path(changed)] and removed == []
    assert result_index.check(repo) == []
    assert {r.result_file: r for r in _table(repo)} == full
    assert capsys.readouterr().err == ""


def test_a_removed_request_leaves_the_table_though_its_entry_has_the_old_request(
    tmp_path: Path,
) -> None:
    """The table reads each request from its file, whatever the entry was made with."""
    checkout = _published(tmp_path)
    repo = Repo(checkout.path)
    rel = repo.request_files()[0]
    request = repo.read_request(rel)
    removal = Removal(reason="a contaminated model", by="maintainer", at=request.submitted_at)
    repo.write_request(rel, request.model_copy(update={"removed": removal}))
    checkout.commit("remove one model")
    git(checkout.path, "push", "-q", "origin", "main")
    sparse = _sparse_clone(checkout.origin, tmp_path / "sparse")
    table = _table(sparse)
    assert rel not in {r.request_file for r in table}
    assert len(table) == 5


def test_index_check_names_every_disagreement_and_rebuild_clears_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path / "repo", 4, features=False)
    root = str(repo.root)
    assert main(["index", "check", "--root", root]) == 0
    capsys.readouterr()
    first, second, third = repo.result_files()[:3]
    repo.path(index_path(first)).unlink()  # a result without its entry
    entry = json.loads(repo.path(index_path(second)).read_text(encoding="utf-8"))
    entry["provenance"]["lm_eval_version"] = "9.9.9"  # an entry edited by hand
    repo.path(index_path(second)).write_text(json.dumps(entry), encoding="utf-8")
    raw = json.loads(repo.path(third).read_text(encoding="utf-8"))
    raw["total_evaluation_time_seconds"] = "1.0"  # a result changed after its entry
    repo.path(third).write_text(json.dumps(raw), encoding="utf-8")
    orphan = index_path(third.replace("attempt-1", "attempt-9"))
    repo.path(orphan).write_text(repo.path(index_path(third)).read_text(encoding="utf-8"))

    assert main(["index", "check", "--root", root]) == 1
    out = capsys.readouterr().out
    assert f"{first}: [results] has no index entry {index_path(first)}" in out
    assert f"{index_path(second)}: [results] provenance: differs from {second}" in out
    assert f"{index_path(third)}: [results] blob: was made from another version of {third}" in out
    assert f"{orphan}: [results] is the entry of" in out and "which does not exist" in out

    assert main(["index", "rebuild", "--root", root]) == 0
    out = capsys.readouterr().out
    assert "3 entr(ies) written, 1 removed" in out
    assert main(["index", "check", "--root", root]) == 0


def test_the_record_path_and_the_synthetic_repositories_write_the_same_entries(
    tmp_path: Path,
) -> None:
    """An entry is a function of the files alone: rebuilding writes nothing new."""
    repo = make_repo(tmp_path / "repo", 0, features=False)
    suite = load_suite("demo")
    for i in range(3):
        add_model(repo, suite, f"org/m-{i}", i, random.Random(i))
    assert result_index.rebuild(repo) == ([], [])
    entry = result_index.read_entry(repo, result_index.entry_files(repo)[0])
    assert entry["result"].startswith("results/org/m-") and "request" not in entry
    assert "datasets" not in entry["provenance"]


def test_index_commands_refuse_a_checkout_without_the_results(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """In a job's sparse checkout every entry would look like one without its result: check
    would name them all, and a rebuild would delete the whole index."""
    checkout = _published(tmp_path)
    sparse = _sparse_clone(checkout.origin, tmp_path / "sparse")
    entries = result_index.entry_files(sparse)
    assert len(entries) == 6
    for action in ("check", "rebuild"):
        assert main(["index", action, "--root", str(sparse.root)]) == 2
        err = capsys.readouterr().err
        assert "6 result(s) that git holds are not in this checkout" in err
        assert "git sparse-checkout disable" in err
    assert result_index.entry_files(sparse) == entries
