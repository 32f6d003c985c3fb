"""A hostile submitter against `leaderboard validate`, on real git repositories.

Each test is one attack from the red-team pass (issue 12): a backdated request, a misplaced file
that hides its other problems, a maintainer's new request that skipped the checks, a renamed
model submitted again under its old name, settings that break the runner later, a pull request
of many requests, and two pull requests that pass apart but not together.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from leaderboard.core.models import iso_z
from leaderboard.queue.claims import pending
from leaderboard.store.repo import Repo
from leaderboard.table.queue_view import queue_by_status
from tests.lbtest import VALIDATE_MODES
from tests.submissions.submissions_helpers import (
    FAKE_SHA,
    on_main,
    open_pr,
    request_text,
    rules,
    validate,
)

MAINTAINERS = "schema_version: 1\nmaintainers: [alice]\n"


# -- dates come from git ------------------------------------------------------------------------


def test_backdated_requests_still_count_toward_the_rate_limit(judge, leaderboard_repo):
    """Five requests merged today, each claiming to be two months old, fill the window."""
    now = datetime.now(UTC)
    for i in range(5):
        rel, text = request_text(
            f"busy/m{i}", submitted_at=now - timedelta(days=60), submitter="carol"
        )
        on_main(leaderboard_repo, {rel: text})
    rel, text = request_text("busy/new")
    open_pr(leaderboard_repo, {rel: text})
    code, report = judge("bob", "--no-hub")
    assert code == 1 and rules(report) == ["rate-limit"], report
    assert "already has 5 request(s)" in report["problems"][0]["message"]


def test_submitted_at_far_from_its_commit_is_refused_with_the_fix(judge, leaderboard_repo):
    rel, text = request_text(submitted_at=datetime.now(UTC) - timedelta(days=30))
    open_pr(leaderboard_repo, {rel: text})
    code, report = judge("bob", "--no-hub", "--committed")
    assert code == 1 and rules(report) == ["submitted-at"], report
    [problem] = report["problems"]
    committed = leaderboard_repo.git("log", "-1", "--format=%at", "pr")
    expected = iso_z(datetime.fromtimestamp(int(committed), UTC))
    assert f"Set `submitted_at: '{expected}'`" in problem["message"]
    assert (problem["line"], problem["field"]) == (9, "submitted_at")


def test_a_backdated_request_does_not_jump_the_queue(leaderboard_repo):
    """B claims to be a year old but reached main after A: A runs first, and the Queue page
    numbers them the same way."""
    now = datetime.now(UTC)
    first, first_text = request_text("org/first", submitter="carol")
    on_main(leaderboard_repo, {first: first_text}, when=now - timedelta(hours=2))
    late, late_text = request_text(
        "org/late", submitted_at=now - timedelta(days=365), submitter="mallory"
    )
    on_main(leaderboard_repo, {late: late_text}, when=now - timedelta(hours=1))
    repo = Repo(leaderboard_repo.path)
    assert [rel for rel, _ in pending(repo)] == [first, late]
    queue = queue_by_status(repo)["pending"]
    assert [(row["path"], row["position"]) for row in queue] == [(first, 1), (late, 2)]


# -- one run lists every problem ---------------------------------------------------------------


def test_a_misplaced_request_is_judged_on_its_content_too(judge, leaderboard_repo):
    """The path is wrong and so is the submitter: both are reported in one run."""
    _, text = request_text(precision="float16", submitter="mallory")
    rel, _ = request_text(precision="bfloat16")
    open_pr(leaderboard_repo, {rel: text})
    code, report = judge("bob", "--no-hub")
    assert code == 1 and rules(report) == ["path", "submitter"], report


# -- maintainers' new requests -----------------------------------------------------------------


def test_a_maintainers_new_finished_request_gets_every_check(judge, leaderboard_repo):
    """A FINISHED request added by hand: a duplicate (another case of the same model), with a
    date in the future and no runner record, filed at a path that does not match."""
    rel, text = request_text("org/good", submitter="carol")
    on_main(leaderboard_repo, {rel: text})
    future = datetime.now(UTC) + timedelta(days=3)
    _, finished = request_text(
        "Org/Good", status="FINISHED", submitter="alice", submitted_at=future
    )
    misplaced = f"requests/Org/Good/{FAKE_SHA}_float16_nochat.yaml"
    dup, dup_text = request_text("Org/Good", status="FINISHED", submitter="alice")
    open_pr(leaderboard_repo, {misplaced: finished, dup: dup_text})
    code, report = judge("alice", "--no-hub")
    assert code == 1
    by_path: dict[str, list[str]] = {}
    for p in report["problems"]:
        by_path.setdefault(p["path"], []).append(p["rule"])
    # Each is also a duplicate: of org/good on main, and of the other; and org/good's spelling.
    record = ["needs-maintainer", "needs-maintainer"]  # no runner, started_at, attempts
    dups = ["duplicate", "duplicate", "model-case"]
    assert sorted(by_path[misplaced]) == [*dups, *record, "path", "submitted-at"]
    assert sorted(by_path[dup]) == [*dups, *record]


# -- renames -----------------------------------------------------------------------------------


def _renames(old: str, new: str) -> str:
    return (
        f"schema_version: 1\nrenames:\n- old: {old}\n  new: {new}\n"
        f"  date: '{iso_z(datetime.now(UTC) - timedelta(days=1))}'\n  maintainer: alice\n"
    )


def test_a_request_for_a_renamed_models_old_name_is_a_duplicate(judge, leaderboard_repo):
    rel, text = request_text("org/new-name", submitter="carol")
    on_main(
        leaderboard_repo,
        {rel: text, "curation/renames.yaml": _renames("org/old-name", "org/new-name")},
    )
    again, again_text = request_text("org/old-name")
    open_pr(leaderboard_repo, {again: again_text})
    code, report = judge("bob", "--no-hub")
    assert code == 1 and rules(report) == ["duplicate"], report
    assert rel in report["problems"][0]["message"]


def test_a_rename_onto_a_model_with_rows_is_refused(judge, leaderboard_repo):
    a, a_text = request_text("org/a", submitter="carol")
    b, b_text = request_text("org/b", submitter="carol")
    on_main(leaderboard_repo, {a: a_text, b: b_text})
    open_pr(leaderboard_repo, {"curation/renames.yaml": _renames("org/a", "org/b")})
    code, report = judge("alice", "--no-hub")
    assert code == 1
    merging = [p for p in report["problems"] if "would merge two models" in p["message"]]
    assert [(p["rule"], p["field"]) for p in merging] == [("rename", "renames.0.new")]


# -- settings ----------------------------------------------------------------------------------


def test_settings_that_break_the_runner_later_are_refused(judge, leaderboard_repo):
    settings = MAINTAINERS + "suite: nosuch\nreconcile_timeout_hours: 1.0e-9\n"
    open_pr(leaderboard_repo, {"curation/settings.yaml": settings})
    code, report = judge("alice", "--no-hub")
    assert code == 1
    mine = [p for p in report["problems"] if p["path"] == "curation/settings.yaml"]
    by_field = {p["field"]: p for p in mine}
    assert set(by_field) == {"suite", "reconcile_timeout_hours"}, report
    assert "'nosuch' cannot be loaded" in by_field["suite"]["message"]
    assert by_field["suite"]["line"] == 3
    assert "between 1 and 720" in by_field["reconcile_timeout_hours"]["message"]


def test_a_negative_size_limit_is_refused(judge, leaderboard_repo):
    settings = MAINTAINERS + "size_limits_b:\n  float16: -1\n"
    open_pr(leaderboard_repo, {"curation/settings.yaml": settings})
    code, report = judge("alice", "--no-hub")
    assert code == 1
    [problem] = report["problems"]
    assert (problem["rule"], problem["field"]) == ("schema", "size_limits_b.float16")
    assert "greater than 0" in problem["message"]


# -- big pull requests -------------------------------------------------------------------------


def test_requests_per_pull_request_are_capped(judge, leaderboard_repo):
    on_main(leaderboard_repo, {"curation/settings.yaml": MAINTAINERS + "max_requests_per_pr: 3\n"})
    files = dict(request_text(f"org{i}/m") for i in range(4))
    open_pr(leaderboard_repo, files)
    code, report = judge("bob", "--no-hub")
    assert code == 1 and rules(report) == ["pr-size"], report
    assert "adds 4 requests; at most 3" in report["problems"][0]["message"]


def test_no_hub_calls_for_a_request_already_refused(judge, leaderboard_repo, hub):
    """The model is not on the (dev)hub: asking would add hub-not-found. The rate limit has
    refused the request already, so the Hub is not asked at all."""
    on_main(
        leaderboard_repo,
        {"curation/settings.yaml": MAINTAINERS + "rate_limit:\n  per_namespace: 1\n"},
    )
    files = dict(request_text(f"busy/m{i}") for i in range(2))
    open_pr(leaderboard_repo, files)
    report = judge("bob")[1]
    assert rules(report) == ["hub-not-found", "rate-limit"], report
    refused = next(p["path"] for p in report["problems"] if p["rule"] == "rate-limit")
    assert all(p["path"] != refused for p in report["problems"] if p["rule"].startswith("hub"))


# -- merges ------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", VALIDATE_MODES)
def test_a_branch_with_two_merge_bases_is_judged_by_what_its_merge_does(
    leaderboard_repo, capsys, mode
):
    """The branch merges two commits that main merged too, and drops the do-not-submit list in
    its merge. git's merge base is the commit dated ten years on, from which the branch only adds a
    request; merging it into main deletes the list. Judged as validate.yml runs it, the merge is
    what counts; on a checkout, a branch with two merge bases is refused."""
    repo = leaderboard_repo
    listed = (
        "schema_version: 1\nmodels:\n- model: org/listed\n  reason: the authors asked\n"
        f"  date: '{iso_z(datetime.now(UTC) - timedelta(days=1))}'\n"
    )
    dns = "curation/do-not-submit.yaml"
    repo.git("checkout", "-q", "-b", "list", "main")
    repo.write(dns, listed)
    repo.commit("the list")
    repo.git("checkout", "-q", "-b", "early", "main")
    repo.write(*request_text("org/first", submitter="carol"))
    dated = repo.commit("a request", when=iso_z(datetime.now(UTC) + timedelta(days=3650)))
    repo.git("checkout", "-q", "main")
    for branch in ("list", "early"):
        repo.git("merge", "-q", "--no-ff", "-m", f"Merge {branch}", branch)
    repo.git("push", "-q", "origin", "main")
    repo.git("checkout", "-q", "-b", "pr", "early")
    repo.git("merge", "-q", "--no-commit", "list")
    repo.git("rm", "-q", "-f", dns)
    repo.write(*request_text("org/second"))
    repo.commit("Merge list")
    assert repo.git("merge-base", "origin/main", "pr") == dated  # the diff git would show
    assert dns not in repo.git("diff", "--name-only", dated, "pr")
    code, report = validate(repo, capsys, "bob", "--no-hub", "--committed", mode=mode)
    assert code == 1, report
    if mode == "head":
        [problem] = report["problems"]
        assert (problem["path"], problem["rule"]) == (dns, "needs-maintainer")
        assert f"deletes {dns}" in problem["message"]
    else:
        [problem] = report["problems"]
        assert problem["rule"] == "merge-conflict" and "2 merge bases" in problem["message"]


@pytest.mark.parametrize("mode", VALIDATE_MODES)
def test_a_pull_request_that_conflicts_with_main_is_told_to_update(leaderboard_repo, capsys, mode):
    rel, text = request_text(submitter="carol")
    leaderboard_repo.git("checkout", "-q", "-b", "pr", "main")
    leaderboard_repo.write(rel, text.replace("fine-tuned", "chat"))
    leaderboard_repo.commit("mine")
    on_main(leaderboard_repo, {rel: text})
    leaderboard_repo.git("checkout", "-q", "pr")
    code, report = validate(leaderboard_repo, capsys, "bob", "--no-hub", "--committed", mode=mode)
    assert code == 1
    if mode == "head":
        [problem] = report["problems"]
        assert (problem["path"], problem["rule"]) == (rel, "merge-conflict"), report
        assert "merge or rebase" in problem["message"]


def test_a_pull_request_that_shares_no_history_with_main_is_refused(leaderboard_repo, capsys):
    """A branch made from nothing (`git checkout --orphan`): there is no merge to judge."""
    leaderboard_repo.git("checkout", "-q", "--orphan", "pr")
    leaderboard_repo.write(*request_text())
    leaderboard_repo.commit("from nothing")
    code, report = validate(leaderboard_repo, capsys, "bob", "--no-hub", mode="head")
    assert code == 1 and rules(report) == ["merge-conflict"], report
    assert "shares no history" in report["problems"][0]["message"]


# -- concurrent pull requests ------------------------------------------------------------------


def _branch(checkout, name: str, files: dict[str, str]) -> None:
    checkout.git("checkout", "-q", "-B", name, "origin/main")
    for rel, text in files.items():
        checkout.write(rel, text)
    checkout.commit(name)


def _merge(checkout, name: str) -> None:
    checkout.git("checkout", "-q", "main")
    checkout.git("merge", "-q", "--no-ff", "-m", f"Merge {name}", name)
    checkout.git("push", "-q", "origin", "main")


def _judge_as_github_does(checkout, capsys, name: str, mode: str) -> tuple[int, dict]:
    """The pull request as CI judges it: its merge into the base as the base is now (checked
    out as GitHub's merge commit, or its branch's head as validate.yml passes it)."""
    if mode == "head":
        checkout.git("checkout", "-q", name)
    else:
        checkout.git("checkout", "-q", "-B", f"merge-{name}", "origin/main")
        checkout.git("merge", "-q", "--no-ff", "-m", f"Merge {name}", name)
    return validate(checkout, capsys, "bob", "--no-hub", "--committed", mode=mode)


@pytest.mark.parametrize("mode", VALIDATE_MODES)
def test_two_pull_requests_that_pass_apart_are_rechecked_at_merge_time(
    leaderboard_repo, capsys, mode
):
    """Each passes against the base; once one is merged, the others, judged again against the
    updated base (what the merge queue or "require branches to be up to date" does), break
    the rate limit and the duplicate rule."""
    on_main(
        leaderboard_repo,
        {"curation/settings.yaml": MAINTAINERS + "rate_limit:\n  per_namespace: 2\n"},
    )
    _branch(leaderboard_repo, "pr-one", dict([request_text("busy/one"), request_text("busy/b")]))
    _branch(leaderboard_repo, "pr-two", dict([request_text("busy/two")]))
    # The same request as pr-one's, in a folder of another case: no merge conflict to stop it.
    _branch(leaderboard_repo, "pr-three", dict([request_text("Busy/One")]))
    for name in ("pr-one", "pr-two", "pr-three"):
        assert _judge_as_github_does(leaderboard_repo, capsys, name, mode)[0] == 0, name
    _merge(leaderboard_repo, "pr-one")
    code, report = _judge_as_github_does(leaderboard_repo, capsys, "pr-two", mode)
    assert code == 1 and rules(report) == ["rate-limit"], report
    code, report = _judge_as_github_does(leaderboard_repo, capsys, "pr-three", mode)
    assert code == 1 and rules(report) == ["duplicate", "model-case", "rate-limit"], report
