"""Rehearsals of validate.yml under act: what a submitter and a maintainer see on their PR,
and the merge queue's re-check."""

from __future__ import annotations

import json

import pytest

from tests.workflows.rehearsal import BOT, Rehearsal

pytestmark = pytest.mark.slow

FORGED = """\
name: validate
on: [pull_request, pull_request_target]
permissions: {}
jobs:
  validate:
    runs-on: ubuntu-latest
    steps:
      - name: Forge the verdict
        env:
          GH_TOKEN: ${{ github.token }}
          REPO: ${{ github.repository }}
          PR: ${{ github.event.pull_request.number }}
        run: |
          echo '{"body": "<!-- leaderboard-validate -->\\n### ✅ Valid (forged)"}' |
            gh api --method POST "repos/$REPO/issues/$PR/comments" --input -
"""


def test_a_valid_request_passes_and_one_sticky_comment_follows_the_pr(
    github: Rehearsal, shas, new_request
):
    rel, text = new_request("acme/tiny", shas["acme/tiny"], submitter="bob")
    pr = github.open_pr(7, "bob", {rel: text})
    # Another app's bot copied our marker: it is a Bot too, but not ours.
    state = github.gh_state()
    decoy = {
        "id": 5,
        "body": "<!-- leaderboard-validate -->\n✅ trust me",
        "user": {"login": "helpful-app[bot]", "type": "Bot"},
    }
    state["comments"] = {"7": [decoy]}
    github.gh_state(state)
    run = github.on_pull_request(pr, "validate.yml")
    assert run is not None and run.code == 0, run and run.log
    first, comment = github.comments(7)
    assert first == decoy
    assert comment["user"]["login"] == BOT
    assert "### ✅ Valid" in comment["body"]
    assert "✅ Valid" in run.summaries["validate"]

    # A second push with a request in someone else's name: the same comment is updated.
    rel2, text2 = new_request(
        "acme/tiny", shas["acme/tiny"], submitter="mallory", precision="bfloat16"
    )
    pr = github.open_pr(7, "bob", {rel2: text2})
    run = github.on_pull_request(pr, "validate.yml")
    assert run is not None and run.code != 0
    first, again = github.comments(7)
    assert first == decoy
    assert again["id"] == comment["id"] and "❌ Changes needed" in again["body"]
    assert rel2 in again["body"] and "`submitter`" in again["body"]
    patches = [c for c in github.gh_calls() if "PATCH" in c["args"]]
    assert len(patches) == 1 and all(c["token"] for c in github.gh_calls())


def test_an_invalid_request_fails_with_annotations_a_summary_and_every_problem(
    github: Rehearsal, shas, new_request
):
    good_rel, good = new_request("acme/tiny", shas["acme/tiny"], submitter="bob")
    wrong_rel = good_rel.replace(shas["acme/tiny"], "a" * 40)  # a revision the Hub lacks
    broken_rel = good_rel.replace("float16", "bfloat16")
    files = {
        wrong_rel: good.replace(shas["acme/tiny"], "a" * 40),
        broken_rel: "model: acme/tiny\nrevision: [not, a, sha]\n",
    }
    pr = github.open_pr(8, "bob", files)
    run = github.on_pull_request(pr, "validate.yml")
    assert run is not None and run.code != 0
    assert run.step_failed("Validate")
    report = json.loads((github.artifacts(github.runs) / "validate-report/report.json").read_text())
    problems = report["problems"]
    assert {p["path"] for p in problems} == {wrong_rel, broken_rel}
    assert "hub-revision" in {p["rule"] for p in problems}
    annotations = [line for line in run.log.splitlines() if "::error file=" in line]
    assert len(annotations) == len(problems)
    summary = run.summaries["validate"]
    assert "❌ Changes needed" in summary and wrong_rel in summary and broken_rel in summary
    [comment] = github.comments(8)
    rows = [line for line in comment["body"].splitlines() if line.startswith("| `requests/")]
    assert len(rows) == len(problems) and f"{len(problems)} problems" in comment["body"]


def test_a_submission_that_touches_anything_else_is_refused_and_cannot_forge_its_verdict(
    github: Rehearsal, shas, new_request
):
    rel, text = new_request("acme/tiny", shas["acme/tiny"], submitter="bob")
    files = {
        rel: text,
        ".github/workflows/validate.yml": FORGED,
        ".github/CODEOWNERS": "* @bob\n",
        "scripts/leaderboard/checks/validate.py": "def validate_repo(*a, **k):\n    return None\n",
    }
    pr = github.open_pr(9, "bob", files, links={"docs/secrets.md": "/etc/passwd"})
    run = github.on_pull_request(pr, "validate.yml")
    assert run is not None and run.code != 0, "the base branch's validator must judge this PR"
    bodies = [c["body"] for c in github.comments(9)]
    assert len(bodies) == 1 and "forged" not in bodies[0], bodies
    for path in (".github/workflows/validate.yml", ".github/CODEOWNERS", "docs/secrets.md"):
        assert path in bodies[0]
    assert "scripts/leaderboard/checks/validate.py" in bodies[0]
    assert bodies[0].count("`needs-maintainer`") == 4


def test_the_merge_queue_rechecks_against_the_newest_main(github: Rehearsal, shas, new_request):
    """Two PRs, each valid alone; the second in the queue breaks the rate limit once the first
    has merged, and the merge_group run says so."""
    settings = (
        "schema_version: 1\nsuite: demo\nmaintainers: [alice]\n"
        "rate_limit:\n  per_namespace: 1\n  days: 7\n"
    )
    github.commit_main({"curation/settings.yaml": settings}, "One request per namespace a week")
    first_rel, first = new_request("acme/tiny", shas["acme/tiny"], submitter="bob")
    second_rel, second = new_request(
        "acme/tiny", shas["acme/tiny"], submitter="carol", precision="bfloat16"
    )
    pr_a = github.open_pr(10, "bob", {first_rel: first})
    pr_b = github.open_pr(11, "carol", {second_rel: second})
    assert github.on_pull_request(pr_b, "validate.yml").code == 0
    github.commit_main({first_rel: first}, "Merge pull request #10")  # #10 lands first
    del pr_a
    run = github.merge_group(pr_b, "validate.yml")
    assert run.step_failed("Validate"), run.log
    assert "rate-limit" in run.summaries["validate"]
    assert not github.comments(11)[1:], "the merge queue posts no second comment"
    assert any("pulls/11" in " ".join(c["args"]) for c in github.gh_calls())
