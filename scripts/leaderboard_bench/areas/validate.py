"""Benchmark: wall time of ``leaderboard validate`` on a PR adding one request.

The repository's main branch already holds N request files (1,000, 10,000 and 100,000); the
PR branch adds one request for a model on a local devhub. ``leaderboard validate`` runs as a
subprocess, the way CI runs it, with the Hub checks against the devhub and a cold Hub cache.

CI installs the validator without torch (the base install). Where torch is installed,
``transformers`` imports it (seconds of start-up that CI never pays), so the benchmark can run
the validator from a base-only virtual environment: ``--python PATH`` or
``LEADERBOARD_BENCH_PYTHON``. Without one it uses the current interpreter and says so.

    python -m leaderboard_bench.areas.validate [--quick] [--python .venv-ci/bin/python]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from leaderboard.core.env import bench_python
from leaderboard.core.models import BenchFigure, iso_z, utcnow
from leaderboard.devtools.gitenv import git_as
from leaderboard.store import git as store_git
from leaderboard_bench import CHECKOUT

GOAL_S = 3.0
SIZES = (1_000, 10_000, 100_000)


def _git(cwd: Path, *args: str, input: bytes | None = None) -> str:
    return store_git.text(git_as("bench", cwd, *args, input=input))


def _request_text(
    model: str, sha: str, i: int, submitter: str = "someone", status: str = "FINISHED"
) -> str:
    # Spread over the past year by the clock, as a real repository's history is; the newest
    # (i == 0) is submitted now: a fixed day would turn "in the future" or "too old".
    submitted = iso_z(utcnow() - timedelta(days=i % 365, hours=i % 24))
    return (
        f"schema_version: 1\nmodel: {model}\nrevision: '{sha}'\nprecision: bfloat16\n"
        f"weight_type: Original\nmodel_type: fine-tuned\nuse_chat_template: false\n"
        f"submitter: {submitter}\nsubmitted_at: '{submitted}'\nstatus: {status}\n"
    )


def build_repo(root: Path, n: int) -> Path:
    """A git repo whose main holds ``n`` requests (10 per model, 20 models per org)."""
    repo = root / f"repo-{n}"
    repo.mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "main")
    # git fast-import writes 100,000 files in seconds where `git add` takes minutes.
    stream = [b"commit refs/heads/main\ncommitter bench <bench@x> 0 +0000\ndata 4\nbase\n"]
    for i in range(n):
        model = f"org{i // 200:05d}/model{(i // 10) % 20:02d}"
        sha = f"{i:040x}"
        body = _request_text(model, sha, i).encode()
        path = f"requests/{model}/{sha}_bfloat16_nochat.yaml"
        stream.append(
            b"M 100644 inline " + path.encode() + b"\ndata %d\n" % len(body) + body + b"\n"
        )
    settings = b"schema_version: 1\nmaintainers: [alice]\n"
    stream.append(
        b"M 100644 inline curation/settings.yaml\ndata %d\n" % len(settings) + settings + b"\n"
    )
    _git(repo, "fast-import", "--quiet", input=b"".join(stream))
    _git(repo, "checkout", "-q", "-f", "main")
    _git(repo, "update-ref", "refs/remotes/origin/main", "main")
    return repo


def add_pr(repo: Path, sha: str) -> str:
    """The pull request's commit, on branch ``pr``; main stays the base."""
    _git(repo, "checkout", "-q", "-B", "pr", "main")
    rel = repo / f"requests/org/good/{sha}_bfloat16_nochat.yaml"
    rel.parent.mkdir(parents=True, exist_ok=True)
    rel.write_text(_request_text("org/good", sha, 0, submitter="bob", status="PENDING"))
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "submit")
    return _git(repo, "rev-parse", "HEAD")


def _publish_model(hub_root: Path) -> str:
    from leaderboard.devtools.devhub import publish
    from leaderboard.devtools.tinymodels import CHAT_TEMPLATE, build_tiny_model, model_card

    with tempfile.TemporaryDirectory() as tmp:
        folder = build_tiny_model(Path(tmp) / "m", chat_template=CHAT_TEMPLATE)
        (folder / "README.md").write_text(model_card(), encoding="utf-8")
        return publish(hub_root, "org/good", folder)


def time_validate(
    python: str, repo: Path, head: str, url: str, cache: Path, hub: bool = True
) -> tuple[float, int, str]:
    env = {k: v for k, v in os.environ.items() if k != "HF_TOKEN"}
    env.update(HF_ENDPOINT=url, HF_HUB_CACHE=str(cache), HF_HUB_DISABLE_TELEMETRY="1")
    # Run this checkout's code whatever the interpreter has installed.
    env["PYTHONPATH"] = str(CHECKOUT / "scripts")
    args = [
        python,
        "-m",
        "leaderboard",
        "validate",
        "--base",
        "main",
        "--head",  # the flags of .github/workflows/validate.yml
        head,
        "--committed",
        "--author",
        "bob",
        "--json",
    ]
    start = time.perf_counter()
    out = subprocess.run(
        args + ([] if hub else ["--no-hub"]), cwd=repo, env=env, capture_output=True, text=True
    )
    return time.perf_counter() - start, out.returncode, out.stdout or out.stderr


def run(quick: bool = False, python: str | None = None) -> list[BenchFigure]:
    from leaderboard.devtools.devhub import serve

    python = python or bench_python() or sys.executable
    sizes = SIZES[:1] if quick else SIZES
    figures: list[BenchFigure] = []
    with tempfile.TemporaryDirectory(prefix="bench-validate-") as tmp:
        root = Path(tmp)
        sha = _publish_model(root / "hub")
        with serve(root / "hub") as url:
            for n in sizes:
                repo = build_repo(root, n)
                head = add_pr(repo, sha)
                for hub, name in (
                    (False, "validate --no-hub"),
                    (True, "validate (Hub checks on devhub)"),
                ):
                    seconds, code, output = time_validate(
                        python, repo, head, url, root / f"cache-{n}-{hub}", hub
                    )
                    if code != 0:
                        raise RuntimeError(
                            f"validate failed on {n} requests (exit {code}): {output[-2000:]}"
                        )
                    figures.append(
                        BenchFigure(
                            area="validate",
                            name=name,
                            size=n,
                            value=round(seconds, 3),
                            unit="s",
                            goal=f"< {GOAL_S:g} s" if hub and n == 100_000 else None,
                            ok=seconds < GOAL_S if hub and n == 100_000 else None,
                        )
                    )
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only 1,000 requests")
    parser.add_argument("--python", help="interpreter of a base-only install (no torch), as in CI")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    python = args.python or bench_python() or sys.executable
    figures = run(quick=args.quick, python=python)
    if args.json:
        print(json.dumps([f.model_dump() for f in figures], indent=2))
        return 0
    print(f"validator interpreter: {python}")
    for f in figures:
        goal = f"  goal {f.goal}: {'met' if f.ok else 'MISSED'}" if f.goal else ""
        print(f"{f.name:<34} {f.size:>7,} requests  {f.value:6.2f} {f.unit}{goal}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
