"""Fair blame: what the leaderboard's own hardware and software cause is never the submitter's.

Running out of memory on a pool the plan said could hold the model, or a missing kernel or
backend, is an infrastructure failure: retried, then left to a maintainer after
``max_attempts``, with a reason that gives the planned and the measured memory.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import torch

from leaderboard.core.errors import EvaluationFailed
from leaderboard.core.models import FailureCategory, Precision, RunOutcome, Settings, Status
from leaderboard.core.plan import plan_run
from leaderboard.core.transitions import mark_running, next_state
from leaderboard.harness.failures import FailurePhase, classify
from tests.lbtest import make_request

SHA = "c" * 40
POOLS = {
    "maintainers": ["alice"],
    "max_attempts": 3,
    "runner_pools": [
        {"name": "gpu-24gb", "labels": ["gpu-24gb"], "gpus": 1, "gpu_memory_gb": 24},
        {"name": "gpu-8x80gb", "labels": ["gpu-8x80gb"], "gpus": 8, "gpu_memory_gb": 80},
    ],
}
CUDA_OOM = "CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 23.6 GiB"


@pytest.mark.parametrize("phase", ["load", "evaluate"])
@pytest.mark.parametrize(
    "exc", [torch.OutOfMemoryError(CUDA_OOM), MemoryError()], ids=["cuda", "host"]
)
def test_running_out_of_memory_is_the_infrastructures_fault(exc, phase):
    reason, category = classify(exc, phase)
    assert category is FailureCategory.infrastructure, reason
    assert "out of memory" in reason


def test_the_reason_gives_the_planned_and_the_measured_memory():
    settings = Settings.model_validate(POOLS)
    plan = plan_run(8_030_261_248, Precision.bfloat16, settings, request="requests/a/b/x.yaml")
    assert (plan.pool, plan.parallelism) == ("gpu-24gb", "single")
    with pytest.raises(EvaluationFailed) as caught, FailurePhase("evaluate", plan=plan):
        raise torch.OutOfMemoryError(CUDA_OOM)
    failure = caught.value
    assert failure.category is FailureCategory.infrastructure
    assert f"planned {plan.memory_gb:.1f} GB on pool gpu-24gb (1 × 24 GB" in failure.reason
    # No GPU here, so nothing was measured, and the reason says so rather than inventing it.
    assert "measured: unknown (no GPU in this process)" in failure.reason
    assert "submitter" not in failure.reason.lower()


def test_an_out_of_memory_failure_is_retried_then_waits_for_a_maintainer():
    settings = Settings.model_validate(POOLS)
    reason, category = classify(torch.OutOfMemoryError(CUDA_OOM), "evaluate")
    request = make_request("acme/m", SHA, age_minutes=5)
    for attempt in range(1, settings.max_attempts + 1):
        running = mark_running(request, "gpu-1", datetime.now(UTC).replace(microsecond=0))
        outcome = RunOutcome(
            request="requests/acme/m/x.yaml",
            attempt=running.attempts,
            runner="gpu-1",
            status=Status.failed,
            failure_reason=reason,
            failure_category=category,
            started_at=running.started_at,
            finished_at=running.started_at,
        )
        request = next_state(running, outcome, settings)
        assert request is not None
        if attempt < settings.max_attempts:
            assert request.status is Status.pending, attempt  # retried: back in the queue
    assert request.status is Status.failed
    assert request.failure_category is FailureCategory.infrastructure
    assert request.failure_reason.startswith("gave up after 3 attempts")


@pytest.mark.parametrize(
    "exc",
    [
        ImportError("Using `bitsandbytes` 4-bit quantization requires bitsandbytes"),
        ModuleNotFoundError("No module named 'gptqmodel'"),
        RuntimeError("Found no NVIDIA driver on your system"),
        AssertionError("Torch not compiled with CUDA enabled"),
    ],
    ids=["bitsandbytes", "gptq", "driver", "cuda"],
)
def test_a_missing_kernel_or_backend_is_ours(exc):
    reason, category = classify(exc, "load")
    assert category is FailureCategory.infrastructure, reason
    assert "this runner" in reason


def test_what_the_model_itself_causes_stays_the_models_fault():
    reason, category = classify(
        RuntimeError("Error(s) in loading state_dict: size mismatch for lm_head.weight"), "load"
    )
    assert category is FailureCategory.model
    assert reason.startswith("the model could not be loaded")
