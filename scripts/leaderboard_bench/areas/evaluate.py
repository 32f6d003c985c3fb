"""Wall time of ``leaderboard evaluate`` against plain ``lm_eval`` on the same model and tasks.

Both run as fresh processes, one after the other, on a tiny model served by the devhub (its
files already in the Hub cache, so neither pays for a download), on the demo suite's tasks.
``leaderboard evaluate --next`` does the whole loop (claim, evaluate, record, commit) and
still should be no slower, because it indexes only the suite's task folders while the
``lm_eval`` CLI indexes all of lm-eval's 14,000 tasks on every start.

Run: ``python -m leaderboard_bench.areas.evaluate [--quick]``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from leaderboard.core.models import BenchFigure, Request
from leaderboard.store.git import git
from leaderboard_bench import devhub_env


def _timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])}… failed:\n{proc.stderr[-2000:]}")
    return elapsed


def run(quick: bool = False) -> list[BenchFigure]:
    """Time both commands once each; return the two wall times and their ratio."""
    from leaderboard.core.ids import request_path
    from leaderboard.devtools.devhub import publish, serve
    from leaderboard.devtools.tinymodels import build_tiny_model
    from leaderboard.harness.tasks import render_bundled_tasks
    from leaderboard.store.repo import Repo
    from leaderboard.suites.loader import load_suite

    limit = 8 if quick else None
    suite = load_suite("demo")
    with tempfile.TemporaryDirectory(prefix="lb-bench-") as tmp_name:
        tmp = Path(tmp_name)
        sha = publish(tmp / "hub", "bench/tiny", build_tiny_model(tmp / "model"))
        with serve(tmp / "hub") as url:
            env = devhub_env(url, tmp / "hf", HF_DATASETS_OFFLINE="1")
            # Warm the Hub cache first, so that neither command pays for the download.
            warm = "from huggingface_hub import snapshot_download as s; s('bench/tiny')"
            subprocess.run([sys.executable, "-c", warm], env=env, check=True, capture_output=True)

            repo_dir = tmp / "repo"
            repo_dir.mkdir()
            git(repo_dir, "init", "-q", "-b", "main")
            (repo_dir / "curation").mkdir()
            (repo_dir / "curation" / "settings.yaml").write_text("schema_version: 1\nsuite: demo\n")
            request = Request(
                model="bench/tiny",
                revision=sha,
                precision="float16",
                model_type="pretrained",
                submitter="bench",
                submitted_at=datetime.now(UTC).replace(microsecond=0),
            )
            Repo(repo_dir).write_request(request_path(request.identity), request)
            git(repo_dir, "add", "-A")
            git(repo_dir, "-c", "user.name=bench", "-c", "user.email=b@x", "commit", "-qm", "q")

            extra = ["--limit", str(limit)] if limit else []
            ours = _timed(
                [
                    sys.executable,
                    "-m",
                    "leaderboard",
                    "evaluate",
                    "--next",
                    "--device",
                    "cpu",
                    "--batch-size",
                    "8",
                    *extra,
                ],
                repo_dir,
                env,
            )
            tasks = render_bundled_tasks(suite, tmp / "tasks")
            plain = _timed(
                [
                    sys.executable,
                    "-m",
                    "lm_eval",
                    "--model",
                    "hf",
                    "--model_args",
                    f"pretrained=bench/tiny,revision={sha},dtype=float16,trust_remote_code=False",
                    "--tasks",
                    ",".join(suite.tasks),
                    "--include_path",
                    str(tasks),
                    "--device",
                    "cpu",
                    "--batch_size",
                    "8",
                    "--output_path",
                    str(tmp / "out"),
                    "--log_samples",
                    *extra,
                ],
                tmp,
                env,
            )
    size = limit or 48
    return [
        BenchFigure(
            area="evaluate",
            name="leaderboard evaluate --next (demo suite)",
            size=size,
            value=round(ours, 2),
            unit="s",
        ),
        BenchFigure(
            area="evaluate",
            name="plain lm_eval CLI (same model and tasks)",
            size=size,
            value=round(plain, 2),
            unit="s",
        ),
        BenchFigure(
            area="evaluate",
            name="leaderboard / lm_eval wall time",
            size=size,
            value=round(ours / plain, 3),
            unit="ratio",
            goal="<= 1 (no slower)",
            ok=ours <= plain,
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="8 documents per task")
    args = parser.parse_args()
    for figure in run(quick=args.quick):
        goal = f"  goal {figure.goal}: {'ok' if figure.ok else 'MISSED'}" if figure.goal else ""
        print(f"{figure.name:48} {figure.value:>9} {figure.unit}{goal}")


if __name__ == "__main__":
    main()
