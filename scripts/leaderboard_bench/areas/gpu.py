"""The evaluation at real size on a GPU: ``leaderboard evaluate`` on random-weight Llamas.

For each model shape (``modelshapes.SHAPES``: Llama-3.2-1B's and Llama-3.1-8B's), the
benchmark builds the model on the GPU (random bfloat16 weights, the project's tokenizer),
publishes it to a devhub with the ``leaderboard`` suite's dataset stand-ins at real text
lengths (``benchdata``), runs ``leaderboard runner prepare``, then ``leaderboard evaluate --next``
on a request for it: the production path, lm-eval's ``hf`` backend with ``batch_size=auto``.
Each task holds a sample of its documents (its per-task limit: a share of each log-likelihood
task, one document of each generation task), and ``harness.phases`` times lm-eval's two phases
in the evaluating process.

The figures, per model:

- **seconds and tokens per second of each phase**: log-likelihood (the tokens of the sequences
  the model computes, padding left out) and generation (new tokens). Random weights all but
  never stop early, so each generation runs to its task's limit of new tokens (1,280 for IFEval,
  1,024 for MATH) and the generation figures are an upper bound;
- **model FLOP utilization** of the log-likelihood phase (the batch size search left out):
  ``2 × matmul parameters × tokens + 2 × layers × width × Σ length²`` (causal attention) over
  the seconds, against the bf16 matrix-multiply peak measured in the same run;
- **peak GPU memory** against the runner plan's estimate: the model and one forward pass of
  4,096 tokens at batch size 1 (the longest the suite asks for, scored as lm-eval scores),
  which is what the estimate is for; and, for the record, the evaluation's own peak, which
  ``batch_size=auto`` grows into whatever the card has left;
- **the projection to the full suite**: the log-likelihood phase scaled by each task's FLOPs
  at its real number of documents (152,671 requests in all), the generation phase as decode
  steps (each batch of a task's real documents runs its task's whole limit, at the batch size
  and the time per step measured here), plus the run's fixed cost (download, load, tasks).

Without CUDA it says so and measures nothing (a CPU test runs :func:`measure` on a tiny model).

Run: ``leaderboard bench --area gpu`` or
``python -m leaderboard_bench.areas.gpu [--models llama-8b] [--out FILE]``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from leaderboard.core.models import BenchFigure, Request
from leaderboard.store.git import git
from leaderboard_bench import devhub_env
from leaderboard_bench.benchdata import real_docs, sample_docs
from leaderboard_bench.gpu_peaks import (
    FLOOR_TOKENS,
    batch_one_peak,
    copy_peak_gbps,
    matmul_peak_tflops,
)
from leaderboard_bench.gpu_projection import (
    Projection,
    batch_size,
    memory_check,
    plan_estimate_gb,
    project_generation,
    project_loglikelihood,
)
from leaderboard_bench.modelshapes import forward_flops, param_count

AREA = "gpu"
#: The issue's anchors for the whole ``leaderboard`` group.
FULL_LOGLIKELIHOOD = 152_671
FULL_GENERATIONS = 1_865
#: The per-task limit: this share of each log-likelihood task's documents, and this many
#: documents of each generation task.
FRACTION = 0.02
GENERATIONS = 1
#: The 8 B model's goal (issue 23): the full suite in at most one GPU-hour on an H100.
GOAL_HOURS = 1.0


def _stored_uncompressed(hub: Path, model: str) -> None:
    """The devhub's repository for ``model``, made to store its blobs uncompressed: zlib cannot
    shrink random weights, and at its fastest level it would spend minutes on 16 GB."""
    from leaderboard.devtools.devhub import repo_dir

    repo = repo_dir(hub, model)
    if not (repo / "HEAD").exists():
        repo.mkdir(parents=True, exist_ok=True)
        git(repo, "init", "-q", "--bare", "-b", "main")
    git(repo, "config", "core.looseCompression", "0")


@dataclass
class ModelRun:
    """What one model's evaluation measured, before it becomes figures."""

    key: str
    label: str
    config: dict[str, Any]
    params: int
    build_seconds: float
    wall_seconds: float
    probe: dict[str, Any]
    results: dict[str, Any] = field(default_factory=dict)
    #: The allocator's peak for one forward pass of FLOOR_TOKENS at batch size 1.
    floor_peak: int | None = None


def _env(url: str, work: Path) -> dict[str, str]:
    return devhub_env(url, work / "hf", NLTK_DATA=str(work / "nltk"))


def _leaderboard(args: list[str], cwd: Path, env: dict[str, str], what: str) -> float:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{what} failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    return elapsed


def _request(repo: Path, model: str, sha: str) -> str:
    from leaderboard.core.ids import request_path
    from leaderboard.store.repo import Repo

    request = Request(
        model=model,
        revision=sha,
        precision="bfloat16",
        model_type="pretrained",
        submitter="bench",
        submitted_at=datetime.now(UTC).replace(microsecond=0),
    )
    rel = request_path(request.identity)
    Repo(repo).write_request(rel, request)
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=bench", "-c", "user.email=b@x", "commit", "-qm", f"Request {model}")
    return rel


def measure(
    keys: Sequence[str],
    *,
    device: str,
    docs: Mapping[str, int],
    work: Path,
    log: Callable[[str], None] = print,
    on_model: Callable[[ModelRun], None] | None = None,
) -> list[ModelRun]:
    """Build, publish and evaluate each model of ``keys`` (``modelshapes.SHAPES`` keys, or
    ``tiny``) on ``device``, the stand-ins holding ``docs[task]`` documents; returns what each
    evaluation measured. ``work`` holds the devhub, the caches and the repository."""
    import torch

    from leaderboard.devtools.devhub import publish, serve
    from leaderboard.devtools.nltkdata import build_punkt_tab
    from leaderboard.store.repo import Repo
    from leaderboard_bench.benchdata import publish_bench_datasets, texts
    from leaderboard_bench.modelshapes import SHAPES, build_tokenizer, model_files, tiny_shape

    hub = work / "hub"
    _, datasets = publish_bench_datasets(hub, docs)
    tokenizer = build_tokenizer(texts(datasets))
    build_punkt_tab(work / "nltk")
    repo = work / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "curation").mkdir()
    (repo / "curation" / "settings.yaml").write_text(
        "schema_version: 1\nsuite: leaderboard\n", encoding="utf-8"
    )
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=bench", "-c", "user.email=b@x", "commit", "-qm", "settings")
    prepared = False
    runs = []
    for key in keys:
        shape = tiny_shape(len(tokenizer)) if key == "tiny" else SHAPES[key]
        model = f"bench/{shape.key}"
        log(f"{shape.label}: building on {device}")
        start = time.perf_counter()
        files = model_files(shape, tokenizer, device=device)
        _stored_uncompressed(hub, model)
        sha = publish(hub, model, files, message=f"{shape.label}, random weights")
        del files
        if device.startswith("cuda"):
            torch.cuda.empty_cache()
        build = time.perf_counter() - start
        rel = _request(repo, model, sha)
        with serve(hub) as url:
            env = _env(url, work)
            if not prepared:
                log("runner prepare: the stand-ins into the cache")
                _leaderboard(["leaderboard", "runner", "prepare"], repo, env, "runner prepare")
                prepared = True
            log(f"{shape.label}: leaderboard evaluate")
            probe_file = work / f"phases-{shape.key}.json"
            offline = {**env, "HF_DATASETS_OFFLINE": "1"}
            wall = _leaderboard(
                [
                    "leaderboard_bench.gpu_probe",
                    str(probe_file),
                    *("evaluate", "--next", "--device", device),
                ],
                repo,
                offline,
                "leaderboard evaluate",
            )
        snapshot = next((work / "hf" / "hub" / f"models--bench--{shape.key}").glob("snapshots/*"))
        floor = batch_one_peak(snapshot, device)
        status = Repo(repo).read_request(rel)
        if status.status.value != "FINISHED":
            raise RuntimeError(f"{shape.label}: {status.status.value}: {status.failure_reason}")
        result = Repo(repo).read_json(Repo(repo).result_files(model)[-1])
        run = ModelRun(
            key=shape.key,
            label=shape.label,
            config=dict(shape.config),
            params=param_count(shape.config),
            build_seconds=build,
            wall_seconds=wall,
            probe=json.loads(probe_file.read_text(encoding="utf-8")),
            results={"n-samples": result.get("n-samples", {})},
            floor_peak=floor,
        )
        runs.append(run)
        if on_model:
            on_model(run)
        # The next model needs the disk: drop this one's files from the devhub and the cache.
        shutil.rmtree(hub / model, ignore_errors=True)
        shutil.rmtree(work / "hf" / "hub" / f"models--bench--{shape.key}", ignore_errors=True)
    return runs


# -- figures -----------------------------------------------------------------------------------


def model_figures(
    run: ModelRun, *, peak_tflops: float, copy_gbps: float | None, estimate_gb: float | None
) -> list[BenchFigure]:
    """One model's figures (see the module's docstring for what each means)."""
    full = real_docs()
    ll = run.probe["phases"].get("loglikelihood")
    gen = run.probe["phases"].get("generate_until")
    memory = run.probe.get("memory") or {}
    name = run.label

    def fig(what: str, value: float, unit: str, size: int | None = None, **kw: Any) -> None:
        out.append(
            BenchFigure(area=AREA, name=f"{name}: {what}", size=size, value=value, unit=unit, **kw)
        )

    out: list[BenchFigure] = []
    fig("build and publish (random bf16 weights)", round(run.build_seconds, 2), "s")
    fig("leaderboard evaluate, wall", round(run.wall_seconds, 2), "s")
    phase_seconds = 0.0
    ll_full = gen_full = Projection(0.0, 0.0)
    if ll:
        phase_seconds += ll["seconds"]
        forward = ll["forward"]
        compute = max(ll["seconds"] - ll["detect_seconds"], 1e-9)
        flops = forward_flops(run.config, forward.get("tokens", 0), forward.get("sq_tokens", 0))
        fig("log-likelihood phase", round(ll["seconds"], 2), "s", ll["requests"])
        fig("log-likelihood, batch size search", round(ll["detect_seconds"], 2), "s")
        fig(
            "log-likelihood, tokens/s",
            round(forward.get("tokens", 0) / compute, 1),
            "tok/s",
            forward.get("sequences"),
        )
        fig("log-likelihood, MFU", round(100 * flops / compute / (peak_tflops * 1e12), 2), "%")
        padded = forward.get("padded_tokens") or 0
        if padded:
            fig("log-likelihood, padding", round(100 * (1 - forward["tokens"] / padded), 1), "%")
        fig(f"log-likelihood, batch size ({ll['batch_setting']})", batch_size(ll), "seqs")
        ll_full = project_loglikelihood(ll, run.config, full)
    if gen:
        phase_seconds += gen["seconds"]
        generate = gen["generate"]
        fig("generation phase (upper bound)", round(gen["seconds"], 2), "s", gen["requests"])
        if generate.get("seconds"):
            fig(
                "generation, new tokens/s (upper bound)",
                round(generate["new_tokens"] / generate["seconds"], 1),
                "tok/s",
                int(generate["new_tokens"]),
            )
            step = generate["seconds"] / generate["steps"]
            fig(
                "generation, ms per decode step",
                round(1000 * step, 2),
                "ms",
                int(generate["steps"]),
            )
            if copy_gbps:
                # Each decode step reads every weight once (bf16: two bytes a parameter).
                share = 2 * run.params / step / 1e9 / copy_gbps
                fig("generation, weight reads / copy bandwidth", round(100 * share, 1), "%")
        fig(f"generation, batch size ({gen['batch_setting']})", batch_size(gen), "seqs")
        gen_full = project_generation(gen, full)
    goal = None if estimate_gb is None else f"<= {estimate_gb:.1f} GB (runner plan)"
    if run.floor_peak is not None:
        peak, ok = memory_check(run.floor_peak, estimate_gb)
        fig(
            f"peak GPU memory at batch 1 ({FLOOR_TOKENS:,} tokens)",
            round(peak, 2),
            "GB",
            goal=goal,
            ok=ok,
        )
    if memory:
        # batch_size=auto fills the card: this peak says how full, not what the model needs.
        fig(
            "peak GPU memory, evaluate (auto batch)", round(memory["peak_allocated"] / 1e9, 2), "GB"
        )
        fig("peak GPU memory reserved, evaluate", round(memory["peak_reserved"] / 1e9, 2), "GB")
    if estimate_gb is not None:
        fig("runner plan's estimate", round(estimate_gb, 2), "GB")
    fixed = max(run.wall_seconds - phase_seconds, 0.0)
    fig("fixed cost (download, load, tasks, record)", round(fixed, 2), "s")
    fig(
        "projected log-likelihood, full suite",
        round(ll_full.seconds / 3600, 3),
        "h",
        round(ll_full.requests),
    )
    fig(
        "projected generation, full suite (upper bound)",
        round(gen_full.seconds / 3600, 3),
        "h",
        round(gen_full.requests),
    )
    total = (ll_full.seconds + gen_full.seconds + fixed) / 3600
    goal_kw: dict[str, Any] = {}
    if run.key == "llama-8b":
        goal_kw = {"goal": f"<= {GOAL_HOURS:g} h on one H100", "ok": total <= GOAL_HOURS}
    fig("projected GPU-hours, full suite", round(total, 3), "h", **goal_kw)
    return out


def figures(
    runs: Sequence[ModelRun], *, peak_tflops: float, copy_gbps: float | None, device_name: str
) -> list[BenchFigure]:
    out = [
        BenchFigure(
            area=AREA,
            name=f"matmul peak, measured ({device_name})",
            value=round(peak_tflops, 1),
            unit="TFLOP/s",
        )
    ]
    if copy_gbps:
        out.append(
            BenchFigure(
                area=AREA, name="device copy bandwidth", value=round(copy_gbps), unit="GB/s"
            )
        )
    for run in runs:
        out += model_figures(
            run,
            peak_tflops=peak_tflops,
            copy_gbps=copy_gbps,
            estimate_gb=plan_estimate_gb(run.params),
        )
    return out


def bench(
    keys: Sequence[str],
    *,
    device: str,
    docs: Mapping[str, int],
    out: Path | None = None,
    work: Path | None = None,
    log: Callable[[str], None] = print,
) -> list[BenchFigure]:
    """Measure ``keys`` on ``device`` and return the figures; with ``out``, write them there
    (a JSON list, the shape ``bench-figures.json`` has) after each model, with each model's
    raw measurements beside it."""
    from leaderboard_bench import suite

    if device.startswith("cuda"):
        import torch

        matmul, copy = matmul_peak_tflops(device), copy_peak_gbps(device)
        device_name = torch.cuda.get_device_name()
    else:
        matmul, copy, device_name = matmul_peak_tflops(device, n=512, iters=5), None, "CPU"
    log(f"matmul peak: {matmul:.1f} TFLOP/s" + (f", copy: {copy:.0f} GB/s" if copy else ""))
    runs: list[ModelRun] = []

    def done(run: ModelRun) -> None:
        runs.append(run)
        if out:
            out.parent.mkdir(parents=True, exist_ok=True)
            suite.write_json(
                figures(runs, peak_tflops=matmul, copy_gbps=copy, device_name=device_name), out
            )
            raw = out.with_name(f"{out.stem}-{run.key}.json")
            raw.write_text(json.dumps(run.__dict__, indent=2, default=str), encoding="utf-8")

    with contextlib.ExitStack() as stack:
        if work is None:
            work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="lb-gpu-bench-")))
        measure(keys, device=device, docs=docs, work=work, log=log, on_model=done)
    return figures(runs, peak_tflops=matmul, copy_gbps=copy, device_name=device_name)


def cuda_device() -> str | None:
    import torch

    return "cuda" if torch.cuda.is_available() else None


def run(quick: bool = False) -> list[BenchFigure]:
    """The area's entry for ``leaderboard bench``: both shapes (``quick``: the 1 B one, on a
    smaller sample); no figures where there is no CUDA device."""
    device = cuda_device()
    if device is None:
        print(f"{AREA}: no CUDA device here, so nothing is measured", file=sys.stderr)
        return []
    keys = ["llama-1b"] if quick else ["llama-1b", "llama-8b"]
    return bench(
        keys,
        device=device,
        docs=sample_docs(FRACTION / 4 if quick else FRACTION, GENERATIONS),
        log=lambda line: print(f"{AREA}: {line}", file=sys.stderr, flush=True),
    )


def main(argv: list[str] | None = None) -> int:
    from leaderboard_bench import print_figures

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--models",
        default="llama-1b,llama-8b",
        help="comma-separated shapes: llama-1b, llama-8b, tiny (default: the first two)",
    )
    parser.add_argument("--fraction", type=float, default=FRACTION, help="share of each task")
    parser.add_argument("--out", type=Path, help="write the figures here as each model ends")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--device",
        help="default: cuda where there is one; cpu only when asked (tests: --models tiny)",
    )
    args = parser.parse_args(argv)
    device = args.device or cuda_device()
    if device is None:
        print(f"{AREA}: no CUDA device here, so nothing is measured", file=sys.stderr)
        return 0
    figs = bench(
        [k for k in args.models.split(",") if k],
        device=device,
        docs=sample_docs(args.fraction, GENERATIONS),
        out=args.out,
        log=lambda line: print(f"{AREA}: {line}", file=sys.stderr, flush=True),
    )
    print_figures(figs, as_json=args.json, width=64)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
