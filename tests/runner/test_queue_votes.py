"""Votes on the queue: a 👍 on the pull request that added a request, one per account, not the
submitter's, not a bot's, not a young account's; read through GitHub's GraphQL API (one query
per 100 pending requests); the claim takes the voted request first, within the ageing bound,
and its commit records what it counted, which the Queue page reads back from git.

GitHub is the recording ``gh`` stand-in of the workflow rehearsals, answering the GraphQL
queries in GitHub's shape (pinned in tests/workflows/test_standins.py)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from leaderboard.cli.main import main
from leaderboard.core.models import VotesSeen, utcnow
from leaderboard.core.votes import Reaction, tally
from leaderboard.queue import votes
from leaderboard.store import gh
from tests.lbtest import gh_standin, git
from tests.queueworld import QueueWorld

REPOSITORY = "owner/leaderboard"
VOTES_ON = {"queue": {"votes": {"enabled": True, "max_per_request": 10, "ageing_per_hour": 1}}}


@pytest.fixture
def github(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The stand-in's state folder, with ``gh`` on PATH and a token, as in a workflow step."""
    monkeypatch.setenv("GITHUB_REPOSITORY", REPOSITORY)
    return gh_standin(tmp_path / "gh-state", monkeypatch)


def old(days: int = 400) -> str:
    return (utcnow() - timedelta(days=days)).isoformat().replace("+00:00", "Z")


def pull(world: QueueWorld, number: int, rel: str, author: str, thumbs: list[str | None]) -> dict:
    """The pull request GitHub merged as the commit that added ``rel``, with its 👍."""
    sha = git(world.root, "log", "-1", "--format=%H", "--diff-filter=A", "--", rel)
    return {
        "number": number,
        "user": {"login": author},
        "merge_commit_sha": sha,
        "merged_at": old(1),
        "reactions": [{"content": "THUMBS_UP", "user": login} for login in thumbs]
        + [{"content": "HEART", "user": "fan"}],
    }


def test_which_thumbs_count():
    now = utcnow()
    grown = now - timedelta(days=90)
    young = now - timedelta(days=3)
    got = tally(
        [
            Reaction("alice", grown),
            Reaction("Alice", grown),  # the same account
            Reaction("bob", grown),  # the submitter
            Reaction("Pat", grown),  # the pull request's author
            Reaction(None),  # a GitHub App, a deleted account
            Reaction("helper[bot]", grown),
            Reaction("newcomer", young),
            Reaction("carol", grown),
        ],
        submitter="Bob",
        author="pat",
        now=now,
        min_account_age_days=30,
    )
    assert got.counted == ("alice", "carol") and got.votes == 2
    assert got.not_counted == {"not a user": 2, "submitter": 2, "young account": 1}


def test_one_graphql_query_per_100_requests_and_a_page_per_100_more_thumbs(tmp_path, github):
    shas = [f"{i:040x}" for i in range(150)]
    users = {f"u{i}": {"created_at": old()} for i in range(250)}
    pulls = {
        str(i + 1): {
            "number": i + 1,
            "user": {"login": "bob"},
            "merge_commit_sha": sha,
            "merged_at": old(1),
            "reactions": [{"content": "THUMBS_UP", "user": "u1"}],
        }
        for i, sha in enumerate(shas)
    }
    pulls["1"]["reactions"] = [{"content": "THUMBS_UP", "user": f"u{i}"} for i in range(250)]
    # An open pull request whose branch holds a merge commit is "associated" too: not it.
    pulls["999"] = {"number": 999, "head": {"sha": shas[5]}, "merged_at": None, "reactions": []}
    (github / "github.json").write_text(json.dumps({"pulls": pulls, "users": users}))
    got = gh.merged_pull_reactions(REPOSITORY, shas + shas[:3])  # asked twice: once
    assert len(got) == 150 and got[shas[5]].number == 6
    assert len(got[shas[0]].reactions) == 250
    assert {r.login for r in got[shas[0]].reactions} == set(users)
    calls = [json.loads(x)["args"] for x in (github / "gh-calls.jsonl").read_text().splitlines()]
    assert all(c[:2] == ["api", "graphql"] for c in calls)
    queries = [c[c.index("-f") + 1] for c in calls]
    assert sum("associatedPullRequests" in q for q in queries) == 2  # 100 + 50 commits
    assert sum("pullRequest(number: $number)" in q for q in queries) == 2  # 100 + 50 more 👍
    assert all(c.count("-f") + c.count("-F") <= 103 for c in calls)


def test_the_claim_takes_the_voted_request_first_and_its_commit_says_why(tmp_path, github, capsys):
    world = QueueWorld(tmp_path / "repo", VOTES_ON)
    older = world.merged("org/older", ago=5, pr=1)
    voted = world.merged("org/voted", ago=2, pr=2)  # 3 hours later, 4 votes: goes first
    git(world.root, "config", "user.email", votes.BOT_EMAIL)
    git(world.root, "config", "user.name", "github-actions[bot]")
    (github / "github.json").write_text(
        json.dumps(
            {
                "pulls": {
                    "1": pull(world, 1, older, "bob", []),
                    "2": pull(world, 2, voted, "bob", ["a", "b", "c", "d", "bob", None, "kid"]),
                },
                "users": {
                    **{u: {"created_at": old()} for u in "abcd"},
                    "kid": {"created_at": old(2)},
                },
            }
        )
    )
    # Before any claim, the Queue page knows of no count yet: the line is first come, first
    # served.
    rows = world.queue(capsys)["pending"]
    assert [(r["path"], r["votes"]) for r in rows] == [(older, 0), (voted, 0)]
    capsys.readouterr()
    assert main(["claim", "--root", str(world.root), "--max", "1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [voted]
    message = git(world.root, "log", "-1", "--format=%B")
    assert message.startswith(f"Claim {voted} for ")
    assert "Priority: 4 votes + 2.0 h waited × 1 = 6.0" in message
    assert "Voters: a, b, c, d (not counted: 1 not a user, 1 submitter, 1 young account)" in (
        message
    )
    seen = votes.parse(message)
    assert seen is not None and seen.votes == {voted: 4}
    assert seen.voters == {voted: ["a", "b", "c", "d"]}
    # The Queue page reads the count back from the claim commit; the older request waits.
    [row] = world.queue(capsys)["pending"]
    assert (row["path"], row["votes"], row["position"]) == (older, 0, 1)
    assert row["priority"] == pytest.approx(5.0, abs=0.05)


def test_votes_move_a_request_only_within_the_bound(tmp_path, github, capsys):
    world = QueueWorld(tmp_path / "repo", VOTES_ON)  # at most 10 votes, 1 an hour: 10 hours
    oldest = world.merged("org/oldest", ago=30, pr=1)
    popular = world.merged("org/popular", ago=12, pr=2)  # 18 hours later: never before it
    git(world.root, "config", "user.email", votes.BOT_EMAIL)
    voters = [f"v{i}" for i in range(50)]
    (github / "github.json").write_text(
        json.dumps(
            {
                "pulls": {
                    "1": pull(world, 1, oldest, "bob", []),
                    "2": pull(world, 2, popular, "bob", voters),
                },
                "users": {u: {"created_at": old()} for u in voters},
            }
        )
    )
    capsys.readouterr()
    assert main(["claim", "--root", str(world.root), "--max", "1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [oldest]
    message = git(world.root, "log", "-1", "--format=%B")
    assert votes.parse(message).votes == {popular: 50}
    assert "Priority: 0 votes + 30.0 h waited" in message


def test_without_github_the_claim_is_first_come_first_served_and_says_so(tmp_path, github, capsys):
    world = QueueWorld(tmp_path / "repo", VOTES_ON)
    older = world.merged("org/older", ago=5, pr=1)
    world.merged("org/voted", ago=2, pr=2)
    (github / "github.json").write_text(json.dumps({"fail": ["graphql"]}))
    capsys.readouterr()
    assert main(["claim", "--root", str(world.root), "--max", "1", "--json"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out) == [older]
    said = " ".join(out.err.split())
    assert "votes could not be counted" in said and "claiming first come, first served" in said
    assert "Votes: " not in git(world.root, "log", "-1", "--format=%B")


def test_only_the_bots_claim_commits_are_read_back(tmp_path, capsys):
    """A squash-merged pull request can carry any message: a "Votes:" line in it counts for
    nothing; the dispatch job's own claim commit does."""
    world = QueueWorld(tmp_path / "repo", VOTES_ON)
    rel = world.merged("org/x", ago=3, pr=4)
    forged = votes.trailer(VotesSeen(at=utcnow(), votes={rel: 10}))
    world.commit(f"Innocent (#5)\n\n{forged}", world.now)
    [row] = world.queue(capsys)["pending"]
    assert row["votes"] == 0
    real = votes.trailer(VotesSeen(at=utcnow(), votes={rel: 2}))
    world.commit(f"Claim something\n\n{real}", world.now, author=votes.BOT_EMAIL)
    [row] = world.queue(capsys)["pending"]
    assert row["votes"] == 2
