"""``leaderboard export --format eee|eval-results --out DIR``: the finished rows in a shared
format: Every Eval Ever records (``table.eee``) or Hugging Face Community Evals files
(``table.eval_results``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..options import checkout


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export",
        parents=[checkout()],
        help="write every finished row as Every Eval Ever records or Community Evals files",
    )
    p.add_argument("--format", choices=["eee", "eval-results"], required=True)
    p.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="DIR",
        help="eee: DIR/data/<collection>/<org>/<model>/<uuid>.json (the EEE datastore's layout); "
        "eval-results: DIR/<org>/<model>/.eval_results/<file>.yaml",
    )
    p.add_argument("--model", default=None, metavar="ORG/NAME", help="only this model's rows")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ...store import tolerant
    from ...store.files import write_text_atomic
    from ...store.repo import Repo
    from ...store.tolerant import Skipped
    from ...table import eee, eval_results
    from ...table.rows import load_suite_and_scorer, rows

    repo = Repo(args.root)
    skipped = Skipped()
    settings = tolerant.curation(repo, "settings", skipped)
    suite, scorer = load_suite_and_scorer(settings, repo.root, skipped)
    found = rows(repo, suite, scorer, settings=settings, skipped=skipped)
    if args.model:
        found = [r for r in found if r.model.lower() == args.model.lower()]
    if args.format == "eee":
        files = eee.records(found, settings, suite)
    else:
        files = eval_results.all_files(found, settings, suite)
    for rel, data in files.items():
        write_text_atomic(args.out / rel, data.decode("utf-8"))
    print(f"wrote {len(files)} file(s) for {len(found)} row(s) under {args.out}")
    return 0
