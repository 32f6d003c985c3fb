"""The GPU benchmark's whole path on a CPU, on a tiny model: what runs on the GPU, less the GPU.

The stand-ins at real lengths go to a devhub, the model is built and published, ``leaderboard
runner prepare`` caches the datasets, and ``leaderboard evaluate --next`` runs the real
``leaderboard`` suite (39 tasks) through the phase recorder. The figures must then be the ones
a GPU run gives, computed from what this run recorded, and the evaluation must have imported
nothing that ``scripts/gpu-check.sh`` would leave behind.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from leaderboard.core.models import BenchFigure
from leaderboard.store.repo import Repo
from leaderboard_bench import benchdata, gpucheck
from leaderboard_bench.areas import gpu

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cpu_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[gpu.ModelRun, Path, dict]:
    work = tmp_path_factory.mktemp("gpu-bench")
    docs = benchdata.sample_docs(0.001)
    (run,) = gpu.measure(["tiny"], device="cpu", docs=docs, work=work, log=lambda _: None)
    return run, work, docs


def test_evaluate_ran_the_real_suite_on_the_samples(cpu_run) -> None:
    run, work, docs = cpu_run
    repo = Repo(work / "repo")
    (request,) = [repo.read_request(r) for r in repo.request_files()]
    assert request.status.value == "FINISHED" and request.precision.value == "bfloat16"
    (result,) = repo.result_files()
    samples = repo.read_json(result)["n-samples"]
    assert len(samples) == 39
    for task, n in docs.items():
        assert samples[task]["effective"] == n, task
    assert run.results["n-samples"] == samples


def test_the_phases_hold_every_request_of_the_sample(cpu_run) -> None:
    run, _, docs = cpu_run
    ll = run.probe["phases"]["loglikelihood"]
    gen = run.probe["phases"]["generate_until"]
    assert set(ll["tasks"]) | set(gen["tasks"]) == set(docs)
    for task, stats in ll["tasks"].items():
        assert stats["docs"] == docs[task]
        # MMLU-Pro's one-letter answers share one forward pass; BBH's "(A)"s do not.
        if task == "leaderboard_mmlu_pro":
            assert stats["sequences"] == stats["docs"] < stats["requests"]
    assert ll["requests"] == sum(s["requests"] for s in ll["tasks"].values())
    assert ll["forward"]["sequences"] == sum(s["sequences"] for s in ll["tasks"].values())
    assert ll["forward"]["tokens"] == sum(s["tokens"] for s in ll["tasks"].values())
    # The 5-shot MMLU-Pro prompt at real lengths is about a thousand tokens.
    mmlu = ll["tasks"]["leaderboard_mmlu_pro"]
    assert 800 < mmlu["tokens"] / mmlu["sequences"] < 1600
    assert gen["requests"] == 8 and gen["batch_setting"] == "8"
    # IFEval's and MATH's settings differ, so lm-eval batches them apart.
    assert sorted(g["max_gen_toks"] for g in gen["groups"].values()) == [1024, 1280]
    assert 0 < gen["generate"]["steps"] <= 1024 + 1280


def test_the_figures_follow_from_the_run(cpu_run, tmp_path: Path) -> None:
    run, _, _ = cpu_run
    figures = gpu.figures([run], peak_tflops=0.05, copy_gbps=None, device_name="CPU")
    for f in figures:
        BenchFigure.model_validate(f.model_dump())
    by_name = {f.name.split(": ", 1)[-1]: f for f in figures}
    assert by_name["projected generation, full suite (upper bound)"].size == gpu.FULL_GENERATIONS
    # The sample's answers per document differ a little from the whole suite's.
    projected = by_name["projected log-likelihood, full suite"].size
    assert projected == pytest.approx(gpu.FULL_LOGLIKELIHOOD, rel=0.01)
    for name in (
        "log-likelihood phase",
        "log-likelihood, tokens/s",
        "generation phase (upper bound)",
        "projected GPU-hours, full suite",
    ):
        assert by_name[name].value > 0, name
    # No GPU, so no memory figures; the tiny model has no goal.
    assert not any("GPU memory" in n for n in by_name)
    assert by_name["projected GPU-hours, full suite"].goal is None
    out = tmp_path / "gpu.json"
    from leaderboard_bench import suite as bench_suite

    bench_suite.write_json(figures, out)
    assert [f["name"] for f in json.loads(out.read_text())] == [f.name for f in figures]


def test_the_evaluation_imports_only_what_the_gpu_check_folder_or_the_machine_has(cpu_run):
    """What ``leaderboard evaluate`` imported, by distribution, against gpucheck's selection
    (made here from the installed packages' requirements, as gather makes it from pip's)."""
    from importlib.metadata import packages_distributions

    run, _, _ = cpu_run
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    roots = [*gpucheck.requirements(pyproject), *gpucheck.UNDECLARED]
    graph = gpucheck.installed_graph(roots)
    carried = {r.name for r in gpucheck.select(graph, gpucheck.root_names(roots))}
    machine = gpucheck.closure(graph, [*gpucheck.MACHINE_HAS, *gpucheck.torch_requires()])
    owners = packages_distributions()
    imported = {
        gpucheck.canonical(dist)
        for module in run.probe["modules"]
        if module not in sys.stdlib_module_names and not module.startswith("_")
        for dist in owners.get(module, [])
    }
    assert "lm-eval" in imported and "datasets" in imported
    optional = {gpucheck.canonical(n) for n in gpucheck.OPTIONAL}
    assert imported - carried - machine - optional == {"gitops-leaderboard"}
