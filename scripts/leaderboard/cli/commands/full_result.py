"""``leaderboard full-result RESULT --details FOLDER``: lm-eval's whole output of one result.

Git keeps a verified subset of each result (``queue.caps``): what the model repository made
large, and lm-eval's task configurations, are in the details store, each with its SHA-256 in
the committed file. This puts them back and checks every one, so a reproducer gets the file
lm-eval wrote; a missing or altered details file is an error naming the result and the field.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..options import checkout


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "full-result",
        parents=[checkout()],
        help="print lm-eval's whole output of a committed result, read back from the details "
        "store and checked by SHA-256",
    )
    p.add_argument("result", metavar="RESULT", help="results/<org>/<model>/<file>.json")
    p.add_argument(
        "--details",
        type=Path,
        required=True,
        help="the result's folder in the details store (its provenance says where)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ...queue.caps import restore
    from ...store.repo import Repo

    repo = Repo(args.root)
    whole = restore(repo.read_json(args.result), args.details, args.result)
    print(json.dumps(whole, indent=2, ensure_ascii=False))
    return 0
