"""What the card itself can do, measured in the benchmark's run: its matrix-multiply peak, its
memory bandwidth, and the least memory one forward pass of the suite's longest sequence needs."""

from __future__ import annotations

import time
from pathlib import Path

#: The longest sequence lm-eval gives a model in the suite is under 4,096 tokens (MuSR's longest
#: prompts; MATH's 4-shot prompts and their 1,024 new tokens): the memory floor is measured there.
FLOOR_TOKENS = 4096


def matmul_peak_tflops(device: str, *, n: int = 8192, iters: int = 20) -> float:
    """The matrix-multiply peak this device reaches in bf16 (float32 on a CPU), in TFLOP/s."""
    import torch

    dtype = torch.bfloat16 if device.startswith("cuda") else torch.float32
    a = torch.randn(n, n, device=device, dtype=dtype)
    b = torch.randn(n, n, device=device, dtype=dtype)
    c = torch.empty(n, n, device=device, dtype=dtype)
    for _ in range(3):
        torch.matmul(a, b, out=c)
    _sync(device)
    start = time.perf_counter()
    for _ in range(iters):
        torch.matmul(a, b, out=c)
    _sync(device)
    return 2 * n**3 * iters / (time.perf_counter() - start) / 1e12


def copy_peak_gbps(device: str, *, nbytes: int = 2 * 1024**3, iters: int = 10) -> float:
    """Device memory bandwidth of a plain copy (bytes read and written), in GB/s."""
    import torch

    x = torch.empty(nbytes // 2, device=device, dtype=torch.bfloat16)
    y = torch.empty_like(x)
    y.copy_(x)
    _sync(device)
    start = time.perf_counter()
    for _ in range(iters):
        y.copy_(x)
    _sync(device)
    return 2 * nbytes * iters / (time.perf_counter() - start) / 1e9


def _sync(device: str) -> None:
    import torch

    if device.startswith("cuda"):
        torch.cuda.synchronize()


def batch_one_peak(model_dir: Path, device: str, tokens: int = FLOOR_TOKENS) -> int | None:
    """The allocator's peak for the model and one forward pass of ``tokens`` tokens, scored
    as lm-eval scores (a log-softmax over every position): the least memory the suite needs,
    which the runner plan's estimate is for. None off a GPU."""
    if not device.startswith("cuda"):
        return None
    import torch
    from transformers import AutoModelForCausalLM

    torch.cuda.empty_cache()
    torch.cuda.reset_peak_memory_stats()
    model = AutoModelForCausalLM.from_pretrained(
        model_dir, dtype=torch.bfloat16, device_map=device, use_safetensors=True
    )
    ids = torch.randint(0, 1000, (1, tokens), device=device)
    with torch.no_grad():
        torch.log_softmax(model(ids).logits, dim=-1)
    peak = torch.cuda.max_memory_allocated()
    del model, ids
    torch.cuda.empty_cache()
    return peak
