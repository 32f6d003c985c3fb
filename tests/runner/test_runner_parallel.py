"""A model the plan splits across GPUs: the exact lm-eval arguments, pinned.

No GPU is lent to these tests, so ``parallelize=True`` cannot run here (lm-eval builds its
device map only over CUDA devices). What can be proven without one is: which arguments the
runner gives lm-eval, what lm-eval 0.4.13 turns them into for Accelerate, what the reproduce
command says, and the guards that turn a wrong plan into an infrastructure failure.
"""

from __future__ import annotations

import pytest

from leaderboard.core.errors import EvaluationFailed
from leaderboard.core.models import FailureCategory, Precision, Settings
from leaderboard.core.plan import plan_run
from leaderboard.devtools.bigmodels import LLAMA_SHAPES
from leaderboard.harness.model_args import model_args
from leaderboard.harness.options import EvalOptions
from leaderboard.harness.reproduce import reproduce_command
from leaderboard.harness.run import check_placement, check_runner
from leaderboard.suites.loader import load_suite
from tests.lbtest import make_request

SHA = "c" * 40
SETTINGS = Settings.model_validate(
    {
        "maintainers": ["alice"],
        "runner_pools": [
            {"name": "gpu-80gb", "labels": ["gpu-80gb"], "gpus": 1, "gpu_memory_gb": 80},
            {"name": "gpu-8x80gb", "labels": ["gpu-8x80gb"], "gpus": 8, "gpu_memory_gb": 80},
        ],
    }
)


def _split_plan(precision: str = "bfloat16"):
    request = make_request("meta/llama-70b", SHA, age_minutes=1, precision=precision)
    plan = plan_run(
        LLAMA_SHAPES["llama-3.1-70b"].params,
        request.precision,
        SETTINGS,
        request="requests/meta/llama-70b/x.yaml",
        model_args=model_args(request),
    )
    return request, plan


def test_a_split_plan_gives_lm_eval_parallelize_and_a_per_gpu_budget():
    request, plan = _split_plan()
    assert plan.parallelism == "model" and plan.gpus == 8
    assert plan.split_args() == {"parallelize": True, "max_memory_per_gpu": "75GB"}
    assert plan.model_args == {**model_args(request), **plan.split_args()}


def test_lm_eval_turns_them_into_accelerates_device_map_over_every_gpu():
    """lm-eval 0.4.13's own code, given the plan's arguments and the pool's GPU count: a
    budget for each of the 8 GPUs, Accelerate's automatic device map, no CPU memory."""
    from lm_eval.models.huggingface import HFLM

    _, plan = _split_plan()
    stub = HFLM.__new__(HFLM)  # no model: only the argument translation runs
    args = HFLM._get_accelerate_args(stub, gpus=plan.gpus, **plan.split_args())
    assert args["device_map"] == "auto"
    assert args["max_memory"] == {i: "75GB" for i in range(8)}
    assert "cpu" not in args["max_memory"]


def test_the_reproduce_command_says_how_the_model_was_split():
    request, plan = _split_plan()
    command = reproduce_command(request, load_suite("leaderboard"), EvalOptions(), plan=plan)
    assert "parallelize=True,max_memory_per_gpu=75GB" in command
    single = reproduce_command(request, load_suite("leaderboard"), EvalOptions())
    assert "parallelize" not in single


def test_a_quantized_split_keeps_its_quantization_in_the_command():
    request, plan = _split_plan("8bit")
    assert plan.parallelism == "model"
    command = reproduce_command(request, load_suite("leaderboard"), EvalOptions(), plan=plan)
    assert '"parallelize":true' in command and '"max_memory_per_gpu":"76GB"' in command
    assert '"load_in_8bit":true' in command


class _Model:
    def __init__(self, placement):
        self.hf_device_map = placement


class _LM:
    def __init__(self, placement):
        self.model = _Model(placement)


def test_layers_offloaded_past_the_budget_fail_as_ours_not_the_models():
    _, plan = _split_plan()
    check_placement(_LM({"model.layers.0": 0, "lm_head": 7}), plan)  # all on GPUs: fine
    with pytest.raises(EvaluationFailed) as caught:
        check_placement(_LM({"model.layers.0": 0, "model.layers.79": "disk"}), plan)
    assert caught.value.category is FailureCategory.infrastructure
    assert "offloaded layers to disk" in caught.value.reason
    assert "8 × 75GB" in caught.value.reason


def test_a_runner_without_the_pools_gpus_fails_as_ours():
    _, plan = _split_plan()
    with pytest.raises(EvaluationFailed) as caught:
        check_runner(plan, "cpu")  # this machine: no GPU at all
    assert caught.value.category is FailureCategory.infrastructure
    assert "splits the model over 8 GPUs of pool gpu-8x80gb" in caught.value.reason
    single = plan_run(LLAMA_SHAPES["llama-3.1-8b"].params, Precision.bfloat16, SETTINGS)
    check_runner(single, "cpu")  # a one-GPU plan runs where it is sent (the rehearsals' CPU)
