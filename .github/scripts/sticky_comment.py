"""Render validate's JSON report as Markdown and create or update one comment on the PR.

Standard library only (the comment job installs nothing). The report is data from a workflow
that read a stranger's pull request: every field is escaped, the PR number must be digits,
and the PR's head must be the commit the report was made for.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

MARKER = "<!-- leaderboard-validate -->"
MAX_ROWS = 50


def gh(*args: str, input: str | None = None) -> str:
    out = subprocess.run(["gh", *args], input=input, capture_output=True, text=True, check=True)
    return out.stdout


def md(text: object) -> str:
    """Table-safe text: no cell breaks, no HTML, no @mentions, no code fences."""
    s = str(text or "")
    for a, b in (
        ("\\", "\\\\"),
        ("|", "\\|"),
        ("\n", " "),
        ("<", "&lt;"),
        ("`", "'"),
        ("@", "@\u200b"),
    ):
        s = s.replace(a, b)
    return s[:600]


def render(report: dict, run_url: str) -> str:
    problems = report.get("problems") or []
    if report.get("ok"):
        head = "### ✅ Valid\n\nEvery check passed. A maintainer will review and merge."
    elif report.get("retry"):
        head = (
            "### ⏳ Could not check: try again\n\nThe Hugging Face Hub could not be reached; this "
            "says nothing about the model. Re-run the workflow, or push an empty commit."
        )
    else:
        head = "### ❌ Changes needed\n\nFix each problem below, push, and this comment updates."
    rows = [
        f"| `{md(p.get('path'))}` | {md(p.get('line'))} | `{md(p.get('rule'))}` "
        f"| {md(p.get('message'))} |"
        for p in problems[:MAX_ROWS]
    ]
    table = ["", "| file | line | rule | what to fix |", "|---|---|---|---|", *rows] if rows else []
    more = ["", f"…and {len(problems) - MAX_ROWS} more."] if len(problems) > MAX_ROWS else []
    return "\n".join([MARKER, head, *table, *more, "", f"[Full log]({run_url})"])


def main(folder: str) -> int:
    repo, head_sha = os.environ["REPO"], os.environ["HEAD_SHA"]
    number = Path(folder, "pr-number").read_text().strip()
    if not number.isdigit():
        print(f"refusing: PR number {number!r} is not a number", file=sys.stderr)
        return 1
    pr_head = gh("api", f"repos/{repo}/pulls/{number}", "--jq", ".head.sha").strip()
    if pr_head != head_sha:
        print(
            "the pull request moved on since this report; a newer run will comment", file=sys.stderr
        )
        return 0
    report_file = Path(folder, "report.json")
    report = (
        json.loads(report_file.read_text())
        if report_file.exists()
        else {
            "ok": False,
            "problems": [
                {
                    "path": "-",
                    "rule": "internal",
                    "message": "the validator produced no report; see the log",
                }
            ],
        }
    )
    body = render(report, os.environ.get("RUN_URL", ""))
    comments = json.loads(
        gh("api", "--paginate", "--slurp", f"repos/{repo}/issues/{number}/comments")
    )
    mine = [
        c
        for page in comments
        for c in page
        if MARKER in (c.get("body") or "") and c.get("user", {}).get("type") == "Bot"
    ]
    payload = json.dumps({"body": body})
    if mine:
        gh(
            "api",
            "--method",
            "PATCH",
            f"repos/{repo}/issues/comments/{mine[0]['id']}",
            "--input",
            "-",
            input=payload,
        )
    else:
        gh(
            "api",
            "--method",
            "POST",
            f"repos/{repo}/issues/{number}/comments",
            "--input",
            "-",
            input=payload,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
