"""The checkout is one option with one name, declared once (``cli/options.checkout``).

``--root`` is its name in every command; ``--repo`` is the same option (CI's validate.yml calls
``validate --repo base``), except in ``verify``, whose ``--repo`` is the GitHub repository as in
``gh attestation verify``. The devhub's ``--root`` is its own folder of models, not a checkout.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from leaderboard.cli.main import build_parser


def _commands() -> dict[str, argparse.ArgumentParser]:
    """Every (sub)command's parser, by its full name (``runner plan``)."""
    out: dict[str, argparse.ArgumentParser] = {}

    def walk(parser: argparse.ArgumentParser, prefix: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    full = f"{prefix} {name}".strip()
                    out[full] = sub
                    walk(sub, full)

    walk(build_parser(), "")
    return out


def test_every_checkout_option_is_the_shared_one():
    commands = {n: p for n, p in _commands().items() if not n.startswith("devhub")}
    reading = {}
    for name, parser in commands.items():
        for action in parser._actions:
            if "--root" in action.option_strings or (
                "--repo" in action.option_strings and action.type is Path
            ):
                reading[name] = action
    assert {"validate", "submit", "doctor", "queue", "evaluate", "claim", "verify"} <= set(reading)
    assert len({a.help for a in reading.values()}) == 1, {n: a.help for n, a in reading.items()}
    for name, action in reading.items():
        assert action.dest == "root" and action.type is Path, name
        want = ["--root"] if name == "verify" else ["--root", "--repo"]
        assert action.option_strings == want, name


def test_validate_takes_the_checkout_by_either_name(tmp_path):
    parser = build_parser()
    by_repo = parser.parse_args(["validate", "--repo", str(tmp_path), "--committed"])
    by_root = parser.parse_args(["validate", "--root", str(tmp_path), "--committed"])
    assert by_repo.root == by_root.root == tmp_path


def test_verify_keeps_repo_for_the_github_repository():
    args = build_parser().parse_args(["verify", "org/model", "--repo", "owner/leaderboard"])
    assert args.repo == "owner/leaderboard" and args.root == Path(".")
