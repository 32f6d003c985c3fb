"""``leaderboard build``: the downloadable data and the site, with ``mkdocs build --strict``."""

from __future__ import annotations

import argparse
from pathlib import Path

from ...site.hooks import build
from ..options import checkout


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "build", parents=[checkout()], help="build the site and its data downloads into --site-dir"
    )
    p.add_argument("--site-dir", type=Path, default=Path("site"))
    p.add_argument("--config-file", type=Path, default=None, help="default: ROOT/mkdocs.yml")
    p.add_argument("--site-url", default=None, help="the address it will be served at")
    p.add_argument(
        "--strict",
        action="store_true",
        help="fail when a corrupt file was skipped (CI's validation); the published site "
        "builds without it, naming what it skipped",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    site = build(args.root, args.site_dir, args.config_file, args.site_url, strict=args.strict)
    print(f"built {site} (data under {site / 'data'})")
    return 0
