"""A validation report, rendered for people, for machines and for GitHub.

The same problems go out four ways: ``path:line: [rule] message`` lines, a JSON document (the
sticky comment is built from it), ``::error`` annotations that GitHub pins to the lines of the
pull request, and a Markdown step summary.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..core.models import Problem
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
            where = f"file={_escape_property(p.path)}"
            if p.line:
                where += f",line={p.line}"
            title = _escape_property(f"[{p.rule}]" + (f" {p.field}" if p.field else ""))
            out.append(f"::error {where},title={title}::{_escape_data(p.message)}")
        return "\n".join(out)

    def step_summary(self) -> str:
        if not self.problems:
            return f"### ✅ Valid\n\n{len(self.checked)} file(s) checked, no problems.\n"
        head = "### ⏳ Try again" if self.exit_code() == 2 else "### ❌ Changes needed"
        rows = [
            f"| `{_md(p.path)}` | {p.line or ''} | `{p.rule}` | {_md(p.field or '')} "
            f"| {_md(p.message)} |"
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
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _md(text: str) -> str:
    """Table-safe Markdown: untrusted text must not break out of its cell or ping anyone."""
    return (
        text.replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("\n", " ")
        .replace("<", "&lt;")
        .replace("@", "@\u200b")
        .replace("`", "'")
    )
