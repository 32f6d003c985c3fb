"""The sticky comment: validate's JSON report as one Markdown comment on the pull request.

Everything in the report may come from a stranger's pull request (paths, field values quoted in
messages), so every field goes through ``core.markdown``, the project's one escaper: it renders
as the literal text it holds, in its own table cell, with no link, image, mention or reference.
The body stays under GitHub's limit of 65,536 characters by dropping rows and pointing at the
report artifact instead. A report that
cannot be read becomes a comment saying so, never a crash and never "valid".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..core import markdown

#: Finds our comment among the others (together with the bot's login).
MARKER = "<!-- leaderboard-validate -->"
#: GitHub refuses a comment body longer than this (characters).
GITHUB_LIMIT = 65_536
#: What we allow ourselves: GitHub's limit, less room to spare for the head and the pointer.
BUDGET = GITHUB_LIMIT - 5_536
#: One cell's text at most: a message is a sentence, not a file.
CELL_MAX = 600
ARTIFACT = "validate-report"


@dataclass(frozen=True)
class ParsedReport:
    """The report's parts we show, or why it could not be read."""

    ok: bool
    retry: bool
    problems: list[dict[str, Any]]
    error: str | None = None


def _code(value: object) -> str:
    return markdown.code(value, CELL_MAX, in_table=True)


def parse_report(text: str | None) -> ParsedReport:
    """The report as the comment needs it; a missing or malformed one says why."""
    if text is None:
        return ParsedReport(False, False, [], "the validator wrote no report")
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        return ParsedReport(False, False, [], f"the report is not JSON ({exc.__class__.__name__})")
    if not isinstance(data, dict):
        return ParsedReport(False, False, [], "the report is not a JSON object")
    problems = data.get("problems", [])
    if not isinstance(problems, list) or not all(isinstance(p, dict) for p in problems):
        return ParsedReport(False, False, [], "the report's problems are not a list of objects")
    ok = data.get("ok") is True and not problems
    return ParsedReport(ok, data.get("retry") is True, problems)


def render(report: ParsedReport, run_url: str, *, budget: int = BUDGET) -> str:
    """The comment's body, always under ``budget`` characters."""
    if report.error is not None:
        head = (
            "### ⚠️ Could not read the validation report\n\n"
            f"{markdown.text(report.error, CELL_MAX)}. This is the workflow's fault, not your "
            "pull request's: a maintainer will look. The log is linked below."
        )
    elif report.ok:
        head = "### ✅ Valid\n\nEvery check passed. A maintainer will review and merge."
    elif report.retry:
        head = (
            "### ⏳ Could not check: try again\n\nThe Hugging Face Hub could not be reached; this "
            "says nothing about the model. Re-run the workflow, or push an empty commit."
        )
    else:
        n = len(report.problems)
        head = (
            f"### ❌ Changes needed\n\n{n} problem{'s' if n != 1 else ''}. Fix each one below, "
            "push, and this comment updates."
        )
    log = f"[Full log]({run_url})" if run_url.startswith("https://") else "Full log: see the run."
    parts = [MARKER, head]
    if report.problems:
        parts += ["", "| file | line | rule | what to fix |", "|---|---|---|---|"]
    tail = ["", log]
    size = sum(len(p) + 1 for p in parts + tail)
    shown = 0
    for problem in report.problems:
        row = (
            f"| {_code(problem.get('path'))} | {markdown.text(problem.get('line'), CELL_MAX)} "
            f"| {_code(problem.get('rule'))} | {markdown.text(problem.get('message'), CELL_MAX)} |"
        )
        # Room for the row and for the "N more" line that may follow it.
        if size + len(row) + 1 + 300 > budget:
            break
        parts.append(row)
        size += len(row) + 1
        shown += 1
    left = len(report.problems) - shown
    if left:
        parts += [
            "",
            f"…and {left} more problem{'s' if left != 1 else ''}, left out to stay under "
            f"GitHub's comment limit: the full list is in the `{ARTIFACT}` artifact of the run.",
        ]
    return "\n".join(parts + tail)


def find_own_comment(comments: list[dict[str, Any]], bot_login: str) -> int | None:
    """The id of the comment this workflow posted before: our marker, written by our bot.

    Matched by login, not by ``user.type == "Bot"``: any GitHub App is a bot, and an app a
    stranger controls could post a comment carrying our marker.
    """
    for comment in comments:
        user = comment.get("user") or {}
        if user.get("login") == bot_login and MARKER in str(comment.get("body") or ""):
            cid = comment.get("id")
            if isinstance(cid, int):
                return cid
    return None
