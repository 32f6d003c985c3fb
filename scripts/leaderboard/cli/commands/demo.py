"""``leaderboard demo``: submit, validate, evaluate and publish tiny models, all offline."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "demo",
        help="run the whole leaderboard offline on tiny models (about 3 minutes on 2 cores)",
        description=(
            "Creates a leaderboard repository with a bare origin and a local Hub in DIR, builds "
            "and publishes tiny models, submits and validates each as a pull request would, "
            "evaluates the queue with lm-eval, flags one model, and builds the site. Running it "
            "again resumes; --fresh starts clean."
        ),
    )
    p.add_argument("--dir", type=Path, default=Path("demo"), help="working folder (default: demo)")
    p.add_argument("--fresh", action="store_true", help="discard an earlier run in DIR first")
    p.add_argument("--serve", action="store_true", help="then serve the site on 127.0.0.1")
    p.add_argument("--port", type=int, default=8000, help="port for --serve (default: 8000)")
    p.add_argument(
        "--suite",
        default="demo",
        help="suite to run: demo (default, seconds a model), leaderboard (lm-eval's real "
        "leaderboard group on synthetic stand-ins of its datasets), or one in suites/",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ...devtools.demo.run import run_demo

    run_demo(args.dir, fresh=args.fresh, serve=args.serve, port=args.port, suite=args.suite)
    return 0
