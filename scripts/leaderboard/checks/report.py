"""A validation report, rendered for people, for machines and for GitHub.

The same problems go out four ways: ``path:line: [rule] message`` lines, a JSON document (the
sticky comment is built from it), ``::error`` annotations that GitHub pins to the lines of the
pull request, and a Markdown step summary. Paths and messages may hold a stranger's text: every
way but the JSON shows it through ``core.printable`` (the summary through ``core.markdown``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..core import markdown
from ..core.models import Problem
from ..core.printable import printable
from ..core.rules import RETRY_RULES


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=dict)
    checked: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def exit_code(self) -> int:
        """0 valid, 1 invalid, 2 could not decide (the Hub was unreachable)."""
        if not self.problems:
            return 0
        return 2 if all(p.rule in RETRY_RULES for p in self.problems) else 1

    def to_json(self) -> dict:
        return {
            "ok": self.ok,
            "retry": bool(self.problems) and self.exit_code() == 2,
            "checked": self.checked,
            "problems": [{**p.model_dump(), "kind": self.kinds.get(p.path)} for p in self.problems],
        }

    def text(self) -> str:
        if not self.problems:
            n = len(self.checked)
            return f"ok: {n} file{'s' if n != 1 else ''} checked, no problems"
        lines = [p.render() for p in self.problems]
        lines.append(
            f"{len(self.problems)} problem(s) in {len({p.path for p in self.problems})} file(s)"
        )
        return "\n".join(lines)

    def annotations(self) -> str:
        """GitHub workflow commands: one ``::error`` per problem, pinned to its file and line."""
        out = []
        for p in self.problems:
            # GitHub pins the note to the real path. One with hidden characters (a bidi
            # override cannot be escaped in a command) is not pinned: the message names it.
            shown = printable(p.path)
            where = f"file={_escape_property(p.path)}," if shown == p.path else ""
            if p.line and where:
                where += f"line={p.line},"
            title = _escape_property(printable(f"[{p.rule}]" + (f" {p.field}" if p.field else "")))
            message = printable(p.message if shown == p.path else f"{shown}: {p.message}")
            out.append(f"::error {where}title={title}::{_escape_data(message)}")
        return "\n".join(out)

    def step_summary(self) -> str:
        if not self.problems:
            return f"### ✅ Valid\n\n{len(self.checked)} file(s) checked, no problems.\n"
        head = "### ⏳ Try again" if self.exit_code() == 2 else "### ❌ Changes needed"
        rows = [
            f"| {markdown.code(p.path, in_table=True)} | {p.line or ''} "
            f"| {markdown.code(p.rule, in_table=True)} | {markdown.text(p.field or '')} "
            f"| {markdown.text(p.message)} |"
            for p in self.problems
        ]
        return "\n".join(
            [
                head,
                "",
                "| file | line | rule | field | what to fix |",
                "|---|---|---|---|---|",
                *rows,
                "",
            ]
        )

    def write_json(self, file: Path) -> None:
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(
            json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )


def _escape_data(text: str) -> str:
    """A workflow command's value: its own line, whatever the text holds."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
