"""How to run an evaluation, and what one produced."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class EvalOptions:
    """How to run, independent of what is evaluated."""

    limit: float | None = None
    batch_size: int | str | None = None  # None: "auto" on a GPU, 8 on a CPU
    device: str | None = None  # None: cuda when available, else cpu
    cache_dir: Path | None = None  # lm-eval request cache root; None: no cache


@dataclass
class EvalOutput:
    """What one evaluation produced."""

    results: dict[str, Any]  # lm-eval's results JSON, exactly as its CLI writes it
    results_file: Path
    samples: list[Path]  # samples_<task>_<date>.jsonl, as its CLI writes them
    command: str
    wall_time_seconds: float
    device: str = ""  # what the run used, which the options may have left to the runner
    batch_size: str = ""
    base_revision: str | None = None
    #: What each task read: ``{task, repo, config, revision}`` (see ``harness.task_data``).
    datasets: list[dict[str, Any]] = field(default_factory=list)
    #: The most GPU memory the run held at once (``hardware.peak_gpu_memory_gb``); None on CPU.
    peak_memory_gb: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)
