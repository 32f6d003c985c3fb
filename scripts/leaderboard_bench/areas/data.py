"""The data path at real size: the build, ``table``, ``queue``, an incremental rebuild, and what
each workflow job checks out, for 10,000, 50,000 and 100,000 models (``quick``: 300).

Run it as ``python -m leaderboard_bench.areas.data [--quick] [--json]`` (or ``leaderboard
bench --area data``). The repositories are real git repositories whose results are the real
``leaderboard`` suite's shape and size (``synthetic.make_repo(real_size=True)``: a real
result of lm-eval's ``leaderboard`` group as the record job commits it, its ``configs`` moved to
the details store, with the real per-task dataset commits); each command is
the real CLI in a fresh process, timed by the wall clock. Each result has its index entry
(``store.result_index``), as the record job commits them, and each job's checkout is the
sparse one its workflow makes.

Goals: full build (data and site) ≤ 10 s at 10,000 models and ≤ 45 s at 50,000, linear up
to 100,000 (measured, no goal of its own);
``table --format json`` ≤ 3 s at 10,000; ``queue`` ≤ 2 s at 20,000 requests; each job's
checkout at 50,000 models < 1 GB and < 60 s. A rebuild after one new result is measured with no
goal of its own: nothing is kept between builds, so it costs what a build costs.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from leaderboard.core.ids import request_path
from leaderboard.core.models import BenchFigure, Status
from leaderboard.devtools.gitenv import git_as
from leaderboard.devtools.synthetic import T0, add_model, make_repo
from leaderboard.suites.loader import load_suite
from leaderboard_bench import print_figures

AREA = "data"


def _git(cwd: Path, *args: str) -> None:
    git_as("bench", cwd, *args)


def _timed(*args: str) -> float:
    """Wall seconds of one CLI command in a fresh process (what CI pays)."""
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "leaderboard", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )
    return time.perf_counter() - t0


#: The build's data work alone (everything but mkdocs), as the build's hook does it.
_DATA_WORK = (
    "import sys; from leaderboard.site.data import SiteData; from leaderboard.store.repo "
    "import Repo; SiteData.load(Repo(sys.argv[1])).generated_files()"
)


def _data_work(root: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", _DATA_WORK, str(root)], check=True, capture_output=True)
    return time.perf_counter() - t0


def _du(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and ".git" not in f.parts)


def _fig(name: str, n: int, value: float, unit: str, goal: float | None = None) -> BenchFigure:
    return BenchFigure(
        area=AREA,
        name=name,
        size=n,
        value=value,
        unit=unit,
        goal=None if goal is None else f"≤ {goal:g} {unit}",
        ok=None if goal is None else value <= goal,
    )


def _commit_repo(root: Path) -> None:
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "synthetic leaderboard")


#: Each job's checkout as its workflow asks actions/checkout for it: ``(jobs, depth, the
#: patterns its sparse checkout leaves out)``. A sparse checkout fetches ``blob:none``: only
#: the blobs of the files it checks out arrive, history or not.
_JOB_CHECKOUTS = (
    ("publish build, CI test", 1, ("/results/",)),
    ("record", 0, ("/results/",)),
    ("claim, validate, tell", 0, ("/results/", "/index/")),
    ("evaluate", 1, ("/results/", "/index/")),
)


def _checkouts(root: Path, work: Path, n: int) -> list[BenchFigure]:
    """Each job's checkout, from a bare remote as actions/checkout makes it, and (for
    comparison) a full clone, which no job makes any more."""
    remote = work / "remote.git"
    _git(work, "clone", "-q", "--bare", str(root), str(remote))
    # GitHub serves filtered fetches; a local remote must be told to.
    _git(remote, "config", "uploadpack.allowFilter", "true")
    _git(remote, "config", "uploadpack.allowAnySHA1InWant", "true")
    url = remote.as_uri()
    goal = n == 50_000
    figs = []
    kinds: list[tuple[str, list[str], tuple[str, ...] | None]] = [
        ("a full clone (no job)", ["clone", "-q", "--no-local", url], None)
    ]
    for jobs, depth, left_out in _JOB_CHECKOUTS:
        args = ["clone", "-q", "--no-local", "--filter=blob:none", "--sparse"]
        args += [f"--depth={depth}"] if depth else []
        kinds.append((jobs, [*args, url], left_out))
    for name, args, left_out in kinds:
        target = work / f"co-{len(figs)}"
        t0 = time.perf_counter()
        _git(work, *args, str(target))
        if left_out is not None:
            patterns = ["/*", *(f"!{p}" for p in left_out)]
            _git(target, "sparse-checkout", "set", "--no-cone", *patterns)
        seconds = time.perf_counter() - t0
        size = sum(f.stat().st_size for f in target.rglob("*") if f.is_file())
        job_goal = goal and left_out is not None
        figs.append(_fig(f"checkout, {name}: time", n, seconds, "s", 60.0 if job_goal else None))
        figs.append(
            _fig(f"checkout, {name}: size", n, size / 1e6, "MB", 1000.0 if job_goal else None)
        )
        shutil.rmtree(target, ignore_errors=True)
    shutil.rmtree(remote, ignore_errors=True)
    return figs


def _measure(n: int, work: Path, checkouts: bool) -> list[BenchFigure]:
    root = work / f"repo-{n}"
    repo = make_repo(root, n, suite="leaderboard", features=True, real_size=True)
    _commit_repo(root)
    figs = [
        _fig("load average (1 min) when measured", n, os.getloadavg()[0], ""),
        _fig("results/ in the checkout", n, _du(root / "results") / 1e6, "MB"),
    ]
    site = work / f"site-{n}"
    build = ("build", "--root", str(root), "--site-dir", str(site))
    table = ("table", "--root", str(root), "--format", "json")
    # Cold: the first run on a fresh checkout, as CI has; warm: a second run (the OS's cache).
    figs.append(_fig("full build (data + site), cold", n, _timed(*build), "s", _build_goal(n)))
    figs.append(_fig("full build (data + site), warm", n, _timed(*build), "s"))
    figs.append(_fig("data work of a build, cold", n, _data_work(root), "s"))
    figs.append(_fig("data work of a build, warm", n, _data_work(root), "s"))
    goal = 3.0 if n == 10_000 else None
    figs.append(_fig("table --format json, cold", n, _timed(*table), "s", goal))
    figs.append(_fig("table --format json, warm", n, _timed(*table), "s"))
    # One new result, committed as the record job commits it; then the rebuild.
    rng = random.Random(n)  # noqa: S311 (made-up scores)
    add_model(repo, load_suite("leaderboard"), "new/arrival", 10 * n, rng, real_size=True)
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "one new result")
    data = _data_work(root)
    figs.append(_fig("data work after one new result", n, data, "s"))
    figs.append(_fig("build after one new result", n, _timed(*build), "s", None))
    if checkouts:
        figs += _checkouts(root, work, n)
    shutil.rmtree(root, ignore_errors=True)
    shutil.rmtree(site, ignore_errors=True)
    return figs


def _build_goal(n: int) -> float | None:
    return {10_000: 10.0, 50_000: 45.0}.get(n)


def _queue(n: int, work: Path) -> list[BenchFigure]:
    """``leaderboard queue`` over ``n`` requests, each added by its own commit as pull requests
    add them: the older ones FAILED, the newest 2% still PENDING (the runner takes the oldest
    first). Then one request of the first commit relaunched: the queue's order (when git added
    each pending file) then walks the whole history."""
    root = work / f"queue-{n}"
    repo = make_repo(root, 0, suite="leaderboard", features=False)
    suite, rng = load_suite("leaderboard"), random.Random(n)  # noqa: S311
    failure = {"failure_reason": "out of memory", "failure_category": "model"}
    rels = []
    for i in range(n):
        model = f"org{i % 997}/q-{i}"
        if i < n - n // 50:
            req = add_model(repo, suite, model, i, rng, status=Status.failed, request=failure)
        else:
            req = add_model(repo, suite, model, i, rng, status=Status.pending)
        rels.append(request_path(req.identity))
    _commit_history(root, rels)
    cold = _timed("queue", "--root", str(root), "--json")
    warm = _timed("queue", "--root", str(root), "--json")
    add_model(repo, suite, "org0/q-0", 0, rng, status=Status.pending)  # same file, PENDING again
    _git(root, "commit", "-q", "-a", "-m", "relaunch org0/q-0")
    relaunched = _timed("queue", "--root", str(root), "--json")
    shutil.rmtree(root, ignore_errors=True)
    goal = 2.0 if n == 20_000 else None
    return [
        _fig("queue --json, cold", n, cold, "s", goal),
        _fig("queue --json, warm", n, warm, "s"),
        _fig("queue --json, cold, a request of the first commit relaunched", n, relaunched, "s"),
    ]


def _commit_history(root: Path, rels: list[str]) -> None:
    """Commit the checkout as a leaderboard's history: all but the requests in one commit,
    then one commit per request, in ``rels`` order, a minute apart (git fast-import: 20,000
    commits in seconds, where as many ``git commit`` take many minutes)."""
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A", "--", ".", ":!requests")
    _git(root, "commit", "-q", "-m", "synthetic leaderboard")
    stream = bytearray()
    start = int(T0.timestamp())
    for i, rel in enumerate(rels):
        data = (root / rel).read_bytes()
        message = f"Add {rel}".encode()
        stream += b"commit refs/heads/main\n"
        stream += f"committer bench <bench@leaderboard.invalid> {start + 60 * i} +0000\n".encode()
        stream += b"data %d\n%s\n" % (len(message), message)
        if i == 0:
            stream += b"from refs/heads/main^0\n"
        stream += f"M 100644 inline {rel}\ndata {len(data)}\n".encode() + data + b"\n\n"
    git_as("bench", root, "fast-import", "--quiet", input=bytes(stream))
    _git(root, "reset", "-q")  # the index as a clone has it


def run(quick: bool = False) -> list[BenchFigure]:
    sizes = [300] if quick else [10_000, 50_000, 100_000]
    figs: list[BenchFigure] = []
    with tempfile.TemporaryDirectory(prefix="lb-bench-data-") as tmp:
        for n in sizes:
            figs += _measure(n, Path(tmp), checkouts=quick or n >= 50_000)
        figs += _queue(300 if quick else 20_000, Path(tmp))
    return figs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="300 models only")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--size", type=int, action="append", help="measure these sizes instead")
    parser.add_argument("--queue", type=int, help="with --size: also the queue at this many")
    args = parser.parse_args(argv)
    figs: list[BenchFigure]
    if args.size:
        figs = []
        with tempfile.TemporaryDirectory(prefix="lb-bench-data-") as tmp:
            for n in args.size:
                figs += _measure(n, Path(tmp), checkouts=True)
            if args.queue:
                figs += _queue(args.queue, Path(tmp))
    else:
        figs = run(quick=args.quick)
    print_figures(figs, as_json=args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
