"""How much GPU memory a request needs, and which runner pool evaluates it: arithmetic, no I/O.

Validation (rule ``runner-capacity``), ``leaderboard runner plan``, the claim and the queue all
call :func:`plan_run` with a parameter count, so they cannot disagree. The count is the one
validation reads from the safetensors metadata (GPTQ's packed integers unpacked, see
:func:`planned_params`), for an Adapter or a Delta its base model's.

The estimate (the README's "Runner pools" section gives each figure and where it comes from):

- **weights**: parameters × bytes per parameter of the precision (:data:`WEIGHT_BYTES`), and
  for bitsandbytes' 8bit and 4bit :data:`KEPT_16BIT` more, for the layers it leaves in 16 bit;
- **activations and KV cache**: :data:`HEADROOM` of the weights (EleutherAI's rule of thumb
  for inference, which Hugging Face's model-memory estimator quotes), never less than
  :data:`MIN_ACTIVATIONS_GB`, what one long sequence's logits take. lm-eval's
  ``batch_size=auto`` then grows the batch into whatever memory is left, so this is the floor
  a run needs, not what it will use;
- **CUDA context**: :data:`CUDA_CONTEXT_GB` on every GPU the run touches.

A pool holds a model on one GPU when the whole estimate fits one of its GPUs; otherwise, when
it has several, split across all of them (``parallelism: model``) when each GPU's share of the
weights fits a per-GPU budget that leaves each its context and its share of the activations.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import NoPoolFits
from .models import Precision, Request, RunnerPool, RunPlan, Settings

#: Bytes per parameter on the GPU. 8bit is LLM.int8 (one byte per weight); 4bit is NF4, half a
#: byte plus one float32 scale per block of 64 weights (0.0625). GPTQ is refused for now
#: (:data:`UNSUPPORTED`) and counted like NF4.
WEIGHT_BYTES: dict[Precision, float] = {
    Precision.float16: 2.0,
    Precision.bfloat16: 2.0,
    Precision.int8: 1.0,
    Precision.int4: 0.5625,
    Precision.gptq: 0.5625,
}
#: Quantization leaves the embeddings, the output layer and the norms in 16 bit: about 13% of
#: an 8 B Llama's parameters, 3% of a 70 B one's. Counted as 15% more quantized weight.
KEPT_16BIT = 0.15
#: Activations and KV cache, as a share of the weights (EleutherAI, "Transformers Math 101":
#: inference needs about 1.2 × the weights).
HEADROOM = 0.20
#: The least room left for activations on a GPU: one 4,096-token sequence's logits over a
#: 128k vocabulary in 16 bit take 1 GB, and log_softmax makes a second copy.
MIN_ACTIVATIONS_GB = 2.0
#: The CUDA context, cuBLAS workspaces and allocator slack on each GPU a run uses.
CUDA_CONTEXT_GB = 1.0

#: Precisions no runner can run yet, and why (the ``runner-capacity`` message says it).
UNSUPPORTED: dict[Precision, str] = {
    Precision.gptq: (
        "no runner can run GPTQ weights yet: the runners' `gpu` extra installs no GPTQ kernel, "
        "so such a run would fail at load time. Submit the model's 16-bit weights with "
        "precision 4bit (bitsandbytes quantizes them at load time) or 8bit instead"
    ),
}

#: The evaluate job's timeout: a fixed part for installing and preparing, then minutes per
#: billion parameters. It bounds a run, it does not predict one (the queue measures those).
SETUP_MINUTES = 60
MINUTES_PER_B = 10
#: bitsandbytes computes more slowly than 16-bit weights: its timeouts stretch by this much.
SLOWDOWN: dict[Precision, float] = {Precision.int8: 2.0, Precision.int4: 1.5, Precision.gptq: 1.5}
#: GitHub ends any job on a self-hosted runner after 5 days.
JOB_LIMIT_MINUTES = 5 * 24 * 60


@dataclass(frozen=True)
class MemoryEstimate:
    """A model's GPU memory need at one precision, in GB (10^9 bytes)."""

    params: int
    precision: Precision
    weights_gb: float
    activations_gb: float

    def total_gb(self, gpus: int = 1) -> float:
        """Everything a run on ``gpus`` GPUs needs: weights, activations, a context per GPU."""
        return self.weights_gb + self.activations_gb + gpus * CUDA_CONTEXT_GB

    def fits_one(self, gpu_memory_gb: float) -> bool:
        return self.total_gb(1) <= gpu_memory_gb

    def split_budget_gb(self, pool: RunnerPool) -> float | None:
        """What each of the pool's GPUs may hold of the weights when the model is split across
        all of them (``max_memory_per_gpu``), or None when no split over this pool fits."""
        if pool.gpus < 2:
            return None
        reserve = max(self.activations_gb / pool.gpus, MIN_ACTIVATIONS_GB)
        budget = pool.gpu_memory_gb - CUDA_CONTEXT_GB - reserve
        return budget if budget > 0 and self.weights_gb / pool.gpus <= budget else None


def estimate(params: int, precision: Precision) -> MemoryEstimate:
    """The GPU memory ``params`` parameters need at ``precision`` (see the module's docstring)."""
    weights = params * WEIGHT_BYTES[precision] / 1e9
    if precision in (Precision.int8, Precision.int4, Precision.gptq):
        weights *= 1 + KEPT_16BIT
    activations = max(weights * HEADROOM, MIN_ACTIVATIONS_GB)
    return MemoryEstimate(params, precision, weights, activations)


def estimate_memory_gb(params: int, precision: Precision, gpus: int = 1) -> float:
    """Estimated GPU memory, in GB, to evaluate ``params`` parameters at ``precision`` on
    ``gpus`` GPUs: what the GPU benchmark compares a measured peak with."""
    return round(estimate(params, precision).total_gb(gpus), 2)


def planned_params(params_by_dtype: Mapping[str, int], precision: Precision) -> int:
    """Parameters as planning and the size limit count them, from the safetensors metadata's
    count per stored dtype. GPTQ packs eight 4-bit weights into each int32, so its ``I32``
    count is multiplied back by eight, as the Open LLM Leaderboard did."""
    total = sum(params_by_dtype.values())
    if precision is Precision.gptq:
        packed = params_by_dtype.get("I32", 0)
        return total - packed + packed * 8
    return total


def params_in_billions(params: int) -> float:
    """The request file's ``params``: billions, to the thousand parameters."""
    return round(params / 1e9, 6)


def timeout_minutes(params: int, precision: Precision, reconcile_timeout_hours: float) -> int:
    """The evaluate job's timeout: by size, and always before ``reconcile`` would take the
    request back (11/12 of its window, so a job out of time ends, and is recorded, first)."""
    by_size = SETUP_MINUTES + MINUTES_PER_B * params / 1e9 * SLOWDOWN.get(precision, 1.0)
    window = math.floor(reconcile_timeout_hours * 60 * 11 / 12)
    return max(1, min(math.ceil(by_size), window, JOB_LIMIT_MINUTES))


def _by_size(pools: Sequence[RunnerPool]) -> list[RunnerPool]:
    # Smallest total memory first; at equal totals fewer (larger) GPUs, so that a model that
    # fits one 80 GB card is not split over two 40 GB ones.
    return sorted(pools, key=lambda p: (p.total_memory_gb, p.gpus, p.name))


def plan_run(
    params: int,
    precision: Precision,
    settings: Settings,
    *,
    request: str = "",
    model_args: Mapping[str, Any] | None = None,
) -> RunPlan:
    """The plan for evaluating ``params`` parameters at ``precision``: the smallest pool (by
    total GPU memory) that holds the model, on one of its GPUs when it fits one, else split
    across all of them with a per-GPU memory budget.

    ``model_args`` are the request's own lm-eval arguments (``harness.model_args``); the plan
    adds ``parallelize`` and ``max_memory_per_gpu`` to them when it splits the model. Raises
    :class:`NoPoolFits` when no pool can run it (too big, or a precision no runner runs).
    """
    need = estimate(params, precision)
    pools = _by_size(settings.runner_pools)
    if precision in UNSUPPORTED:
        raise NoPoolFits(UNSUPPORTED[precision], need_gb=need.total_gb(), largest=pools[-1])
    timeout = timeout_minutes(params, precision, settings.reconcile_timeout_hours)
    args = dict(model_args or {})
    for pool in pools:
        if need.fits_one(pool.gpu_memory_gb):
            return _plan(request, pool, "single", need.total_gb(1), need, timeout, args)
        budget = need.split_budget_gb(pool)
        if budget is not None:
            args.update(parallelize=True, max_memory_per_gpu=f"{math.floor(budget)}GB")
            return _plan(request, pool, "model", need.total_gb(pool.gpus), need, timeout, args)
    largest = max(pools, key=lambda p: p.total_memory_gb)
    raise NoPoolFits(_too_big(need, largest, settings), need_gb=need.total_gb(), largest=largest)


def _plan(
    request: str,
    pool: RunnerPool,
    parallelism: str,
    memory: float,
    need: MemoryEstimate,
    timeout: int,
    args: dict[str, Any],
) -> RunPlan:
    return RunPlan(
        request=request,
        pool=pool.name,
        labels=list(pool.labels),
        gpus=pool.gpus,
        gpu_memory_gb=pool.gpu_memory_gb,
        parallelism=parallelism,  # type: ignore[arg-type]
        memory_gb=round(memory, 2),
        params_b=params_in_billions(need.params),
        precision=need.precision,
        timeout_minutes=timeout,
        model_args=args,
    )


def _too_big(need: MemoryEstimate, largest: RunnerPool, settings: Settings) -> str:
    """Why nothing fits, and what the submitter can do about it."""
    pools = settings.runner_pools
    smaller = [
        p
        for p in (Precision.int8, Precision.int4)
        if WEIGHT_BYTES[p] < WEIGHT_BYTES[need.precision] and p not in UNSUPPORTED
    ]
    fits = [p for p in smaller if _fits_any(estimate(need.params, p), pools)]
    hint = (
        f"pick a smaller precision ({fits[0].value} needs about "
        f"{estimate(need.params, fits[0]).total_gb(1):.0f} GB), or ask the maintainers "
        f"({settings.maintainers_text()}) for a larger runner pool"
        if fits
        else "no precision fits the runners this leaderboard has: ask the maintainers "
        f"({settings.maintainers_text()}) for a larger runner pool"
    )
    return (
        f"{need.params / 1e9:.1f}B parameters in {need.precision.value} need about "
        f"{need.total_gb(1):.0f} GB of GPU memory ({need.weights_gb:.0f} GB of weights, "
        f"{need.activations_gb:.0f} GB for activations and the KV cache, and the CUDA context); "
        f"the largest runner pool, {largest.describe()}, holds {largest.total_memory_gb:g} GB: "
        f"{hint}"
    )


def _fits_any(need: MemoryEstimate, pools: Sequence[RunnerPool]) -> bool:
    return any(need.fits_one(p.gpu_memory_gb) or need.split_budget_gb(p) for p in pools)


def planned_pool(settings: Settings, request: Request) -> str | None:
    """The pool a request will run on, without asking the Hub: from its ``params`` (which
    validation checked against the Hub) through :func:`plan_run`; without them, the only pool
    when there is one. None when it cannot be told (several pools and no ``params``), or no
    pool can run it."""
    if request.params is not None:
        try:
            return plan_run(round(request.params * 1e9), request.precision, settings).pool
        except NoPoolFits:
            return None
    pools = settings.runner_pools
    return pools[0].name if len(pools) == 1 else None
