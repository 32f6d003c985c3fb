"""Which device a run uses, and how the hardware and software are named in provenance."""

from __future__ import annotations

import os
import platform


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


def software_versions() -> dict[str, str]:
    """The versions a result depends on, for its provenance."""
    import lm_eval
    import torch
    import transformers

    return {
        "lm_eval_version": lm_eval.__version__,
        "transformers_version": transformers.__version__,
        "torch_version": torch.__version__,
    }
