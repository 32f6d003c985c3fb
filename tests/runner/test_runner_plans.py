"""The run plan (core.plan): the smallest pool that holds a model, one GPU or split, or none.

Parameter counts are those of real models (their published configs, built by
``devtools.bigmodels`` the way the devhub serves them), so a case here is the case a
deployment meets.
"""

from __future__ import annotations

import random

import pytest

from leaderboard.core.errors import NoPoolFits
from leaderboard.core.models import Precision, RunnerPool, RunPlan, Settings
from leaderboard.core.plan import (
    CUDA_CONTEXT_GB,
    MIN_ACTIVATIONS_GB,
    estimate,
    estimate_memory_gb,
    params_in_billions,
    plan_run,
    planned_params,
    timeout_minutes,
)
from leaderboard.devtools.bigmodels import LLAMA_SHAPES, llama_shape

POOLS = [
    {"name": "gpu-24gb", "labels": ["self-hosted", "gpu-24gb"], "gpus": 1, "gpu_memory_gb": 24},
    {"name": "gpu-80gb", "labels": ["self-hosted", "gpu-80gb"], "gpus": 1, "gpu_memory_gb": 80},
    {
        "name": "gpu-8x80gb",
        "labels": ["self-hosted", "gpu-8x80gb"],
        "gpus": 8,
        "gpu_memory_gb": 80,
    },
]
B = {name: shape.params for name, shape in LLAMA_SHAPES.items()}


def settings(pools=POOLS, **kw) -> Settings:
    return Settings.model_validate({"maintainers": ["alice"], "runner_pools": pools, **kw})


@pytest.mark.parametrize(
    ("model", "precision", "pool", "parallelism"),
    [
        ("llama-3.2-1b", "bfloat16", "gpu-24gb", "single"),
        ("llama-3.2-1b", "4bit", "gpu-24gb", "single"),
        ("llama-3.1-8b", "bfloat16", "gpu-24gb", "single"),
        ("llama-3.1-8b", "float16", "gpu-24gb", "single"),
        ("llama-3.1-8b", "8bit", "gpu-24gb", "single"),
        ("llama-2-13b", "bfloat16", "gpu-80gb", "single"),
        ("llama-2-13b", "8bit", "gpu-24gb", "single"),
        ("llama-30b", "bfloat16", "gpu-80gb", "single"),
        ("llama-3.1-70b", "bfloat16", "gpu-8x80gb", "model"),
        ("llama-3.1-70b", "8bit", "gpu-8x80gb", "model"),
        ("llama-3.1-70b", "4bit", "gpu-80gb", "single"),
        ("llama-3.1-405b", "8bit", "gpu-8x80gb", "model"),
        ("llama-3.1-405b", "4bit", "gpu-8x80gb", "model"),
    ],
)
def test_each_model_gets_the_smallest_pool_that_holds_it(model, precision, pool, parallelism):
    plan = plan_run(B[model], Precision(precision), settings(), request="requests/a/b/x.yaml")
    assert (plan.pool, plan.parallelism) == (pool, parallelism)
    chosen = next(p for p in POOLS if p["name"] == pool)
    assert plan.labels == chosen["labels"] and plan.gpus == chosen["gpus"]
    assert plan.request == "requests/a/b/x.yaml"
    assert plan.params_b == params_in_billions(B[model])
    need = estimate(B[model], Precision(precision))
    if parallelism == "single":
        assert plan.memory_gb <= chosen["gpu_memory_gb"]
        assert "parallelize" not in plan.model_args and plan.split_args() == {}
        # ...and no smaller pool would have held it.
        for other in POOLS:
            if other["gpus"] * other["gpu_memory_gb"] < chosen["gpus"] * chosen["gpu_memory_gb"]:
                assert need.total_gb(1) > other["gpu_memory_gb"]
    else:
        assert plan.model_args["parallelize"] is True
        budget = int(plan.model_args["max_memory_per_gpu"].removesuffix("GB"))
        # Each GPU holds its share of the weights within the budget, and the budget leaves
        # each GPU its CUDA context and room for activations.
        assert need.weights_gb / plan.gpus <= budget
        assert budget + CUDA_CONTEXT_GB + MIN_ACTIVATIONS_GB <= chosen["gpu_memory_gb"]
        assert need.total_gb(1) > 80  # no single GPU of any pool holds it
        assert plan.memory_gb == round(need.total_gb(plan.gpus), 2)


@pytest.mark.parametrize("precision", ["float16", "bfloat16"])
def test_what_no_pool_holds_is_refused_with_the_need_and_what_to_do(precision):
    with pytest.raises(NoPoolFits) as caught:
        plan_run(B["llama-3.1-405b"], Precision(precision), settings())
    message = str(caught.value)
    assert f"405.9B parameters in {precision} need about 975 GB of GPU memory" in message
    assert "the largest runner pool, gpu-8x80gb (8 × 80 GB), holds 640 GB" in message
    assert "pick a smaller precision (8bit needs about" in message
    assert "ask the maintainers (@alice) for a larger runner pool" in message
    assert caught.value.largest.name == "gpu-8x80gb" and caught.value.need_gb > 640


def test_gptq_is_refused_until_a_runner_can_run_it():
    with pytest.raises(NoPoolFits) as caught:
        plan_run(B["llama-3.1-8b"], Precision.gptq, settings())
    assert "no GPTQ kernel" in str(caught.value) and "precision 4bit" in str(caught.value)


def test_the_order_pools_are_declared_in_does_not_matter():
    shuffled = list(POOLS)
    for seed in range(5):
        random.Random(seed).shuffle(shuffled)
        for model in ("llama-3.1-8b", "llama-2-13b", "llama-3.1-70b"):
            plan = plan_run(B[model], Precision.bfloat16, settings(shuffled))
            assert plan == plan_run(B[model], Precision.bfloat16, settings())


def test_at_equal_total_memory_one_large_gpu_beats_two_small_ones():
    pools = [
        {"name": "two-40", "labels": ["two-40"], "gpus": 2, "gpu_memory_gb": 40},
        {"name": "one-80", "labels": ["one-80"], "gpus": 1, "gpu_memory_gb": 80},
    ]
    params = llama_shape(28).params
    plan = plan_run(params, Precision.bfloat16, settings(pools))
    assert (plan.pool, plan.parallelism) == ("one-80", "single")
    # Without the 80 GB card the same model is split over the two 40 GB ones.
    plan = plan_run(params, Precision.bfloat16, settings(pools[:1]))
    assert (plan.pool, plan.parallelism) == ("two-40", "model")


def test_a_model_that_fits_one_gpu_of_a_multi_gpu_pool_is_not_split():
    pools = [{"name": "eight-40", "labels": ["eight-40"], "gpus": 8, "gpu_memory_gb": 40}]
    plan = plan_run(B["llama-2-13b"], Precision.bfloat16, settings(pools))
    assert (plan.pool, plan.parallelism, plan.gpus) == ("eight-40", "single", 8)


def test_the_estimate_is_weights_plus_headroom_plus_context():
    eight = B["llama-3.1-8b"]
    assert estimate(eight, Precision.bfloat16).weights_gb == pytest.approx(16.06, abs=0.01)
    # 16.06 GB of weights, 20% for activations and the KV cache, 1 GB of CUDA context.
    assert estimate_memory_gb(eight, Precision.bfloat16) == pytest.approx(20.27, abs=0.01)
    # A small model still keeps room for one long sequence's logits.
    assert estimate(B["llama-3.2-1b"], Precision.bfloat16).activations_gb == MIN_ACTIVATIONS_GB
    assert estimate_memory_gb(eight, Precision.int4) < estimate_memory_gb(eight, Precision.int8)
    assert estimate_memory_gb(eight, Precision.int8) < estimate_memory_gb(eight, Precision.float16)
    assert estimate_memory_gb(eight, Precision.bfloat16, gpus=8) == pytest.approx(27.27, abs=0.01)


def test_gptq_counts_are_unpacked_as_the_size_limit_counts_them():
    counts = {"I32": 1_000, "F16": 500}
    assert planned_params(counts, Precision.gptq) == 8_500
    assert planned_params(counts, Precision.bfloat16) == 1_500


@pytest.mark.parametrize("hours", [1.0, 2.5, 12.0, 48.0, 720.0])
def test_every_timeout_ends_before_reconcile_would_take_the_request_back(hours):
    sizes = [llama_shape(b).params for b in (0.5, 1, 8, 30, 70, 400)] + [B["llama-3.1-405b"]]
    for precision in Precision:
        previous = 0
        for params in sizes:
            minutes = timeout_minutes(params, precision, hours)
            assert 1 <= minutes < hours * 60
            assert minutes <= 5 * 24 * 60  # GitHub's limit for a self-hosted job
            assert minutes >= previous  # never shorter for a larger model
            previous = minutes
    # The default 12 hours keep the 11 hours the evaluate job always had, for the largest.
    assert timeout_minutes(B["llama-3.1-70b"], Precision.bfloat16, 12.0) == 660


def test_the_plan_is_the_json_the_workflow_routes_with():
    plan = plan_run(B["llama-3.1-70b"], Precision.bfloat16, settings(), request="r.yaml")
    data = plan.model_dump(mode="json")
    for key in ("request", "pool", "labels", "gpus", "parallelism", "memory_gb", "model_args"):
        assert key in data
    assert data["timeout_minutes"] == plan.timeout_minutes
    assert RunPlan.model_validate_json(plan.model_dump_json()) == plan


def test_the_default_settings_ship_one_pool_like_the_workflow_had():
    [pool] = Settings().runner_pools
    assert pool.labels == ["self-hosted", "linux", "gpu"] and pool.gpus == 1


@pytest.mark.parametrize(
    "pool",
    [
        {"name": "x", "labels": [], "gpus": 1, "gpu_memory_gb": 24},
        {"name": "x", "labels": ["gpu"], "gpus": 0, "gpu_memory_gb": 24},
        {"name": "x", "labels": ["gpu"], "gpus": 1, "gpu_memory_gb": 0},
        {"name": "x", "labels": ["gpu"], "gpus": 1, "gpu_memory_gb": float("inf")},
        {"name": "x", "labels": ["gpu,other"], "gpus": 1, "gpu_memory_gb": 24},
        {"name": "x", "labels": ["gpu", "GPU"], "gpus": 1, "gpu_memory_gb": 24},
        {"name": "Bad Name", "labels": ["gpu"], "gpus": 1, "gpu_memory_gb": 24},
    ],
)
def test_a_pool_the_runner_could_not_use_is_refused(pool):
    with pytest.raises(ValueError):
        RunnerPool.model_validate(pool)


def test_an_empty_pool_list_is_refused():
    with pytest.raises(ValueError):
        settings([])
