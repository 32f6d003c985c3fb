"""Rehearsals of the queue under act: votes order the dispatch job's claims, but never past the
ageing bound; and a merged request's pull request is told its place in line and its estimated
start by publish.yml's tell job, from the queue the site was built with.

GitHub's API is the ``gh`` stand-in, which answers the votes' GraphQL query in GitHub's shape
and records every call."""

from __future__ import annotations

import json
import random
import re
import tarfile
from datetime import UTC, datetime, timedelta

import pytest

from leaderboard.devtools.synthetic import add_model
from leaderboard.store.repo import Repo
from leaderboard.suites.loader import load_suite
from tests.lbtest import SETTINGS, git
from tests.workflows.rehearsal import Rehearsal

pytestmark = pytest.mark.slow

#: Votes on: at most 5 counted, an hour of waiting worth one: a 5-hour bound.
VOTES = SETTINGS + (
    "queue:\n  votes:\n    enabled: true\n    max_per_request: 5\n    ageing_per_hour: 1\n"
    "    min_account_age_days: 30\n"
)


def _iso(when: datetime) -> str:
    return when.isoformat().replace("+00:00", "Z")


def _dispatch(github: Rehearsal):
    """The dispatch job alone, started by hand with ``max: 1``: one claim, in priority order."""
    run = github.act(
        "workflow_dispatch",
        {"inputs": {"max": "1"}},
        workflow="evaluate.yml",
        workflows_from=github.main_sha(),
        job="dispatch",
    )
    assert run.code == 0, run.log[-6000:]
    return run


def test_votes_order_the_claims_and_an_old_request_is_still_claimed_within_the_bound(
    github: Rehearsal, shas, new_request
):
    github.commit_main({"curation/settings.yaml": VOTES}, "Votes on")
    now = datetime.now(UTC).replace(microsecond=0)
    tiny = shas["acme/tiny"]
    old, old_text = new_request("acme/tiny", tiny, submitter="bob", precision="float16")
    mid, mid_text = new_request("acme/tiny", tiny, submitter="eve", precision="bfloat16")
    voted, voted_text = new_request("acme/broken", shas["acme/broken"], submitter="carol")
    # Merged 10 hours ago, 3 hours ago and now (git's time on main is what counts).
    github.merge_pr(github.open_pr(41, "bob", {old: old_text}, merged_at=now - timedelta(hours=10)))
    github.merge_pr(github.open_pr(42, "eve", {mid: mid_text}, merged_at=now - timedelta(hours=3)))
    github.merge_pr(github.open_pr(43, "carol", {voted: voted_text}))
    state = github.gh_state()
    thumbs = ["u1", "u2", "u3", "u4", "carol", None, "kid"]
    state["pulls"]["43"]["reactions"] = [{"content": "THUMBS_UP", "user": u} for u in thumbs]
    state["users"] = {
        **{u: {"created_at": _iso(now - timedelta(days=400))} for u in ("u1", "u2", "u3", "u4")},
        "kid": {"created_at": _iso(now - timedelta(days=2))},
    }
    github.gh_state(state)

    # First claim: 4 votes + 0 hours for the new one, 10 hours for the old one, which arrived
    # more than the 5-hour bound earlier: the old one goes first, whatever the votes.
    run = _dispatch(github)
    assert github.remote_request(old)["status"] == "RUNNING"
    assert github.remote_request(voted)["status"] == "PENDING"
    claim = git(github.remote, "log", "-1", "--format=%B", "main")
    assert claim.startswith(f"Claim {old} ") and "Priority: 0 votes + 10.0 h waited" in claim
    votes_line = next(line for line in claim.splitlines() if line.startswith("Votes: "))
    seen = json.loads(votes_line.removeprefix("Votes: "))
    assert seen["votes"] == {voted: 4} and seen["voters"] == {voted: ["u1", "u2", "u3", "u4"]}
    assert seen["not_counted"] == {voted: {"not a user": 1, "submitter": 1, "young account": 1}}
    graphql = [c for c in github.gh_calls() if c["args"][:2] == ["api", "graphql"]]
    assert len(graphql) == 1 and graphql[0]["token"]  # one query for the pending requests
    assert "votes counted on 1 pending request(s)" in " ".join(run.log.split())

    # Second claim: the voted request (4 + 0) goes before the older one without votes (0 + 3).
    _dispatch(github)
    assert github.remote_request(voted)["status"] == "RUNNING"
    assert github.remote_request(mid)["status"] == "PENDING"
    claim = git(github.remote, "log", "-1", "--format=%B", "main")
    assert claim.startswith(f"Claim {voted} ") and "Priority: 4 votes + 0." in claim
    assert "Voters: u1, u2, u3, u4 (not counted: 1 not a user, 1 submitter, 1 young account)" in (
        claim
    )


def test_a_merged_request_is_told_its_place_and_estimated_start(
    github: Rehearsal, shas, new_request
):
    # History: a 7B evaluation that took 2 hours, committed as the record job commits it.
    work = github.maintainer
    git(work, "pull", "-q", "--ff-only", "origin", "main")
    add_model(
        Repo(work),
        load_suite("demo"),
        "hist/seven-b",
        1,
        random.Random(1),
        request={"params": 7.0},
        hub={"params": 7_000_000_000},
        wall_hours=2.0,
    )
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "Record result of hist/seven-b")
    git(work, "push", "-q", "origin", "HEAD:main")
    # Two 7B requests merged one after the other; their paths sort the other way round, so only
    # git's history (not a shallow checkout) puts them in the right order.
    tiny = shas["acme/tiny"]
    first, first_text = new_request("acme/zz-first", tiny, submitter="bob", params=7.0)
    second, second_text = new_request("acme/aa-second", tiny, submitter="eve", params=7.0)
    earlier = datetime.now(UTC) - timedelta(hours=1)
    github.merge_pr(github.open_pr(50, "bob", {first: first_text}, merged_at=earlier))
    before = github.main_sha()
    after = github.merge_pr(github.open_pr(51, "eve", {second: second_text}))
    event = {"ref": "refs/heads/main", "before": before, "after": after}
    run = github.act("push", event, workflow="publish.yml", workflows_from=after)
    assert run.code == 0, run.log[-6000:]
    # The published queue: merge order, one pool, the second starts when the first is done.
    with tarfile.open(github.artifacts(github.runs) / "github-pages" / "artifact.tar") as tar:
        queue = json.load(tar.extractfile("./data/queue.json"))
        page = tar.extractfile("./queue/index.html").read().decode()
    pending = {e["request"]: e for e in queue if e["status"] == "PENDING"}
    assert (pending[first]["position"], pending[second]["position"]) == (1, 2)
    assert pending[second]["duration"]["hours"] == 2.0
    assert "As of " in page and "first come, first served" in page
    # The pull request that added the second one is told, once.
    [told] = [c["body"].replace("\u200b", "") for c in github.comments(51)]
    assert "**In the queue:** `acme/aa-second`" in told
    assert re.search(r"#2 in line for pool gpu; estimated start in about 2 h \(", told), told
    assert "finish in about 4 h" in told
    assert "[Queue page](<https://owner.github.io/leaderboard/queue/>)" in told
    assert github.comments(50) == []  # merged by an earlier push: told then
    assert "told #51 (queued)" in run.summaries["tell"]
