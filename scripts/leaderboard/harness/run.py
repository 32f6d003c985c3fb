"""The only place that talks to lm-evaluation-harness.

It turns a request and a suite into lm-eval's Python API calls: only the suite's task folders
are indexed (never the 14,000 built-in tasks), model arguments come from the request
(pinned revision, dtype, bitsandbytes, peft/delta, chat template), remote code is never
trusted and only safetensors weights are ever loaded. It writes what the ``lm_eval`` CLI
writes (the results JSON and one ``samples_<task>.jsonl`` per task) and says which plain
``lm_eval`` command reproduces the run. Failures come back as ``EvaluationFailed`` with a
reason a person can act on and whether the model or the infrastructure is at fault.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..core import env
from ..core.errors import EvaluationFailed
from ..core.ids import PICKLE_SUFFIXES
from ..core.models import FailureCategory, Request, RunPlan, Suite, WeightType
from ..hub import chat_template
from .failures import FailurePhase
from .hardware import default_device, gpu_inventory, peak_gpu_memory_gb, reset_peak_gpu_memory
from .model_args import model_args, quantization_config
from .options import EvalOptions, EvalOutput
from .reproduce import reproduce_command
from .task_data import pinned_include_paths, provenance_datasets, task_manager

#: Files fetched for adapters and deltas: configs, safetensors, tokenizer data. Never pickles.
SAFE_PATTERNS = ["*.json", "*.safetensors", "*.jinja", "*.txt", "*.model", "*.tiktoken", "*.md"]


def cache_path(cache_dir: Path, request: Request, suite: Suite) -> Path:
    """A request cache per model, sha, precision, chat setting and suite version.

    lm-eval's cache is not keyed on the model: a shared file silently returns another model's
    answers.
    """
    name = request.model.replace("/", "__")
    return cache_dir / name / f"{request.identity.stem}_{suite.name}-v{suite.version}"


# -- safety checks -------------------------------------------------------------------------------


def check_safetensors(repo_id: str, revision: str, *, adapter: bool = False) -> None:
    """Refuse a model whose weights are not in safetensors: pickles can run code when loaded."""
    from huggingface_hub import HfApi

    from ..core.env import timeout

    # model_info lists the files like list_repo_files, but takes a timeout: a hung Hub must
    # end as an infrastructure failure, not hang the runner.
    info = HfApi().model_info(repo_id, revision=revision, timeout=timeout())
    files = [s.rfilename for s in info.siblings or []]
    if any(f.endswith(".safetensors") for f in files):
        return
    pickles = [f for f in files if f.endswith(PICKLE_SUFFIXES)]
    what = "adapter weights (adapter_model.safetensors)" if adapter else "weights"
    found = f" (found only {', '.join(sorted(pickles)[:5])})" if pickles else ""
    raise EvaluationFailed(
        f"{repo_id}@{revision[:12]} has no {what} in safetensors format{found}. Pickled weights "
        "are never loaded because they can run code: convert them with "
        "`save_pretrained(..., safe_serialization=True)` and submit the new commit.",
        FailureCategory.model,
    )


def _snapshot(repo_id: str, revision: str) -> str:
    from huggingface_hub import snapshot_download

    return snapshot_download(repo_id, revision=revision, allow_patterns=SAFE_PATTERNS)


def load_model(
    request: Request, args: dict[str, Any], *, batch_size: int | str, device: str
) -> Any:
    """Build lm-eval's ``hf`` model; bitsandbytes goes in as a ``quantization_config``.

    lm-eval 0.4.13 passes the model config's own ``quantization_config`` to ``from_pretrained``
    itself, so a second one in ``model_args`` is a TypeError; a small subclass swaps ours in.
    """
    from lm_eval.api.registry import get_model

    quant = quantization_config(request.precision)
    if quant is None:
        return get_model("hf").create_from_arg_obj(
            args, {"batch_size": batch_size, "device": device}
        )
    from lm_eval.models.huggingface import HFLM
    from transformers import BitsAndBytesConfig

    config = BitsAndBytesConfig(**{k: v for k, v in quant.items() if k != "quant_method"})

    class QuantizedHFLM(HFLM):
        def _create_model(self, *a: Any, **kw: Any) -> None:
            kw["quantization_config"] = config
            super()._create_model(*a, **kw)

    return QuantizedHFLM(**args, batch_size=batch_size, device=device)


def check_runner(plan: RunPlan, device: str) -> None:
    """A runner of the planned pool has the GPUs the plan counts on; else the labels reached
    the wrong machine, or the settings describe the pool wrongly: ours to fix."""
    name, count = gpu_inventory()
    if not device.startswith("cuda"):
        if plan.parallelism == "model":
            raise EvaluationFailed(
                f"the plan splits the model over {plan.gpus} GPUs of pool {plan.pool}, but this "
                f"runner evaluates on {device}: check the pool's labels and its runners",
                FailureCategory.infrastructure,
            )
        return
    if count < plan.gpus:
        raise EvaluationFailed(
            f"pool {plan.pool} declares {plan.gpus} GPU(s) per runner, but this runner has "
            f"{count} ({name}): fix runner_pools in curation/settings.yaml or the runner",
            FailureCategory.infrastructure,
        )


def check_placement(lm: Any, plan: RunPlan) -> None:
    """A split model must sit wholly on the GPUs: Accelerate moves what exceeds the memory
    budget to the CPU or the disk, which would run for days instead of failing."""
    placement = getattr(getattr(lm, "model", None), "hf_device_map", None) or {}
    off = sorted({str(v) for v in placement.values() if str(v) in ("cpu", "disk")})
    if plan.parallelism == "model" and off:
        raise EvaluationFailed(
            f"the model did not fit the memory budget of pool {plan.pool} "
            f"({plan.gpus} × {plan.model_args.get('max_memory_per_gpu')}; planned "
            f"{plan.memory_gb:.1f} GB): Accelerate offloaded layers to {' and '.join(off)}. "
            "The plan is wrong for this model: a maintainer must look at it",
            FailureCategory.infrastructure,
        )


def evaluate(
    request: Request,
    suite: Suite,
    options: EvalOptions,
    out_dir: Path,
    *,
    plan: RunPlan | None = None,
) -> EvalOutput:
    """Evaluate ``request`` on ``suite``; write lm-eval's files under ``out_dir``.

    With ``plan`` (``core.plan``), a model the plan splits gets lm-eval's ``parallelize=True``
    and the plan's per-GPU memory budget. Raises ``EvaluationFailed`` with a readable reason
    and a category.
    """
    start = time.monotonic()
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        import lm_eval  # noqa: F401
        from lm_eval.loggers import EvaluationTracker  # noqa: F401
    except ImportError as exc:
        raise EvaluationFailed(
            f"lm-eval is not installed on this runner ({exc}); install the 'eval' extra",
            FailureCategory.infrastructure,
        ) from exc

    device = options.device or default_device()
    batch_size = options.batch_size or ("auto" if device.startswith("cuda") else 8)
    # The command must say what this run used, not what the options left open: the defaults
    # differ by machine, and "--device cuda" pasted on a CPU machine crashes.
    used = replace(options, device=device, batch_size=batch_size)
    base_revision = None
    reset_peak_gpu_memory()
    with FailurePhase("load", plan=plan):
        if plan is not None:
            check_runner(plan, device)
        if request.weight_type is WeightType.original:
            check_safetensors(request.model, request.revision)
            weights = None
        else:
            check_safetensors(
                request.model, request.revision, adapter=request.weight_type is WeightType.adapter
            )
            # The commit validation judged (or, for a request older than the field, the one the
            # queue judged again when it took it: ``queue.bundles``), never main at load time.
            base_revision = request.base_revision
            if base_revision is None:
                raise EvaluationFailed(
                    f"{request.model}'s base model {request.base_model} is not pinned to a "
                    "commit (base_revision), so it is not loaded",
                    FailureCategory.infrastructure,
                )
            check_safetensors(request.base_model or "", base_revision)
            weights = _snapshot(request.model, request.revision)
        args = model_args(request, base_revision=base_revision, weights_path=weights)
        if plan is not None:
            args.update(plan.split_args())
        lm = load_model(request, args, batch_size=batch_size, device=device)
        if plan is not None:
            check_placement(lm, plan)
        if request.use_chat_template and not getattr(lm.tokenizer, "chat_template", None):
            raise EvaluationFailed(
                "the request asks for a chat template, but the tokenizer has none "
                "(add chat_template to tokenizer_config.json or chat_template.jinja)",
                FailureCategory.model,
            )

    with contextlib.ExitStack() as stack:
        if request.use_chat_template:
            stack.enter_context(_bounded_chat_template(lm.tokenizer))
        return _evaluate_loaded(
            request, suite, options, out_dir, lm, args, used, base_revision, start, plan
        )


def _bounded_chat_template(tokenizer: Any) -> contextlib.AbstractContextManager[None]:
    """The model's chat template is a stranger's code that lm-eval renders once per document:
    it renders in a child process that is killed past a deadline (``hub.chat_template``).
    lm-eval's conversations are tried first, before any document, so a template that raises,
    hangs or floods fails in seconds, as the model's fault, with our words for why."""
    try:
        why = chat_template.check(tokenizer)
    except chat_template.TemplateFailed as exc:  # the renderer did not start: ours
        raise EvaluationFailed(exc.reason, FailureCategory.infrastructure) from exc
    if why is not None:
        raise EvaluationFailed(f"the chat template cannot be used: {why}", FailureCategory.model)
    return chat_template.guard(tokenizer)


def _evaluate_loaded(
    request: Request,
    suite: Suite,
    options: EvalOptions,
    out_dir: Path,
    lm: Any,
    args: dict[str, Any],
    used: EvalOptions,
    base_revision: str | None,
    start: float,
    plan: RunPlan | None,
) -> EvalOutput:
    import lm_eval
    from lm_eval.loggers import EvaluationTracker

    device, batch_size = used.device or "", used.batch_size or 8
    phase = FailurePhase("evaluate", plan=plan)
    with phase, tempfile.TemporaryDirectory(prefix="lb-tasks-") as tmp:
        include_paths, read, pins = pinned_include_paths(suite, Path(tmp))
        manager = task_manager(include_paths)
        tracker = EvaluationTracker(output_path=str(out_dir))
        record_args = dict(args)
        quant = quantization_config(request.precision)
        if quant:
            record_args["quantization_config"] = quant
        cache = None
        if options.cache_dir:
            cache_file = cache_path(options.cache_dir, request, suite)
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            cache = str(cache_file)
        results = lm_eval.simple_evaluate(
            model=lm,
            model_args=record_args,
            tasks=list(suite.tasks),
            task_manager=manager,
            batch_size=batch_size,
            device=device,
            limit=options.limit,
            use_cache=cache,
            log_samples=True,
            evaluation_tracker=tracker,
            apply_chat_template=request.use_chat_template,
            fewshot_as_multiturn=request.use_chat_template,
        )
        if results is None:
            raise EvaluationFailed("lm-eval returned no results", FailureCategory.infrastructure)
        samples = results.pop("samples")
        # A pre-built model is recorded as "CUSTOM"; it is lm-eval's hf backend all the same.
        tracker.general_config_tracker.model_source = "hf"
        tracker.save_results_aggregated(results=results, samples=samples)
        for task_name in results["configs"]:
            tracker.save_results_samples(task_name=task_name, samples=samples[task_name])

    results_files = sorted(out_dir.rglob("results_*.json"))
    if not results_files:
        raise EvaluationFailed("lm-eval wrote no results file", FailureCategory.infrastructure)
    results_file = results_files[-1]
    ran = [d for d in read if d.task in results["configs"]]
    used_pins = {d.repo: pins[d.repo] for d in ran}
    return EvalOutput(
        results=json.loads(results_file.read_text(encoding="utf-8")),
        results_file=results_file,
        samples=sorted(results_file.parent.glob("samples_*.jsonl")),
        command=reproduce_command(
            request,
            suite,
            used,
            base_revision=base_revision,
            hub_endpoint=env.hub_endpoint(),
            dataset_pins=used_pins,
            plan=plan,
        ),
        device=device,
        batch_size=str(batch_size),
        wall_time_seconds=time.monotonic() - start,
        base_revision=base_revision,
        datasets=provenance_datasets(ran, used_pins),
        peak_memory_gb=peak_gpu_memory_gb(),
    )
