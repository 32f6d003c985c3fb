"""``leaderboard schema``: write or check the published JSON Schemas of the repository's files."""

from __future__ import annotations

import argparse
import sys

from ...core.json_schemas import SCHEMA_DIR, render_schemas
from ..options import checkout


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "schema",
        parents=[checkout()],
        help="write (or --check) the JSON Schemas under docs/schemas/",
    )
    p.add_argument("--check", action="store_true", help="exit 1 if the files are out of date")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    stale = []
    for name, text in render_schemas().items():
        target = args.root / SCHEMA_DIR / name
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current == text:
            continue
        stale.append(str(target))
        if not args.check:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    if args.check and stale:
        print("out of date (run `leaderboard schema`): " + ", ".join(stale), file=sys.stderr)
        return 1
    for path in stale:
        print(f"wrote {path}")
    return 0
