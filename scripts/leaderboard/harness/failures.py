"""Why a run failed, and whose fault it is: the model's (the submitter acts) or ours (retried)."""

from __future__ import annotations

import errno
from typing import Any

from ..core.errors import EvaluationFailed
from ..core.models import FailureCategory, RunPlan
from ..core.printable import quoted
from ..hub.outage import HubFault, chain, fault, http_status
from .hardware import hardware, peak_gpu_memory_gb

#: How much of an exception's message a failure reason quotes.
_QUOTED = 600

# -- failures -------------------------------------------------------------------------------------


class FailurePhase:
    """Turn any exception in a phase into ``EvaluationFailed`` with a category."""

    def __init__(self, name: str, *, plan: RunPlan | None = None):
        self.name = name
        self.plan = plan

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type | None, exc: BaseException | None, tb: Any) -> None:
        if exc is None or isinstance(exc, EvaluationFailed | KeyboardInterrupt | SystemExit):
            return  # nothing to turn: it propagates as it is
        reason, category = classify(exc, self.name, plan=self.plan)
        raise EvaluationFailed(reason, category) from exc


def classify(
    exc: BaseException, phase: str, *, plan: RunPlan | None = None
) -> tuple[str, FailureCategory]:
    """Who must act on an error: the submitter (``model``) or us (``infrastructure``).

    ``plan`` is the run's plan (``core.plan``): running out of memory on a pool it said could
    hold the model is its fault, never the submitter's.
    """
    from huggingface_hub import errors as hub_errors

    model, infra = FailureCategory.model, FailureCategory.infrastructure
    text = f"{type(exc).__name__}: {exc}".strip()
    template = _template_fault(exc)
    if template is not None:
        return template, model
    for err in chain(exc):
        message = str(err)
        if isinstance(err, hub_errors.GatedRepoError):
            return f"the model is gated and this runner has no access: {message}", model
        if isinstance(err, hub_errors.RepositoryNotFoundError | hub_errors.RevisionNotFoundError):
            return f"the model or its revision does not exist on the Hub: {message}", model
        if isinstance(err, hub_errors.RemoteEntryNotFoundError):
            return f"a file the model needs is missing from its repository: {message}", model
        what = fault(err)
        if what is HubFault.unreachable:
            return f"the Hub was unreachable: {message}", infra
        if what is HubFault.failed:
            return f"the Hub failed (HTTP {http_status(err)}): {message}", infra
        if what is HubFault.refused:
            return f"the Hub refused a request (HTTP {http_status(err)}): {message}", model
        if type(err).__name__ == "OutOfMemoryError" or isinstance(err, MemoryError):
            return out_of_memory(phase, message, plan), infra
        if missing := missing_backend(err):
            return missing, infra
        if isinstance(err, OSError) and err.errno == errno.ENOSPC:
            return f"the runner's disk is full: {message}", infra
    if phase == "load":
        if "ignore_mismatched_sizes" in text:
            # transformers' own message points at a report it logged, which nobody reading the
            # request file can see; the sentence that remains says what is wrong.
            text = (
                "the shapes of the weights in model.safetensors do not match config.json: "
                "check that config.json is the one the weights were saved with"
            )
        return f"the model could not be loaded: {text}", model
    return f"the evaluation crashed: {text}", infra


def out_of_memory(phase: str, message: str, plan: RunPlan | None) -> str:
    """Why a run that ran out of memory is ours: what was planned, and what was measured."""
    if plan is None:
        planned = "no plan was given for this run"
    else:
        how = "one GPU" if plan.parallelism == "single" else f"split over {plan.gpus} GPUs"
        planned = (
            f"planned {plan.memory_gb:.1f} GB on pool {plan.pool} ({plan.gpus} × "
            f"{plan.gpu_memory_gb:g} GB, {how})"
        )
    peak = peak_gpu_memory_gb()
    measured = (
        "measured: unknown (no GPU in this process)"
        if peak is None
        else f"measured: {peak:.1f} GB at the peak"
    )
    return (
        f"out of memory while {'loading' if phase == 'load' else 'evaluating'} the model on "
        f"{hardware()}: {planned}; {measured}. The runner's memory plan did not hold for this "
        f"model, so it is retried, and a maintainer looks at the plan after the last attempt "
        f"({message.strip()[:_QUOTED]})"
    )


#: What a runner without a GPU stack says: no driver, a CPU-only torch, a CUDA build that does
#: not match the card, bitsandbytes built without GPU support.
_NO_BACKEND = (
    "no nvidia driver",
    "not compiled with cuda",
    "cuda driver version is insufficient",
    "no kernel image is available",
    "compiled without gpu support",
    "cuda_home",
    "libcudart",
)


def missing_backend(err: BaseException) -> str | None:
    """Why a run failed for want of a package, kernel or driver on this runner, or None.

    The model's own code never runs (``trust_remote_code=False``), so a failed import is always
    the runner's environment: bitsandbytes, a GPTQ kernel, a tokenizer's library.
    """
    message = str(err).strip()
    if isinstance(err, ImportError) or any(m in message.lower() for m in _NO_BACKEND):
        return (
            f"this runner lacks a package, kernel or driver the run needs ({type(err).__name__}: "
            f"{message[:_QUOTED]}): the runner's setup must be fixed, nothing in the model"
        )
    return None


# -- the model's own code: its chat template and tokenizer (issue 22) ---------------------------


def _template_fault(exc: BaseException) -> str | None:
    """A chat template or tokenizer that failed, in our words: the model's fault, never
    retried. The template's text is a stranger's, so it appears only quoted and bounded."""
    from jinja2.exceptions import TemplateError

    from ..hub.chat_template import ChatTemplateRaised, TemplateFailed

    for err in chain(exc):
        if isinstance(err, TemplateFailed) and not err.ours:
            return f"the chat template cannot be used: {err.reason}"
        if isinstance(err, ChatTemplateRaised):
            return f"the chat template failed on a document: {err}"
        if isinstance(err, TemplateError):
            return f"the chat template failed on a document: {quoted(err)}"
        if type(err).__module__.startswith("tokenizers") or "tokeniz" in type(err).__name__.lower():
            return f"the tokenizer failed on a document: {quoted(f'{type(err).__name__}: {err}')}"
    return None
