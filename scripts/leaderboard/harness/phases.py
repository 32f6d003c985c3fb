"""Time lm-eval's two phases of an evaluation, and count their work, without changing it.

lm-eval's evaluator gives the model every log-likelihood request of every task in one call to
``loglikelihood``, then every generation in one call to ``generate_until``. :func:`install`
wraps those two methods of the ``hf`` backend (``HFLM``) and the steps inside them: the batch
size search (``_detect_batch_size``), each forward pass (``_model_call``, with the unpadded
lengths its batch was made from) and each ``generate`` call (``_model_generate``). Every
wrapper passes its arguments and its result through untouched: it only reads clocks and
shapes. On a GPU each clock reading waits for the device first, so a phase's seconds are the
device's too.

The GPU benchmark installs it in the process that runs ``leaderboard evaluate``; what it
records (:meth:`Recorder.summary`) is plain JSON.
"""

from __future__ import annotations

import functools
import json
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


def _sync() -> None:
    import torch

    if torch.cuda.is_available() and torch.cuda.is_initialized():
        torch.cuda.synchronize()


def _clock() -> float:
    _sync()
    return time.perf_counter()


@dataclass
class Phase:
    """What one phase (``loglikelihood`` or ``generate_until``) did."""

    seconds: float = 0.0
    requests: int = 0
    #: The backend's batch size setting: a number, or ``auto`` (then see ``detected``).
    batch_setting: str = ""
    #: task → {"docs", "requests", "sequences", "tokens", "sq_tokens"} (log-likelihood: the
    #: sequences the model computes once one-token continuations share their context).
    tasks: dict[str, dict[str, int]] = field(default_factory=dict)
    detect_seconds: float = 0.0
    detected: list[int] = field(default_factory=list)
    #: Forward passes: calls, sequences, unpadded tokens, padded tokens, sum of squared lengths.
    forward: Counter[str] = field(default_factory=Counter)
    #: generate() calls: calls, sequences, steps, new tokens (sequences × steps), seconds.
    generate: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    batch_sizes: Counter[int] = field(default_factory=Counter)
    #: Generation requests grouped as lm-eval batches them (by their generation settings).
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        return {
            "seconds": self.seconds,
            "requests": self.requests,
            "batch_setting": self.batch_setting,
            "tasks": self.tasks,
            "detect_seconds": self.detect_seconds,
            "detected_batch_sizes": self.detected,
            "forward": dict(self.forward),
            "generate": dict(self.generate),
            "batch_sizes": {str(k): v for k, v in sorted(self.batch_sizes.items())},
            "groups": self.groups,
        }


@dataclass
class Recorder:
    """The phases of one process's evaluations, and its GPU memory peaks."""

    phases: dict[str, Phase] = field(default_factory=lambda: defaultdict(Phase))
    current: str | None = None
    #: The allocator's peak outside the batch size searches, which try sizes until one fits.
    peak_outside_search: int = 0
    peak_in_search: int = 0

    def summary(self) -> dict[str, Any]:
        memory: dict[str, Any] = {}
        try:
            import torch

            if torch.cuda.is_available() and torch.cuda.is_initialized():
                peak = torch.cuda.max_memory_allocated()
                memory = {
                    "device": torch.cuda.get_device_name(),
                    "peak_allocated": max(self.peak_outside_search, peak),
                    "peak_allocated_in_batch_search": self.peak_in_search,
                    "peak_reserved": torch.cuda.max_memory_reserved(),
                    "total": torch.cuda.get_device_properties(0).total_memory,
                }
        except ImportError:  # pragma: no cover - torch is there wherever lm-eval runs
            pass
        return {"phases": {k: v.summary() for k, v in self.phases.items()}, "memory": memory}

    def write(self, path: str, **extra: Any) -> None:
        with open(path, "w", encoding="utf-8") as out:
            json.dump({**self.summary(), **extra}, out, indent=2)


def _max_memory() -> int:
    import torch

    if torch.cuda.is_available() and torch.cuda.is_initialized():
        return torch.cuda.max_memory_allocated()
    return 0


def _reset_peak() -> None:
    import torch

    if torch.cuda.is_available() and torch.cuda.is_initialized():
        torch.cuda.reset_peak_memory_stats()


def _loglikelihood_stats(requests: list[Any], encoded: list[Any], max_length: int) -> dict:
    """Per task: documents, requests, and the sequences lm-eval computes with their tokens.

    Requests whose context plus continuation (less its last token) are the same share one
    forward pass (lm-eval's one-token continuation cache), so they count once.
    """
    tasks: dict[str, dict[str, Any]] = {}
    seen: set[tuple[int, ...]] = set()
    for req, (_, context, continuation) in zip(requests, encoded, strict=True):
        stats = tasks.setdefault(
            str(req.task_name),
            {"docs": set(), "requests": 0, "sequences": 0, "tokens": 0, "sq_tokens": 0},
        )
        stats["docs"].add(req.doc_id)
        stats["requests"] += 1
        key = tuple(context + continuation[:-1])
        if key in seen:
            continue
        seen.add(key)
        n = min(len(context) + len(continuation) - 1, max_length)
        stats["sequences"] += 1
        stats["tokens"] += n
        stats["sq_tokens"] += n * n
    return {t: {**s, "docs": len(s["docs"])} for t, s in tasks.items()}


def install(recorder: Recorder) -> Callable[[], None]:
    """Wrap lm-eval's ``hf`` backend to feed ``recorder``; returns what undoes it."""
    from lm_eval.models import huggingface
    from lm_eval.models.huggingface import HFLM

    originals: dict[str, Any] = {
        name: getattr(HFLM, name)
        for name in (
            "loglikelihood",
            "_loglikelihood_tokens",
            "generate_until",
            "_detect_batch_size",
            "_model_call",
            "_model_generate",
        )
    }
    original_pad = huggingface.pad_and_concat
    encoded: list[Any] = []

    def phase(name: str) -> Callable[..., Any]:
        run = originals[name]

        @functools.wraps(run)
        def timed(self: Any, requests: list[Any], *args: Any, **kwargs: Any) -> Any:
            recorder.current = name
            encoded.clear()
            start = _clock()
            try:
                return run(self, requests, *args, **kwargs)
            finally:
                p = recorder.phases[name]
                p.seconds += _clock() - start
                p.requests += len(requests)
                p.batch_setting = str(self.batch_size)
                recorder.current = None
                if name == "loglikelihood" and len(encoded) == len(requests):
                    p.tasks = _loglikelihood_stats(requests, encoded, self.max_length)
                elif name == "generate_until":
                    p.tasks, p.groups = _generation_stats(requests, self.max_gen_toks)

        return timed

    @functools.wraps(originals["_loglikelihood_tokens"])
    def loglikelihood_tokens(self: Any, requests: list[Any], *args: Any, **kwargs: Any) -> Any:
        if recorder.current == "loglikelihood":
            encoded.extend(requests)
        return originals["_loglikelihood_tokens"](self, requests, *args, **kwargs)

    @functools.wraps(originals["_detect_batch_size"])
    def detect(self: Any, *args: Any, **kwargs: Any) -> Any:
        recorder.peak_outside_search = max(recorder.peak_outside_search, _max_memory())
        start = _clock()
        size = originals["_detect_batch_size"](self, *args, **kwargs)
        p = recorder.phases[recorder.current or "other"]
        p.detect_seconds += _clock() - start
        p.detected.append(int(size))
        recorder.peak_in_search = max(recorder.peak_in_search, _max_memory())
        _reset_peak()
        return size

    def pad_and_concat(max_length: int, tensors: list[Any], *args: Any, **kwargs: Any) -> Any:
        p = recorder.phases[recorder.current or "other"]
        lengths = [int(t.shape[0]) for t in tensors]
        p.forward["sequences"] += len(lengths)
        p.forward["tokens"] += sum(lengths)
        p.forward["sq_tokens"] += sum(n * n for n in lengths)
        p.batch_sizes[len(lengths)] += 1
        return original_pad(max_length, tensors, *args, **kwargs)

    @functools.wraps(originals["_model_call"])
    def model_call(self: Any, inps: Any, *args: Any, **kwargs: Any) -> Any:
        p = recorder.phases[recorder.current or "other"]
        p.forward["calls"] += 1
        p.forward["padded_tokens"] += int(inps.numel())
        return originals["_model_call"](self, inps, *args, **kwargs)

    @functools.wraps(originals["_model_generate"])
    def model_generate(self: Any, context: Any, *args: Any, **kwargs: Any) -> Any:
        start = _clock()
        out = originals["_model_generate"](self, context, *args, **kwargs)
        seconds = _clock() - start
        g = recorder.phases[recorder.current or "other"].generate
        batch, length = (int(x) for x in context.shape)
        steps = int(out.shape[1]) - length
        g["calls"] += 1
        g["sequences"] += batch
        g["context_tokens"] += batch * length
        g["steps"] += steps
        g["new_tokens"] += batch * steps
        g["seconds"] += seconds
        recorder.phases[recorder.current or "other"].batch_sizes[batch] += 1
        return out

    HFLM.loglikelihood = phase("loglikelihood")
    HFLM._loglikelihood_tokens = loglikelihood_tokens
    HFLM.generate_until = phase("generate_until")
    HFLM._detect_batch_size = detect
    HFLM._model_call = model_call
    HFLM._model_generate = model_generate
    huggingface.pad_and_concat = pad_and_concat

    def uninstall() -> None:
        for name, method in originals.items():
            setattr(HFLM, name, method)
        huggingface.pad_and_concat = original_pad

    return uninstall


def _generation_stats(
    requests: list[Any], default_max: int
) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, Any]]]:
    """Per task: documents and requests; and the requests grouped by their generation settings,
    as lm-eval batches them, with each group's limit of new tokens."""
    tasks: dict[str, dict[str, Any]] = {}
    groups: dict[str, dict[str, Any]] = {}
    for req in requests:
        stats = tasks.setdefault(str(req.task_name), {"docs": set(), "requests": 0})
        stats["docs"].add(req.doc_id)
        stats["requests"] += 1
        settings = req.args[1] if len(req.args) > 1 and isinstance(req.args[1], dict) else {}
        key = json.dumps(settings, sort_keys=True, default=str)
        group = groups.setdefault(
            key,
            {"max_gen_toks": int(settings.get("max_gen_toks", default_max)), "tasks": Counter()},
        )
        group["tasks"][str(req.task_name)] += 1
    return (
        {t: {**s, "docs": len(s["docs"])} for t, s in tasks.items()},
        {k: {**g, "tasks": dict(g["tasks"])} for k, g in groups.items()},
    )
