"""The GPU benchmark's arithmetic, without a GPU or a file: a sample's phases projected to the
full ``leaderboard`` suite, the batch size a phase ran at, and the measured peak memory held
against the runner plan's estimate."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from leaderboard_bench.modelshapes import forward_flops


@dataclass(frozen=True)
class Projection:
    seconds: float
    requests: float


def project_loglikelihood(
    phase: Mapping[str, Any], config: Mapping[str, Any], full_docs: Mapping[str, int]
) -> Projection:
    """The log-likelihood phase at each task's full number of documents: its time without the
    batch size search scaled by FLOPs, task by task, plus the search once."""
    sample = full = requests = 0.0
    for task, stats in phase["tasks"].items():
        flops = forward_flops(config, stats["tokens"], stats["sq_tokens"])
        scale = full_docs[task] / stats["docs"]
        sample += flops
        full += flops * scale
        requests += stats["requests"] * scale
    search = phase.get("detect_seconds", 0.0)
    compute = max(phase["seconds"] - search, 0.0)
    return Projection(compute * full / sample + search if sample else 0.0, requests)


def project_generation(phase: Mapping[str, Any], full_docs: Mapping[str, int]) -> Projection:
    """The generation phase at full size, as decode steps: every batch of a group's documents
    (a group shares its generation settings, as lm-eval batches them) runs the group's limit
    of new tokens, at the largest batch size and the seconds per step measured."""
    generate = phase["generate"]
    if not generate.get("steps"):
        return Projection(0.0, 0.0)
    per_step = generate["seconds"] / generate["steps"]
    batch = batch_size(phase)
    seconds = requests = 0.0
    for group in phase["groups"].values():
        docs = sum(full_docs[task] for task in group["tasks"])
        seconds += math.ceil(docs / batch) * group["max_gen_toks"] * per_step
        requests += docs
    return Projection(seconds + phase.get("detect_seconds", 0.0), requests)


def batch_size(phase: Mapping[str, Any]) -> int:
    """The batch size a phase ran at: its setting, or what lm-eval's search found for ``auto``
    (the largest batch seen, if neither is known)."""
    setting = str(phase.get("batch_setting", ""))
    if setting.isdigit():
        return int(setting)
    if phase.get("detected_batch_sizes"):
        return max(phase["detected_batch_sizes"])
    return max((int(b) for b in phase.get("batch_sizes", {})), default=1)


def memory_check(peak_bytes: int, estimate_gb: float | None) -> tuple[float, bool | None]:
    """The peak in GB (10⁹ bytes, as the plan counts) and whether it is within the estimate."""
    peak_gb = peak_bytes / 1e9
    return peak_gb, None if estimate_gb is None else peak_gb <= estimate_gb


def plan_estimate_gb(params: int) -> float:
    """The runner plan's GPU memory estimate for ``params`` parameters in bfloat16, on one GPU:
    what the measured peak is held against."""
    from leaderboard.core.models import Precision
    from leaderboard.core.plan import estimate_memory_gb

    return float(estimate_memory_gb(params, Precision.bfloat16))
