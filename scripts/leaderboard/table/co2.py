"""The CO₂ estimate of a run, from the hardware it recorded.

The Open LLM Leaderboard charged every run an 8 × H100 node's 5.6 kW (eight boards of 700 W).
Here a run is charged the boards it ran on: the count and model in its provenance, at each
model's maximum board power (TDP) from the vendor's datasheet, times the evaluation's hours,
times the same grid intensity. A run whose accelerator is not in :data:`GPU_WATTS` (a CPU, a
GPU without a published figure) gets no estimate rather than a wrong one: the recorded CPU line
names no CPU model, and a CPU run shares its machine with whatever else runs there.

``docs/data.md`` lists the same figures for readers; a test keeps the two in step.
"""

from __future__ import annotations

import re

from ..core.models import Provenance

#: kg CO₂ per kWh: the Open LLM Leaderboard's figure, kept so estimates stay comparable.
KG_CO2_PER_KWH = 0.2698
#: Decimals of the estimate in kg (0.1 g): wherever the site shows it, and in the downloads.
DIGITS = 4

#: ``(pattern over the upper-cased device name, watts, what it matches)``; the first match wins,
#: so a variant (PCIe, NVL) comes before its family. Names are torch's
#: (``torch.cuda.get_device_name``), e.g. ``NVIDIA H100 80GB HBM3`` or ``NVIDIA A100-PCIE-40GB``.
#: Watts are the maximum board power in the vendors' datasheets.
GPU_WATTS: list[tuple[re.Pattern[str], int, str]] = [
    (re.compile(p), w, label)
    for p, w, label in (
        (r"\bH100\b.*\bPCIE\b", 350, "NVIDIA H100 PCIe"),
        (r"\bH100\b.*\bNVL\b", 400, "NVIDIA H100 NVL"),
        (r"\bH100\b", 700, "NVIDIA H100 SXM"),
        (r"\bH200\b.*\bNVL\b", 600, "NVIDIA H200 NVL"),
        (r"\bH200\b", 700, "NVIDIA H200 SXM"),
        (r"\bA100\b.*\bPCIE\b.*\b40GB\b", 250, "NVIDIA A100 40GB PCIe"),
        (r"\bA100\b.*\bPCIE\b", 300, "NVIDIA A100 80GB PCIe"),
        (r"\bA100\b", 400, "NVIDIA A100 SXM"),
        (r"\bL40S\b", 350, "NVIDIA L40S"),
        (r"\bL40\b", 300, "NVIDIA L40"),
        (r"\bL4\b", 72, "NVIDIA L4"),
        (r"\bA40\b", 300, "NVIDIA A40"),
        (r"\bA10\b", 150, "NVIDIA A10"),
        (r"\bRTX A6000\b", 300, "NVIDIA RTX A6000"),
        (r"\bV100\b.*\bPCIE\b", 250, "NVIDIA V100 PCIe"),
        (r"\bV100\b", 300, "NVIDIA V100 SXM2"),
        (r"\bT4\b", 70, "NVIDIA T4"),
        (r"\bRTX 4090\b", 450, "NVIDIA GeForce RTX 4090"),
        (r"\bRTX 3090\b", 350, "NVIDIA GeForce RTX 3090"),
        (r"\bMI300X\b", 750, "AMD Instinct MI300X"),
        (r"\bMI250X\b", 560, "AMD Instinct MI250X"),
    )
]

#: ``harness.hardware.hardware()`` writes GPUs as ``<count>x <name of the first one>``.
_GPUS = re.compile(r"(\d+)x (.+)")


def run_accelerators(prov: Provenance) -> tuple[str, int] | None:
    """``(device name, count)`` of the GPUs a run recorded; None for a CPU run or a line in
    another shape. The one place the estimate reads hardware from."""
    match = _GPUS.fullmatch(prov.hardware.strip())
    if match is None or int(match.group(1)) < 1:
        return None
    return match.group(2).strip(), int(match.group(1))


def board_watts(device: str) -> int | None:
    """The maximum board power of one GPU of this model, or None when it is not known."""
    name = device.upper()
    return next((w for pattern, w, _ in GPU_WATTS if pattern.search(name)), None)


def co2_kg(prov: Provenance, hours: float) -> float | None:
    """kg CO₂ of ``hours`` on the run's recorded GPUs; None where the hardware has no figure."""
    gpus = run_accelerators(prov)
    watts = board_watts(gpus[0]) if gpus else None
    if gpus is None or watts is None or hours < 0:
        return None
    return round(gpus[1] * watts / 1000 * hours * KG_CO2_PER_KWH, DIGITS)
