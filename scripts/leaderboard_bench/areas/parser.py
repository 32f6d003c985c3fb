"""Benchmark area ``parser``: the strict reader every pull request's file goes through.

Two questions: how many request files per second the strict parser reads (a validator run
parses each changed file once), and how long the worst hostile file takes to be refused: an
attacker's file must cost no more than a valid one, or the validator is a denial-of-service
target.
"""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

from leaderboard.core.errors import ValidationFailed
from leaderboard.core.ids import request_path
from leaderboard.core.models import BenchFigure, Request, iso_z, utcnow
from leaderboard.store.repo import Repo
from leaderboard.store.yaml_strict import MAX_BYTES, dump_yaml, parse_model
from leaderboard_bench import best_seconds

AREA = "parser"
#: Goals, in words and as numbers: a validator run over a large pull request (hundreds of
#: files) should spend well under a second parsing, and a hostile file no more than 50 ms.
MIN_PER_SECOND = 1000
MAX_REJECT_MS = 50


def _request(i: int) -> Request:
    return Request.model_validate(
        {
            "model": f"org{i % 97}/model-{i}",
            "revision": f"{i:040x}",
            "precision": "bfloat16",
            "model_type": "fine-tuned",
            "submitter": "alice",
            "submitted_at": iso_z(utcnow() - timedelta(days=1)),
        }
    )


def hostile_files() -> dict[str, bytes]:
    """The heaviest hostile inputs that fit under the size limit (or just exceed it)."""
    valid = dump_yaml(_request(0)).encode()
    room = MAX_BYTES - len(valid) - 32
    return {
        "oversize file": valid + b"#" * (MAX_BYTES + 1 - len(valid)),
        "deep nesting": valid + b"runner: " + b"[" * (room // 2) + b"]" * (room // 2) + b"\n",
        "billion laughs": valid + _billion_laughs(),
        "many unknown keys": valid + b"".join(f"k{i}: {i}\n".encode() for i in range(room // 12)),
        "long free text": valid + b"runner: " + b"x" * room + b"\n",
        "binary junk": bytes(range(256)) * (room // 256),
    }


def _billion_laughs() -> bytes:
    """Nine levels of nine aliases each: 387 million strings if a parser expanded them."""
    lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 9):
        refs = ", ".join([f"*l{level - 1}"] * 9)
        lines.append(f"l{level}: &l{level} [{refs}]")
    return ("\n".join(lines) + "\n").encode()


def _reject(data: bytes) -> None:
    try:
        parse_model(Request, "requests/x.yaml", data)
    except ValidationFailed:
        return
    raise AssertionError("a hostile file was accepted")


def _rate(name: str, count: int, seconds: float) -> BenchFigure:
    rate = count / seconds
    return BenchFigure(
        area=AREA,
        name=name,
        size=count,
        value=rate,
        unit="files/s",
        goal=f"> {MIN_PER_SECOND:,} files/s",
        ok=rate > MIN_PER_SECOND,
    )


def _parse_throughput(count: int) -> BenchFigure:
    files = [dump_yaml(_request(i)).encode() for i in range(count)]

    def parse_all() -> None:
        for data in files:
            parse_model(Request, "requests/x.yaml", data)

    return _rate("strict parse (bytes → Request)", count, best_seconds(parse_all, 3))


def _read_throughput(count: int) -> BenchFigure:
    """The same through ``Repo.read_request``: path checks, symlink checks and disk included."""
    with tempfile.TemporaryDirectory() as tmp:
        repo = Repo(Path(tmp))
        rels = []
        for i in range(count):
            request = _request(i)
            rel = request_path(request.identity)
            repo.write_request(rel, request)
            rels.append(rel)

        def read_all() -> None:
            for rel in rels:
                repo.read_request(rel)

        seconds = best_seconds(read_all, 3)
    return _rate("strict read (Repo.read_request)", count, seconds)


def _rejections(repeats: int) -> list[BenchFigure]:
    figures = []
    for name, data in hostile_files().items():
        ms = best_seconds(lambda data=data: _reject(data), repeats) * 1000
        figures.append(
            BenchFigure(
                area=AREA,
                name=f"reject: {name}",
                size=len(data),
                value=ms,
                unit="ms",
                goal=f"< {MAX_REJECT_MS} ms",
                ok=ms < MAX_REJECT_MS,
            )
        )
    worst = max(figures, key=lambda f: f.value)
    kind = worst.name.removeprefix("reject: ")
    figures.append(worst.model_copy(update={"name": f"reject: worst case ({kind})"}))
    return figures


def run(quick: bool = False) -> list[BenchFigure]:
    count = 200 if quick else 2000
    rejections = _rejections(repeats=2 if quick else 5)
    return [_parse_throughput(count), _read_throughput(count), *rejections]
