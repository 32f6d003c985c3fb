"""A pull request is cheap to make huge: `leaderboard validate --head` reads it within bounds.

Each test builds the pull request's commit with git's plumbing (a tree can name millions of
paths from a few kilobytes of objects) and judges it as validate.yml does, in a blob-less clone
of the base (``lbtest.ci_checkout``). None of these commits is ever checked out.
"""

from __future__ import annotations

import json
import tracemalloc

import pytest

from leaderboard.cli.main import main
from leaderboard.store.objects import Limits
from tests.lbtest import ci_checkout, git
from tests.submissions.submissions_helpers import FAKE_SHA, request_text, rules


def _blob(repo, data: bytes) -> str:
    return git(repo.path, "hash-object", "-w", "--stdin", input=data)


def _tree(repo, entries: dict[str, tuple[str, str]]) -> str:
    """A tree object of ``name: (mode, oid)``, written without touching the working tree."""
    kinds = {"040000": "tree", "160000": "commit"}
    lines = "".join(
        f"{mode} {kinds.get(mode, 'blob')} {oid}\t{name}\n" for name, (mode, oid) in entries.items()
    )
    return git(repo.path, "mktree", "--missing", input=lines.encode())


def _pull_request(repo, top: dict[str, tuple[str, str]]) -> None:
    """Make HEAD a commit on main whose tree is main's plus ``top`` (top-level entries)."""
    listed = git(repo.path, "ls-tree", "origin/main")
    entries = {}
    for line in listed.splitlines():
        meta, name = line.split("\t")
        mode, _, oid = meta.split()
        entries[name] = (mode, oid)
    entries.update(top)
    commit = git(repo.path, "commit-tree", _tree(repo, entries), "-p", "origin/main", "-m", "pr")
    git(repo.path, "update-ref", "refs/heads/pr", commit)
    git(repo.path, "symbolic-ref", "HEAD", "refs/heads/pr")


def _judge(repo, capsys, author: str = "bob", *, measure: bool = False) -> tuple[int, dict]:
    """Judge HEAD as validate.yml does; with ``measure``, under ``tracemalloc``."""
    base, head = ci_checkout(repo.origin, repo.path, repo.path.parent / "ci-base")
    capsys.readouterr()
    if measure:
        tracemalloc.start()
    argv = ["validate", "--repo", str(base), "--base", "HEAD", "--head", head, "--committed"]
    try:
        code = main([*argv, "--author", author, "--json", "--no-hub"])
    finally:
        if measure:
            _judge.peak = tracemalloc.get_traced_memory()[1]  # type: ignore[attr-defined]
            tracemalloc.stop()
    return code, json.loads(capsys.readouterr().out)


def _requests(repo, count: int) -> tuple[str, str]:
    """``requests/`` with ``count`` new models, each folder sharing one subtree."""
    rel, text = request_text("org-0/m")
    name = rel.rsplit("/", 1)[1]
    model = _tree(repo, {name: ("100644", _blob(repo, text.encode()))})
    org = _tree(repo, {"m": ("040000", model)})
    return "040000", _tree(repo, {f"org-{i}": ("040000", org) for i in range(count)})


@pytest.mark.parametrize(
    ("author", "count", "says"),
    [
        ("bob", 20_000, "adds 20,000 requests; at most 50"),
        ("alice", 40_000, "more than 100,000 files and folders"),
    ],
)
def test_tens_of_thousands_of_new_folders_are_refused_from_their_paths(
    leaderboard_repo, capsys, author, count, says
):
    """Named on one command line, 40,000 folders were more than the system accepts ("Argument
    list too long"); the caps apply to the list of paths, before anything is read."""
    _pull_request(leaderboard_repo, {"requests": _requests(leaderboard_repo, count)})
    code, report = _judge(leaderboard_repo, capsys, author)
    assert code == 1 and rules(report) == ["pr-size"], report
    assert says in report["problems"][0]["message"]
    assert report["problems"][0]["path"].startswith("requests/org-")


def test_a_tree_that_names_a_hundred_million_paths_is_refused(leaderboard_repo, capsys):
    """Three levels of folders that all share one subtree: 100,000,000 paths in a few kilobytes.
    `git diff` collects every change before it writes the first; the walk stops at its bound."""
    repo = leaderboard_repo
    leaf = _tree(repo, {f"f{i}": ("100644", _blob(repo, b"x")) for i in range(100)})
    middle = _tree(repo, {f"d{i}": ("040000", leaf) for i in range(1000)})
    top = _tree(repo, {f"d{i}": ("040000", middle) for i in range(1000)})
    _pull_request(repo, {"docs": ("040000", top)})
    code, report = _judge(repo, capsys, "alice")
    assert code == 1 and rules(report) == ["pr-size"], report
    assert report["problems"][0]["path"].startswith("docs/d")


def test_a_huge_file_is_refused_without_being_read(leaderboard_repo, capsys):
    """16 MiB of zeros compress to a few kilobytes (deltas make gigabytes of a few more); its
    size is asked before its bytes."""
    repo = leaderboard_repo
    rel, _ = request_text("org/huge")
    _, org, name, file = rel.split("/")
    huge = _blob(repo, b"\0" * (16 << 20))
    model = _tree(repo, {file: ("100644", huge)})
    requests = _tree(repo, {org: ("040000", _tree(repo, {name: ("040000", model)}))})
    _pull_request(repo, {"requests": ("040000", requests)})
    code, report = _judge(repo, capsys, measure=True)
    peak = _judge.peak  # type: ignore[attr-defined]
    assert code == 1 and rules(report) == ["size"], report
    assert report["problems"][0]["path"] == rel
    assert f"16,777,216 bytes; at most {Limits().file_bytes:,}" in report["problems"][0]["message"]
    assert peak < 8 << 20, f"{peak:,} bytes held"


def test_the_blobs_of_a_blobless_clone_are_fetched_in_one_batch(leaderboard_repo, capsys):
    """CI's clone has no file contents: read one by one, each blob was its own fetch."""
    repo = leaderboard_repo
    repo.git("checkout", "-q", "-B", "pr", "origin/main")
    for i in range(20):
        repo.write(*request_text(f"org{i}/m"))
    repo.commit("twenty requests")
    base, head = ci_checkout(repo.origin, repo.path, repo.path.parent / "ci-base")
    packs = base / ".git" / "objects" / "pack"
    before = len(list(packs.glob("*.promisor")))
    capsys.readouterr()
    argv = ["validate", "--repo", str(base), "--base", "HEAD", "--head", head, "--committed"]
    code = main([*argv, "--author", "bob", "--json", "--no-hub"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0, report
    assert len(report["checked"]) == 20
    assert len(list(packs.glob("*.promisor"))) - before == 1


def test_links_and_submodules_anywhere_in_the_data_are_refused(leaderboard_repo, capsys):
    """A folder that is a link, and a request that is a submodule, as git objects alone."""
    repo = leaderboard_repo
    link = _blob(repo, b"/etc")
    rel, _ = request_text("org/sub")
    _, org, name, file = rel.split("/")
    model = _tree(repo, {file: ("160000", FAKE_SHA)})
    requests = _tree(
        repo,
        {"linked": ("120000", link), org: ("040000", _tree(repo, {name: ("040000", model)}))},
    )
    _pull_request(repo, {"requests": ("040000", requests)})
    code, report = _judge(repo, capsys)
    assert code == 1 and rules(report) == ["path", "path"], report
    assert {p["path"] for p in report["problems"]} == {"requests/linked", rel}
    assert all("symbolic link or a submodule" in p["message"] for p in report["problems"])


def test_only_what_differs_counts_against_the_budget(leaderboard_repo):
    """A base of many models is read, not visited: a pull request that adds one request costs
    what it adds, whatever the size of the folders it adds it to."""
    from leaderboard.store.objects import Budget, Objects, TooBig

    repo = leaderboard_repo
    base_requests = _requests(repo, 60)
    _pull_request(repo, {"requests": base_requests})
    base = repo.git("rev-parse", "HEAD")

    def listing(tree: str) -> dict[str, tuple[str, str]]:
        out = {}
        for line in repo.git("ls-tree", tree).splitlines():
            meta, name = line.split("\t")
            out[name] = (meta.split()[0], meta.split()[2])
        return out

    one = listing(f"{base}:requests")
    one["new-org"] = one["org-0"]
    top = {**listing(base), "requests": ("040000", _tree(repo, one))}
    with Objects(repo.path) as objects:
        changed = objects.compare(objects.root(base), _tree(repo, top), Budget(10))
        assert [(old, new.path) for old, new in changed] == [
            (None, f"requests/new-org/m/{FAKE_SHA}_bfloat16_nochat.yaml")
        ]
        with pytest.raises(TooBig):
            objects.compare(objects.root("origin/main"), objects.root(base), Budget(100))


def test_a_name_longer_than_a_file_system_holds_is_a_located_problem(leaderboard_repo, capsys):
    """git keeps a 300-byte folder name; writing it out to judge it crashed validation."""
    repo = leaderboard_repo
    rel, text = request_text("org/m")
    model = _tree(repo, {rel.rsplit("/", 1)[1]: ("100644", _blob(repo, text.encode()))})
    requests = _tree(repo, {"org": ("040000", _tree(repo, {"x" * 300: ("040000", model)}))})
    _pull_request(repo, {"requests": ("040000", requests)})
    code, report = _judge(repo, capsys)
    assert code == 1 and rules(report) == ["path"], report
    assert report["problems"][0]["path"].startswith("requests/org/xxx")
