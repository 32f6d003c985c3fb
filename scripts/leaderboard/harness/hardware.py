"""Which device a run uses, and how the hardware and software are named in provenance."""

from __future__ import annotations

import os
import platform
from typing import TypedDict


def default_device() -> str:
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def hardware() -> str:
    """The accelerator or CPU this process runs on, in words."""
    import torch

    if torch.cuda.is_available():
        names = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
        return f"{len(names)}x {names[0]}"
    return f"CPU {platform.machine()} x{os.cpu_count()}"


def gpu_inventory() -> tuple[str | None, int]:
    """The GPU model and how many this process sees: (None, 0) without CUDA."""
    import torch

    if not torch.cuda.is_available():
        return None, 0
    return torch.cuda.get_device_name(0), torch.cuda.device_count()


def reset_peak_gpu_memory() -> None:
    import torch

    if torch.cuda.is_available():
        for index in range(torch.cuda.device_count()):
            torch.cuda.reset_peak_memory_stats(index)


def peak_gpu_memory_gb() -> float | None:
    """The most GPU memory PyTorch's allocator held at once in this process, summed over its
    GPUs, in GB (10^9 bytes): what ``nvidia-smi`` shows, less the CUDA context. None without
    CUDA."""
    import torch

    if not torch.cuda.is_available():
        return None
    total = sum(torch.cuda.max_memory_reserved(i) for i in range(torch.cuda.device_count()))
    return round(total / 1e9, 2)


class SoftwareVersions(TypedDict):
    """The versions a result depends on: the provenance's fields of the same names."""

    lm_eval_version: str
    transformers_version: str
    torch_version: str


def software_versions() -> SoftwareVersions:
    """The versions a result depends on, for its provenance."""
    import lm_eval
    import torch
    import transformers

    return {
        "lm_eval_version": lm_eval.__version__,
        "transformers_version": transformers.__version__,
        "torch_version": torch.__version__,
    }
