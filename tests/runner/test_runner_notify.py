"""``leaderboard notify``: the pull request found from git history and GitHub's answer, the
comment's content (scores with a link, or the reason and what next), a maintainer's acts, no
comment for a request that came in without a pull request, nothing posted twice, and nothing
from a request that can become a link, a mention or a reference.

A real git repository; GitHub is the recording ``gh`` stand-in of the workflow rehearsals."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime
from pathlib import Path

import cmarkgfm
import pytest
import yaml

from leaderboard.cli.main import main
from leaderboard.core.ids import request_path
from leaderboard.core.models import Precision, Row, Status
from leaderboard.devtools.synthetic import add_model, make_repo
from leaderboard.store.repo import Repo
from leaderboard.suites.loader import load_suite
from leaderboard.table import notify
from tests.lbtest import gh_standin, git

REPO = "owner/leaderboard"
SITE = "https://owner.github.io/leaderboard/"
HOSTILE = "@octocat see [here](https://evil.example) and #12 ![x](https://evil.example/i.png)"


class World:
    """main, pull requests merged with --no-ff as GitHub does, and the stand-in's GitHub."""

    def __init__(self, root: Path, state: Path) -> None:
        self.root, self.state = root, state
        self.repo = make_repo(root, 0, suite="demo", features=False)
        self.suite = load_suite("demo")
        self.rng = random.Random(1)
        git(root, "init", "-q", "-b", "main")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "The leaderboard")
        self.github({"pulls": {}, "comments": {}})

    def github(self, value: dict | None = None) -> dict:
        file = self.state / "github.json"
        if value is not None:
            file.write_text(json.dumps(value))
        return json.loads(file.read_text())

    def calls(self) -> list[dict]:
        file = self.state / "gh-calls.jsonl"
        return [json.loads(x) for x in file.read_text().splitlines()] if file.exists() else []

    def add(self, model: str, i: int, **kw) -> str:
        return request_path(add_model(self.repo, self.suite, model, i, self.rng, **kw).identity)

    def merge_pr(self, number: int, model: str, i: int, **kw) -> str:
        git(self.root, "checkout", "-q", "-b", f"pr-{number}")
        rel = self.add(model, i, status=Status.pending, **kw)
        git(self.root, "add", "-A")
        git(self.root, "commit", "-q", "-m", f"Request {model}")
        head = git(self.root, "rev-parse", "HEAD")
        git(self.root, "checkout", "-q", "main")
        git(self.root, "merge", "-q", "--no-ff", "-m", f"Merge pull request #{number}", head)
        merge = git(self.root, "rev-parse", "HEAD")
        state = self.github()
        state["pulls"][str(number)] = {
            "number": number,
            "head": {"sha": head},
            "merge_commit_sha": merge,
            "merged_at": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        }
        self.github(state)
        return rel

    def commit(self, message: str) -> str:
        git(self.root, "add", "-A")
        git(self.root, "commit", "-q", "-m", message)
        return git(self.root, "rev-parse", "HEAD")

    def comments(self, number: int) -> list[str]:
        return [c["body"] for c in self.github().get("comments", {}).get(str(number), [])]


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    state = gh_standin(tmp_path / "state", monkeypatch)
    monkeypatch.setenv("GITHUB_REPOSITORY", REPO)
    monkeypatch.setenv("LEADERBOARD_SITE_URL", SITE)
    return World(tmp_path / "repo", state)


def run_notify(world: World, *args: str) -> None:
    assert main(["notify", "--root", str(world.root), *args]) == 0


def test_a_finished_request_is_told_its_scores_and_its_row(world: World):
    rel = world.merge_pr(7, "acme/good", 1)
    world.add("acme/good", 1, status=Status.finished)  # the record job's commit
    world.commit("Record acme/good")
    run_notify(world, "--claimed", json.dumps([rel]))
    [body] = world.comments(7)
    row = next(r for r in _rows(world) if r.request_file == rel)
    assert f"{row.average:.2f} ± {row.average_se:.2f}" in body
    arithmetic = f"{row.scores['Arithmetic']:.2f} ± {row.scores['Arithmetic SE']:.2f}"
    assert f"| Arithmetic | {arithmetic} |" in body
    assert f"{SITE}model/?id={row.id}" in body
    assert body.startswith("<!-- leaderboard-notify ")


def _rows(world: World) -> list[Row]:
    from leaderboard.table.rows import rows

    return rows(Repo(world.root))


def test_a_failure_gives_the_reason_escaped_and_what_to_do(world: World):
    rel = world.merge_pr(9, "acme/broken", 2)
    world.add(
        "acme/broken",
        2,
        status=Status.failed,
        request={"failure_reason": HOSTILE, "failure_category": "model"},
    )
    world.commit("Record acme/broken")
    run_notify(world, "--claimed", json.dumps([rel]))
    [body] = world.comments(9)
    assert "Evaluation failed" in body and "open a new pull request" in body
    assert "@octocat" not in body  # no mention
    assert "](https://" not in body and "![" not in body  # no link, no image
    assert "#12" not in body  # no reference
    shown = cmarkgfm.github_flavored_markdown_to_html(body)
    assert "octocat" in shown and "evil.example" in shown  # but nothing is hidden
    assert "<a " not in shown and "<img" not in shown


def test_a_request_pushed_without_a_pull_request_gets_no_comment(world: World, capsys):
    world.add("acme/direct", 3, status=Status.finished)
    world.commit("A maintainer's direct push")
    rel = next(rel for rel in Repo(world.root).request_files() if "acme/direct" in rel)
    run_notify(world, "--claimed", json.dumps([rel]))
    assert world.github()["comments"] == {}
    assert "no pull request added it" in capsys.readouterr().out
    posts = [c for c in world.calls() if "POST" in c["args"]]
    assert posts == []


def test_an_open_pull_request_containing_the_commit_is_not_taken_for_the_merged_one(
    world: World,
):
    """GitHub lists an open PR whose head is main's commit too; only a merge counts."""
    world.add("acme/direct", 3, status=Status.finished)
    sha = world.commit("A maintainer's direct push")
    state = world.github()
    state["pulls"]["5"] = {"number": 5, "head": {"sha": sha}, "merged_at": None}
    world.github(state)
    rel = next(rel for rel in Repo(world.root).request_files() if "acme/direct" in rel)
    run_notify(world, "--claimed", json.dumps([rel]))
    assert world.github()["comments"] == {}


def test_a_rerun_posts_nothing_twice_and_a_retry_waits(world: World):
    rel = world.merge_pr(7, "acme/good", 1)
    retry = world.merge_pr(8, "acme/flaky", 4)
    world.add("acme/good", 1, status=Status.finished)
    world.commit("Record")
    for _ in range(2):
        run_notify(world, "--claimed", json.dumps([rel, retry]))
    assert len(world.comments(7)) == 1
    assert world.comments(8) == []  # back to PENDING: told when it has an outcome


def _edit_request(world: World, rel: str, **fields) -> None:
    file = world.root / rel
    data = yaml.safe_load(file.read_text())
    data.update(fields)
    file.write_text(yaml.safe_dump(data, sort_keys=False))


def test_flag_rename_removal_and_relaunch_tell_the_original_pull_request(world: World):
    world.merge_pr(11, "acme/flagme", 5)
    world.merge_pr(12, "acme/oldname", 6)
    removed = world.merge_pr(13, "acme/removeme", 7)
    relaunched = world.merge_pr(14, "acme/relaunchme", 8, precision=Precision.float16)
    world.merge_pr(15, "acme/quiet", 9)
    before = git(world.root, "rev-parse", "HEAD")
    now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    repo = Repo(world.root)
    repo.write_curation(
        "flags",
        {
            "flags": [
                {
                    "model": "acme/flagme",
                    "category": "contamination",
                    "discussion": "https://github.com/owner/leaderboard/discussions/3",
                    "date": now,
                    "maintainer": "maint",
                }
            ]
        },
    )
    rename = {"old": "acme/oldname", "new": "acme/newname", "date": now, "maintainer": "maint"}
    repo.write_curation("renames", {"renames": [rename]})
    _edit_request(world, removed, removed={"at": now, "by": "maint", "reason": HOSTILE})
    _edit_request(world, relaunched, relaunches=[{"at": now, "by": "maint", "note": "new GPU"}])
    after = world.commit("Curation")
    run_notify(world, "--before", before, "--after", after)
    assert "Flagged (contamination)" in world.comments(11)[0]
    assert "now listed as `acme/newname`" in world.comments(12)[0]
    [removal] = world.comments(13)
    assert "Removed from the leaderboard" in removal and "@octocat" not in removal
    assert "Relaunched" in world.comments(14)[0] and "new GPU" in world.comments(14)[0]
    assert world.comments(15) == []
    # The same push seen again (a rerun of the job) posts nothing more.
    run_notify(world, "--before", before, "--after", after)
    assert [len(world.comments(n)) for n in (11, 12, 13, 14, 15)] == [1, 1, 1, 1, 0]


def test_a_first_push_has_nothing_to_compare(world: World, capsys):
    run_notify(world, "--before", "0" * 40, "--after", "HEAD")
    assert "nothing to compare" in capsys.readouterr().out
    assert world.calls() == []


def test_notices_are_escaped_even_in_the_model_line(world: World):
    rel = world.merge_pr(7, "acme/good", 1)
    world.add("acme/good", 1, status=Status.finished)
    world.commit("Record")
    [notice] = notify.outcome_notices(Repo(world.root), [rel], None)
    assert "once the site is published" in notice.body
    assert "`acme/good`" in notice.body
