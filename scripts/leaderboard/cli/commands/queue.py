"""``leaderboard queue``: pending (with pool, position, votes and estimates), running, finished
and failed requests."""

from __future__ import annotations

import argparse

from ..options import checkout


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("queue", parents=[checkout()], help="show the evaluation queue")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 when a corrupt file was skipped (by default it is named in a warning)",
    )
    p.set_defaults(func=run)


def _when(value: str | None) -> str:
    from ...table.queue_view import utc_text

    return utc_text(value, "unknown")


def run(args: argparse.Namespace) -> int:
    import orjson

    from ...store.repo import Repo
    from ...store.tolerant import Skipped
    from ...table.queue_view import listing

    skipped = Skipped()
    data, meta = listing(Repo(args.root), skipped)
    failed = 1 if args.strict and skipped.items else 0
    if args.json:
        # orjson: the standard encoder took a tenth of the command's time at 20,000 requests.
        print(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode())
        return failed
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console()
    console.print(escape(f"As of {_when(meta.as_of)}. {meta.order}"))
    for status, rows in data.items():
        table = Table(title=f"{status.upper()} ({len(rows)})", title_justify="left")
        extra = {
            "pending": ["pool", "#", *(["votes"] if meta.votes else []), "start", "finish"],
            "running": ["runner", "finish"],
            "failed": ["reason"],
        }.get(status, [])
        for column in ("model", "precision", "chat", "submitted", *extra):
            table.add_column(column)
        for row in rows:
            cells = [
                row["model"],
                row["precision"],
                "yes" if row["chat_template"] else "no",
                row["submitted_at"],
            ]
            if status == "failed":
                cells.append(f"[{row['category']}] {row['reason']}")
            elif status == "running":
                cells += [row["runner"] or "", _when(row["estimated_finish"])]
            elif status == "pending":
                cells += [row["pool"] or "not planned yet", str(row.get("position", ""))]
                cells += [str(row["votes"])] if meta.votes else []
                cells += [_when(row["estimated_start"]), _when(row["estimated_finish"])]
            table.add_row(*(escape(cell) for cell in cells))
        console.print(table)
    return failed
