"""``leaderboard table``: print the leaderboard's rows (the published ``contents``)."""

from __future__ import annotations

import argparse
import sys

from ...store import tolerant
from ...store.repo import Repo
from ...store.tolerant import Skipped
from ...table import columns, exports, search
from ...table import rows as table_rows
from ..options import checkout


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "table", parents=[checkout()], help="print the leaderboard table as JSON or CSV"
    )
    p.add_argument("--format", choices=["json", "csv"], default="json")
    p.add_argument("--search", default="", metavar="QUERY", help="e.g. 'llama; Hub License: mit'")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    repo = Repo(args.root)
    skipped = Skipped()
    settings = tolerant.curation(repo, "settings", skipped)
    suite, scorer = table_rows.load_suite_and_scorer(settings, repo.root, skipped)
    rows = table_rows.rows(repo, suite, scorer, settings=settings, skipped=skipped)
    found = search.search(rows, args.search)
    cols = columns.columns(suite)
    out = exports.contents_csv if args.format == "csv" else exports.contents_json
    sys.stdout.buffer.write(out(found, cols))
    if args.format == "json":
        sys.stdout.write("\n")
    return 0
