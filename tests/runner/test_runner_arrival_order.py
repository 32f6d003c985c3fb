"""The queue's order: when git's first-parent line of main added each request file.

``store.git.added_at`` reads one ``git log`` of every addition, newest first, and stops once
each path it was asked about has been seen. These tests pin what that must still answer: the
merge commit's time for a pull request's file, the last addition of a file added twice, every
one of many paths in a long history, and nothing for a file git does not have.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from leaderboard.store.git import added_at
from tests.lbtest import GitCheckout, days_ago, git


def _repo(tmp_path: Path) -> GitCheckout:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    return GitCheckout(root, root)


def _time(checkout: GitCheckout, rev: str = "HEAD") -> int:
    return int(checkout.git("log", "-1", "--format=%ct", rev))


def test_the_merge_the_last_addition_and_the_unknown(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    repo.write("requests/a/one/x.yaml", "one\n")
    repo.write("results/a/one/r.json", "{}\n")
    repo.commit("one", when=days_ago(9).isoformat())
    repo.git("checkout", "-q", "-b", "pr")
    repo.write("requests/b/two/x.yaml", "two\n")
    repo.commit("a pull request's own commit, back-dated", when=days_ago(30).isoformat())
    repo.git("checkout", "-q", "main")
    merge = days_ago(8).isoformat()
    git(
        repo.path,
        *("merge", "-q", "--no-ff", "-m", "merge", "pr"),
        env={"GIT_AUTHOR_DATE": merge, "GIT_COMMITTER_DATE": merge},
    )
    merged = _time(repo)
    repo.git("rm", "-q", "requests/a/one/x.yaml")
    repo.commit("removed", when=days_ago(7).isoformat())
    repo.write("requests/a/one/x.yaml", "one again\n")
    readded = _time(repo, repo.commit("added again", when=days_ago(6).isoformat()))
    repo.write("requests/c/new/x.yaml", "not committed\n")

    got = added_at(repo.path, ["requests/a/one/x.yaml", "requests/b/two/x.yaml",
                               "results/a/one/r.json", "requests/c/new/x.yaml"])  # fmt: skip
    assert got == {
        "requests/a/one/x.yaml": readded,
        "requests/b/two/x.yaml": merged,
        "results/a/one/r.json": _time(repo, "HEAD~3"),
    }
    assert added_at(repo.path, []) == {}
    assert added_at(repo.path, ["requests/b/two/x.yaml"], ref="no-such-ref") == {}
    assert added_at(tmp_path / "not-a-repo", ["requests/b/two/x.yaml"]) == {}


def _path(j: int) -> str:
    """A request file's path, as long as real ones (git's output then spans several reads)."""
    return f"requests/org{j % 7}/model-{j}/{j:040x}_bfloat16_nochat.yaml"


def test_every_path_of_a_long_history_is_dated(tmp_path: Path) -> None:
    """1,200 files in 600 commits, the first adding half of them at once (git's output then
    comes in many reads, some ending inside a path), half of them changed later: asked in any
    order, each gets its addition."""
    repo = _repo(tmp_path)
    start = int(days_ago(30).timestamp())
    stream = bytearray()
    for i in range(600):
        stream += b"commit refs/heads/main\n"
        stream += f"committer t <t@example.com> {start + 60 * i} +0000\n".encode()
        stream += b"data 3\nadd\n"
        for j in range(601) if i == 0 else (600 + i,):
            stream += f"M 100644 inline {_path(j)}\ndata 4\nnew\n\n".encode()
        if i >= 300:  # a later commit changes an earlier file: a change is not an addition
            stream += f"M 100644 inline {_path(i - 300)}\ndata 4\nmod\n\n".encode()
    subprocess.run(
        ["git", "-C", str(repo.path), "fast-import", "--quiet"], input=bytes(stream), check=True
    )
    paths = [_path(j) for j in range(1200)]
    want = {path: start + 60 * max(j - 600, 0) for j, path in enumerate(paths)}
    assert added_at(repo.path, paths[::-1]) == want
    assert added_at(repo.path, paths[:3]) == {p: want[p] for p in paths[:3]}
    assert added_at(repo.path, [paths[-1], "requests/never/was/x.yaml"]) == {
        paths[-1]: want[paths[-1]]
    }
