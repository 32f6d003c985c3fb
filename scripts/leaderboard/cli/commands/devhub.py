"""``leaderboard devhub``: the local Hub-compatible server, for offline demos and tests."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("devhub", help="a local Hub-compatible server over a folder of model repos")
    actions = p.add_subparsers(dest="devhub_command", required=True, metavar="ACTION")

    s = actions.add_parser("serve", help="serve ROOT over HTTP; point HF_ENDPOINT at the URL")
    s.add_argument("--root", type=Path, required=True, help="folder of <org>/<name> git repos")
    s.add_argument("--port", type=int, default=8765, help="port (0 picks a free one)")
    s.add_argument("--host", default="127.0.0.1")
    s.set_defaults(func=_serve)

    u = actions.add_parser("publish", help="commit a folder of model files as a new revision")
    u.add_argument("folder", type=Path, help="the model files (config.json, *.safetensors, ...)")
    u.add_argument("repo_id", help="ORG/NAME")
    u.add_argument("--root", type=Path, required=True, help="the devhub folder")
    u.add_argument("--branch", default="main")
    u.add_argument("--tag", help="also tag the new commit")
    u.add_argument("--message", default="Upload model")
    u.set_defaults(func=_publish)

    b = actions.add_parser(
        "publish-big",
        help="publish a header-only model of real size (a real Llama's config, safetensors "
        "headers with every tensor's real shape, no weights): for validation and planning",
    )
    b.add_argument("repo_id", help="ORG/NAME")
    b.add_argument("--root", type=Path, required=True, help="the devhub folder")
    which = b.add_mutually_exclusive_group(required=True)
    which.add_argument("--params-b", type=float, help="about this many billion parameters")
    which.add_argument("--shape", help="a real model's shape: " + ", ".join(_shapes()))
    b.add_argument("--dtype", default="BF16", choices=["BF16", "F16", "F32"])
    b.set_defaults(func=_publish_big)


def _serve(args: argparse.Namespace) -> int:
    from ...devtools.devhub import serve_forever

    serve_forever(args.root, args.port, args.host)
    return 0


def _publish(args: argparse.Namespace) -> int:
    from ...devtools.devhub import publish

    sha = publish(
        args.root, args.repo_id, args.folder, message=args.message, branch=args.branch, tag=args.tag
    )
    print(sha)
    return 0


def _shapes() -> list[str]:
    from ...devtools.bigmodels import LLAMA_SHAPES

    return sorted(LLAMA_SHAPES)


def _publish_big(args: argparse.Namespace) -> int:
    from ...core.errors import LeaderboardError
    from ...devtools.bigmodels import LLAMA_SHAPES, publish_header_only

    if args.shape and args.shape not in LLAMA_SHAPES:
        raise LeaderboardError(f"unknown shape {args.shape!r}; known: {', '.join(_shapes())}")
    shape = LLAMA_SHAPES[args.shape] if args.shape else None
    print(
        publish_header_only(args.root, args.repo_id, args.params_b, shape=shape, dtype=args.dtype)
    )
    return 0
