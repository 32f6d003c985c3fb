"""Rules 1 to 4 of `leaderboard validate`, on real git repositories (base main + PR branch)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.lbtest import iso_days_ago
from tests.submissions.submissions_helpers import FAKE_SHA, on_main, open_pr, request_text, rules


def test_a_plain_submission_is_valid(judge, leaderboard_repo):
    rel, text = request_text()
    open_pr(leaderboard_repo, {rel: text})
    code, report = judge("bob", "--no-hub")
    assert (code, report["ok"], report["problems"]) == (0, True, [])
    assert report["checked"] == [rel]


def test_submitter_must_be_the_author(judge, leaderboard_repo):
    rel, text = request_text(submitter="mallory")
    open_pr(leaderboard_repo, {rel: text})
    code, report = judge("bob", "--no-hub")
    assert code == 1
    [problem] = report["problems"]
    assert (
        problem["rule"] == "submitter" and problem["line"] == 8 and problem["field"] == "submitter"
    )
    assert "submitter: bob" in problem["message"]


def test_changes_other_than_new_pending_requests_need_a_maintainer(judge, leaderboard_repo):
    rel, text = request_text(submitter="carol")
    failed_rel, failed = request_text("org/other", status="FAILED", submitter="carol")
    on_main(leaderboard_repo, {rel: text, failed_rel: failed})
    new_rel, finished = request_text("org/third", status="FINISHED")
    open_pr(
        leaderboard_repo,
        {
            rel: text.replace("fine-tuned", "chat"),
            new_rel: finished,
            "curation/settings.yaml": "schema_version: 1\nmaintainers: [alice, bob]\n",
        },
    )
    code, report = judge("bob", "--no-hub")
    assert code == 1
    assert rules(report) == ["needs-maintainer"] * 3
    by_path = {p["path"]: p for p in report["problems"]}
    assert "@alice" in by_path["curation/settings.yaml"]["message"]
    assert "already exists" in by_path[rel]["message"]
    assert "status PENDING, not FINISHED" in by_path[new_rel]["message"]
    assert by_path[new_rel]["line"] == 10
    assert {p["kind"] for p in report["problems"]} == {"needs-maintainer"}

    open_pr(leaderboard_repo, {}, delete=(failed_rel,))
    code, report = judge("bob", "--no-hub")
    assert code == 1 and rules(report) == ["needs-maintainer"]
    assert "deletes" in report["problems"][0]["message"]


def test_a_maintainer_may_change_curation_files(judge, leaderboard_repo):
    open_pr(
        leaderboard_repo,
        {"curation/maintainers-choice.yaml": "schema_version: 1\norganisations: [org]\n"},
    )
    code, report = judge("alice", "--no-hub")
    assert code == 0, report


def test_runner_fields_in_a_new_request_need_a_maintainer(judge, leaderboard_repo):
    rel, text = request_text(extra="attempts: 2\n")
    open_pr(leaderboard_repo, {rel: text})
    code, report = judge("bob", "--no-hub")
    assert code == 1 and rules(report) == ["needs-maintainer"]
    assert report["problems"][0]["field"] == "attempts"


def test_schema_errors_name_file_line_and_field(judge, leaderboard_repo):
    rel, text = request_text(extra="colour: blue\n")
    short = "requests/org/short/abc123_bfloat16_nochat.yaml"
    _, short_text = request_text("org/short", "abc123")
    open_pr(leaderboard_repo, {rel: text, short: short_text})
    code, report = judge("bob", "--no-hub")
    assert code == 1
    by_path = {p["path"]: p for p in report["problems"]}
    assert by_path[rel]["line"] == 11 and by_path[rel]["field"] == "colour"
    assert "unknown field" in by_path[rel]["message"]
    assert by_path[short]["field"] == "revision" and "40" in by_path[short]["message"]


def test_path_must_match_content(judge, leaderboard_repo):
    _, text = request_text(precision="float16")
    rel, _ = request_text(precision="bfloat16")
    open_pr(leaderboard_repo, {rel: text})
    code, report = judge("bob", "--no-hub")
    assert code == 1 and rules(report) == ["path"]
    assert (
        "float16" in report["problems"][0]["message"]
        and "must be at" in report["problems"][0]["message"]
    )


def test_hostile_input(judge, leaderboard_repo):
    _, text = request_text()
    alias = "a: &x [1]\nb: *x\n"
    files = {
        "requests/org/good/notes.txt": "hello",
        "requests/org/ctl\x07name/x.yaml": text,
        "requests/-bad/model/" + FAKE_SHA + "_bfloat16_nochat.yaml": text,
        "requests/org/alias/" + FAKE_SHA + "_bfloat16_nochat.yaml": alias,
        "requests/org/big/" + FAKE_SHA + "_bfloat16_nochat.yaml": "x: '" + "y" * 70_000 + "'\n",
    }
    open_pr(leaderboard_repo, files)
    code, report = judge("bob", "--no-hub")
    assert code == 1
    got = {p["path"]: p["rule"] for p in report["problems"]}
    assert got["requests/org/good/notes.txt"] == "path"
    assert got["requests/org/ctl\\x07name/x.yaml"] == "path"
    assert got["requests/-bad/model/" + FAKE_SHA + "_bfloat16_nochat.yaml"] == "path"
    assert got["requests/org/alias/" + FAKE_SHA + "_bfloat16_nochat.yaml"] == "yaml"
    assert got["requests/org/big/" + FAKE_SHA + "_bfloat16_nochat.yaml"] == "size"


def test_symlinks_are_refused(judge, leaderboard_repo):
    rel, _ = request_text()
    leaderboard_repo.git("checkout", "-q", "-B", "pr", "origin/main")
    target = leaderboard_repo.path / rel
    target.parent.mkdir(parents=True)
    target.symlink_to("/etc/passwd")
    leaderboard_repo.commit("symlink")
    code, report = judge("bob", "--no-hub")
    assert code == 1 and rules(report) == ["path"]
    assert "link" in report["problems"][0]["message"]


def test_duplicates_name_the_existing_file(judge, leaderboard_repo):
    rel, text = request_text(submitter="carol", status="FAILED")
    on_main(leaderboard_repo, {rel: text})
    dup_rel, dup = request_text("Org/Good")  # Hub ids ignore case
    other_chat, chat_text = request_text(chat=True)  # another identity: not a duplicate
    open_pr(leaderboard_repo, {dup_rel: dup, other_chat: chat_text})
    code, report = judge("bob", "--no-hub")
    assert code == 1 and rules(report) == ["duplicate", "model-case"]
    duplicate, spelling = sorted(report["problems"], key=lambda p: p["rule"])
    assert duplicate["path"] == dup_rel and rel in duplicate["message"]
    assert (spelling["path"], spelling["field"]) == (dup_rel, "model")
    assert "spelled org/good" in spelling["message"]


def test_a_model_in_another_spelling_is_refused_at_any_commit(judge, leaderboard_repo):
    """Org/Good at a new commit is no duplicate, but it is org/good on the Hub: two spellings
    would give the model two rows and one of its pages would answer 404."""
    rel, text = request_text(submitter="carol")
    on_main(leaderboard_repo, {rel: text})
    other, other_text = request_text("Org/Good", "b" * 40)
    pair = dict([request_text("new/Model", "c" * 40), request_text("NEW/model", "d" * 40)])
    open_pr(leaderboard_repo, {other: other_text, **pair})
    code, report = judge("bob", "--no-hub")
    assert code == 1 and rules(report) == ["model-case"] * 3, report
    by_path = {p["path"]: p["message"] for p in report["problems"]}
    assert "already on the leaderboard spelled org/good" in by_path[other]
    assert all("also in this pull request" in by_path[p] for p in pair)


def test_rate_limit_per_namespace_says_when_the_next_slot_opens(judge, leaderboard_repo):
    """The rate limit counts when git added each request on main, not its submitted_at."""
    now = datetime.now(UTC)
    old_rel, old = request_text(
        "busy/old", submitted_at=now - timedelta(days=30), submitter="carol"
    )
    on_main(leaderboard_repo, {old_rel: old}, when=now - timedelta(days=30))
    for i in reversed(range(5)):
        # Each file's own date says it is a month old: only git's time puts it in the window.
        rel, text = request_text(
            f"busy/m{i}", submitted_at=now - timedelta(days=40), submitter="carol"
        )
        on_main(leaderboard_repo, {rel: text}, when=now - timedelta(days=i + 1))
    rel, text = request_text("busy/new")
    open_pr(leaderboard_repo, {rel: text})
    code, report = judge("bob", "--no-hub")
    assert code == 1 and rules(report) == ["rate-limit"]
    message = report["problems"][0]["message"]
    opens = (now - timedelta(days=5) + timedelta(days=7)).strftime("%Y-%m-%d")
    assert "already has 5 request(s)" in message and f"next slot opens at {opens}" in message


def test_exempt_organisations_from_settings_and_maintainers_choice(judge, leaderboard_repo):
    now = datetime.now(UTC)
    base = {"curation/maintainers-choice.yaml": "schema_version: 1\norganisations: [busy]\n"}
    for i in range(6):
        rel, text = request_text(
            f"busy/m{i}", submitted_at=now - timedelta(hours=i + 1), submitter="carol"
        )
        base[rel] = text
    on_main(leaderboard_repo, base)
    rel, text = request_text("busy/new")
    open_pr(leaderboard_repo, {rel: text})
    assert judge("bob", "--no-hub")[0] == 0


def test_do_not_submit_list_covers_model_and_base_model(judge, leaderboard_repo):
    listed = (
        "schema_version: 1\nmodels:\n- model: org/listed\n  reason: the authors asked\n"
        f"  date: '{iso_days_ago(30)}'\n"
    )
    on_main(leaderboard_repo, {"curation/do-not-submit.yaml": listed})
    rel, text = request_text("org/listed")
    rel2, text2 = request_text(
        "org/delta", weight_type="Delta", base_model="org/listed", base_revision=FAKE_SHA
    )
    open_pr(leaderboard_repo, {rel: text, rel2: text2})
    code, report = judge("bob", "--no-hub")
    assert code == 1 and rules(report) == ["do-not-submit"] * 2
    assert {p["field"] for p in report["problems"]} == {"model", "base_model"}


def test_settings_come_from_the_base_not_the_pr(judge, leaderboard_repo):
    """A PR that makes its author a maintainer does not thereby approve itself."""
    rel, text = request_text(status="FINISHED")
    open_pr(
        leaderboard_repo,
        {rel: text, "curation/settings.yaml": "schema_version: 1\nmaintainers: [bob]\n"},
    )
    code, report = judge("bob", "--no-hub")
    assert code == 1 and rules(report) == ["needs-maintainer"] * 2


def _validate_against_main(checkout) -> list[str]:
    """``validate`` of bob's pull request in ``checkout``, against origin/main."""
    return ["validate", "--repo", str(checkout.path), "--base", "origin/main", "--author", "bob"]


def test_github_annotations_and_step_summary(leaderboard_repo, capsys, tmp_path, monkeypatch):
    from leaderboard.cli.main import main

    rel, text = request_text(submitter="mallory")
    open_pr(leaderboard_repo, {rel: text})
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    capsys.readouterr()
    code = main([*_validate_against_main(leaderboard_repo), "--no-hub"])
    out = capsys.readouterr().out
    assert code == 1
    assert f"{rel}:8: [submitter] submitter:" in out
    assert f"::error file={rel},line=8,title=[submitter] submitter::" in out
    assert "| `" + rel + "` | 8 | `submitter` |" in summary.read_text()


def test_uncommitted_request_is_checked_against_origin_main(leaderboard_repo, capsys):
    rel, text = request_text(submitter="mallory")
    leaderboard_repo.write(rel, text)  # untracked, as `leaderboard submit` leaves it
    from leaderboard.cli.main import main

    capsys.readouterr()
    assert (
        main(["validate", "--repo", str(leaderboard_repo.path), "--author", "bob", "--no-hub"]) == 1
    )
    assert "[submitter]" in capsys.readouterr().out


def test_committed_compares_commits_only(leaderboard_repo, capsys):
    """CI's flag: a clean checkout, compared tree to tree; uncommitted files are not its PR."""
    from leaderboard.cli.main import main

    rel, text = request_text()
    open_pr(leaderboard_repo, {rel: text})
    bad_rel, bad = request_text("org/other", submitter="mallory")
    leaderboard_repo.write(bad_rel, bad)
    args = _validate_against_main(leaderboard_repo)
    assert main([*args, "--no-hub", "--committed"]) == 0
    assert main([*args, "--no-hub"]) == 1


def test_any_legal_spelling_of_a_request_is_valid(judge, leaderboard_repo):
    """No rule exists for a reader's sake: a quoted status, a comment, flow style or no status
    line at all is the same request to the schema, so validation accepts it (the ``canonical``
    rule refused these when the queue read status lines as text)."""
    rel, text = request_text()
    spellings = [
        text.replace("status: PENDING", "status: 'PENDING'  # new"),
        text.replace("status: PENDING\n", ""),
        "{" + ", ".join(text.strip().splitlines()) + "}\n",
    ]
    for spelled in spellings:
        open_pr(leaderboard_repo, {rel: spelled})
        code, report = judge("bob", "--no-hub")
        assert (code, report["problems"]) == (0, []), spelled
