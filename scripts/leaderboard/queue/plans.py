"""The run plan of a request in the repository: its parameter count, then ``core.plan``.

The count is the request's own ``params`` (written by ``leaderboard submit``, checked by
validation against the Hub), or else the Hub's safetensors metadata, read the way validation
reads it. The lm-eval arguments are the ones the runner will pass (``harness.model_args``).
"""

from __future__ import annotations

import json

from ..core.errors import LeaderboardError
from ..core.models import Request, RunPlan, Settings
from ..core.plan import plan_run
from ..harness.model_args import model_args, quantization_config
from ..hub.sizes import loaded_params


def request_params(request: Request) -> int:
    """Parameters the evaluation loads: the request's ``params``, else the Hub's count.

    Raises HubUnavailable (try again), a HubError, or LeaderboardError when the Hub has no
    count (no safetensors metadata)."""
    if request.params is not None:
        return round(request.params * 1e9)
    counted = loaded_params(request)
    if counted is None:
        which = request.base_model if request.base_model else request.model
        raise LeaderboardError(
            f"{which} has no safetensors metadata to count its parameters: it cannot be planned"
        )
    return counted


def request_plan(settings: Settings, rel: str, request: Request) -> RunPlan:
    """The plan for the request file ``rel``. Raises NoPoolFits when no pool can run it, and
    what :func:`request_params` raises."""
    args = model_args(request)
    quant = quantization_config(request.precision)
    if quant:
        args["quantization_config"] = quant
    return plan_run(
        request_params(request), request.precision, settings, request=rel, model_args=args
    )


def describe(plan: RunPlan) -> str:
    """One line for people: ``pool gpu-80gb (1 × 80 GB), one GPU, about 32.2 GB …``."""
    how = "one GPU" if plan.parallelism == "single" else f"split over {plan.gpus} GPUs"
    budget = plan.model_args.get("max_memory_per_gpu")
    return (
        f"pool {plan.pool} ({plan.gpus} × {plan.gpu_memory_gb:g} GB), {how}"
        f"{f' (at most {budget} of weights each)' if budget else ''}, about "
        f"{plan.memory_gb:g} GB for {plan.params_b:g}B parameters in {plan.precision.value}; "
        f"timeout {plan.timeout_minutes} min"
    )


def commit_trailer(plan: RunPlan) -> str:
    """What a claim commit says it planned, for audit: a sentence and the plan as JSON."""
    data = json.dumps(plan.model_dump(mode="json"), separators=(",", ":"), sort_keys=True)
    return f"Planned: {describe(plan)}\nPlan: {data}"
