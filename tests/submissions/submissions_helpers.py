"""Building request files and pull requests for the validator's tests."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from leaderboard.cli.main import main
from tests.lbtest import ci_checkout

FAKE_SHA = "a" * 40


def request_text(
    model: str = "org/good",
    revision: str = FAKE_SHA,
    *,
    precision: str = "bfloat16",
    chat: bool = False,
    submitter: str = "bob",
    status: str = "PENDING",
    submitted_at: datetime | None = None,
    extra: str = "",
    weight_type: str = "Original",
    base_model: str | None = None,
    base_revision: str | None = None,
) -> tuple[str, str]:
    """A request file's path and text, as `leaderboard submit` writes it."""
    when = (submitted_at or datetime.now(UTC) - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    rel = f"requests/{model}/{revision}_{precision}_{'chat' if chat else 'nochat'}.yaml"
    text = (
        f"schema_version: 1\nmodel: {model}\nrevision: '{revision}'\nprecision: {precision}\n"
        f"weight_type: {weight_type}\n"
        + (f"base_model: {base_model}\n" if base_model else "")
        + (f"base_revision: '{base_revision}'\n" if base_revision else "")
        + f"model_type: fine-tuned\nuse_chat_template: {str(chat).lower()}\n"
        f"submitter: {submitter}\nsubmitted_at: '{when}'\nstatus: {status}\n{extra}"
    )
    if status == "FAILED":
        text += "failure_reason: out of memory\nfailure_category: model\n"
    return rel, text


def open_pr(checkout, files: dict[str, str | bytes], delete: tuple[str, ...] = ()) -> None:
    """A PR branch off main that adds/changes ``files`` and deletes ``delete``, committed."""
    checkout.git("checkout", "-q", "-B", "pr", "origin/main")
    for rel, text in files.items():
        checkout.write(rel, text)
    for rel in delete:
        checkout.git("rm", "-q", rel)
    checkout.commit("the pull request")


def on_main(checkout, files: dict[str, str | bytes], when: datetime | None = None) -> None:
    """Commit ``files`` on main and push: the base the PR is judged against. ``when`` dates
    the commit: git's time is the one the rate limit and the queue count."""
    checkout.git("checkout", "-q", "main")
    for rel, text in files.items():
        checkout.write(rel, text)
    checkout.commit("base", when=when.isoformat() if when else None)
    checkout.git("push", "-q", "origin", "main")


def validate(
    checkout,
    capsys: pytest.CaptureFixture,
    author: str = "bob",
    *extra: str,
    mode: str = "checkout",
) -> tuple[int, dict]:
    """Run `leaderboard validate --json` in-process; return the exit code and report.

    ``mode`` "checkout" judges the pull request's checkout against origin/main; "head" judges
    its commit exactly as validate.yml does: ``--repo base --base HEAD --head SHA --committed``
    in a blob-less clone of the base (``lbtest.ci_checkout``)."""
    if mode == "head":
        base, head = ci_checkout(checkout.origin, checkout.path, checkout.path.parent / "ci-base")
        where = ["--repo", str(base), "--base", "HEAD", "--head", head, "--committed"]
        extra = tuple(e for e in extra if e != "--committed")
    else:
        where = ["--repo", str(checkout.path), "--base", "origin/main"]
    capsys.readouterr()
    code = main(["validate", *where, "--author", author, "--json", *extra])
    out = capsys.readouterr().out
    return code, json.loads(out)


def rules(report: dict) -> list[str]:
    return sorted(p["rule"] for p in report["problems"])
