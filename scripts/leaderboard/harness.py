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

import errno
import json
import os
import platform
import shlex
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .schema import FailureCategory, LeaderboardError, Precision, Request, Suite, WeightType
from .suites import SUITE_DIR_PLACEHOLDER, suite_dir

#: Files fetched for adapters and deltas: configs, safetensors, tokenizer data. Never pickles.
SAFE_PATTERNS = ["*.json", "*.safetensors", "*.jinja", "*.txt", "*.model", "*.tiktoken", "*.md"]
PICKLE_SUFFIXES = (".bin", ".pt", ".pth", ".pkl", ".pickle", ".ckpt")


class EvaluationFailed(LeaderboardError):
    """An evaluation that did not produce results, with who must act."""

    def __init__(self, reason: str, category: FailureCategory):
        self.reason = reason[:1900]
        self.category = category
        super().__init__(f"{category.value}: {self.reason}")


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
    base_revision: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


# -- suites → task folders -------------------------------------------------------------------


def task_include_paths(suite: Suite, workdir: Path) -> list[str]:
    """Folders for ``TaskManager(include_path=…, include_defaults=False)``.

    Built-in folders come from the installed lm_eval; bundled templates are rendered into
    ``workdir`` with their data paths made absolute (lm-eval resolves relative ``data_files``
    against the current directory, not the YAML's folder).
    """
    paths: list[str] = []
    if suite.builtin_task_dirs:
        import lm_eval

        tasks_root = Path(lm_eval.__file__).parent / "tasks"
        for rel in suite.builtin_task_dirs:
            folder = tasks_root / rel
            if not folder.is_dir():
                raise LeaderboardError(
                    f"suite {suite.name!r} needs lm-eval's task folder {rel!r}, which the "
                    f"installed lm-eval ({lm_eval.__version__}) lacks; it was written for "
                    f"{suite.lm_eval_version}"
                )
            paths.append(str(folder))
    if suite.bundled_task_dir:
        paths.append(str(render_bundled_tasks(suite, workdir / f"tasks-{suite.name}")))
    return paths


def render_bundled_tasks(suite: Suite, out: Path) -> Path:
    """Copy a suite's task templates to ``out`` with ``@SUITE_DIR@`` made absolute."""
    source = suite_dir(suite.name)
    out.mkdir(parents=True, exist_ok=True)
    for template in sorted((source / (suite.bundled_task_dir or "")).glob("*.yaml")):
        text = template.read_text(encoding="utf-8").replace(SUITE_DIR_PLACEHOLDER, str(source))
        (out / template.name).write_text(text, encoding="utf-8")
    return out


# -- requests → model arguments ----------------------------------------------------------------


def dtype_for(precision: Precision) -> str:
    """The compute dtype: the precision itself, or float16 under quantization."""
    if precision in (Precision.float16, Precision.bfloat16):
        return precision.value
    return "float16"


def model_args(
    request: Request, *, base_revision: str | None = None, weights_path: str | None = None
) -> dict[str, Any]:
    """lm-eval ``hf`` model arguments for a request (quantization is added by ``load_model``).

    Adapter and Delta requests load ``base_model`` at ``base_revision`` and apply the request's
    own weights from ``weights_path``: a local snapshot at the request's pinned revision,
    because lm-eval would otherwise look for the adapter at the base model's revision.
    """
    args: dict[str, Any] = {
        "pretrained": request.model,
        "revision": request.revision,
        "dtype": dtype_for(request.precision),
        "trust_remote_code": False,
        "use_safetensors": True,
    }
    if request.weight_type is not WeightType.original:
        args["pretrained"] = request.base_model
        args["revision"] = base_revision or "main"
        key = "peft" if request.weight_type is WeightType.adapter else "delta"
        args[key] = weights_path or request.model
    return args


def quantization_config(precision: Precision) -> dict[str, Any] | None:
    """The bitsandbytes configuration for 8bit and 4bit, as a plain dict (for the record)."""
    if precision is Precision.int8:
        return {"quant_method": "bitsandbytes", "load_in_8bit": True}
    if precision is Precision.int4:
        return {
            "quant_method": "bitsandbytes",
            "load_in_4bit": True,
            "bnb_4bit_compute_dtype": "float16",
            "bnb_4bit_quant_type": "nf4",
        }
    return None


def reproduce_command(
    request: Request, suite: Suite, options: EvalOptions, *, base_revision: str | None = None
) -> str:
    """The plain ``lm_eval`` command line that reproduces this evaluation."""
    prefix: list[str] = []
    weights = None
    if request.weight_type is not WeightType.original:
        weights = f"./{request.weight_type.value.lower()}"
        prefix.append(
            shlex.join(
                [
                    "hf",
                    "download",
                    request.model,
                    "--revision",
                    request.revision,
                    "--local-dir",
                    weights,
                ]
            )
        )
    args = model_args(request, base_revision=base_revision, weights_path=weights)
    quant = quantization_config(request.precision)
    if quant:
        args["quantization_config"] = quant
        arg_text = json.dumps(args, separators=(",", ":"))
    else:
        arg_text = ",".join(f"{k}={v}" for k, v in args.items())
    cmd = ["lm_eval", "--model", "hf", "--model_args", arg_text, "--tasks", ",".join(suite.tasks)]
    if suite.bundled_task_dir:
        tasks_dir = f"./{suite.name}-tasks"
        prefix.append(shlex.join(["leaderboard", "suite-tasks", suite.name, "--out", tasks_dir]))
        cmd += ["--include_path", tasks_dir]
    cmd += ["--batch_size", str(options.batch_size or "auto")]
    cmd += ["--device", options.device or "cuda"]
    if request.use_chat_template:
        cmd += ["--apply_chat_template", "--fewshot_as_multiturn"]
    if options.limit is not None:
        cmd += ["--limit", _number(options.limit)]
    cmd += ["--output_path", "results", "--log_samples"]
    return " && ".join([*prefix, shlex.join(cmd)])


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def cache_path(cache_dir: Path, request: Request, suite: Suite) -> Path:
    """A request cache per model, sha, precision, chat setting and suite version.

    lm-eval's cache is not keyed on the model: a shared file silently returns another model's
    answers.
    """
    chat = "chat" if request.use_chat_template else "nochat"
    name = request.model.replace("/", "__")
    return (
        cache_dir
        / name
        / f"{request.revision}_{request.precision.value}_{chat}_{suite.name}-v{suite.version}"
    )


# -- safety checks -------------------------------------------------------------------------------


def check_safetensors(repo_id: str, revision: str, *, adapter: bool = False) -> None:
    """Refuse a model whose weights are not in safetensors: pickles can run code when loaded."""
    from huggingface_hub import HfApi

    from .hub import timeout

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


def _base_revision(base_model: str) -> str:
    from huggingface_hub import HfApi

    from .hub import timeout

    return HfApi().model_info(base_model, timeout=timeout()).sha or "main"


# -- running ----------------------------------------------------------------------------------


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


def evaluate(request: Request, suite: Suite, options: EvalOptions, out_dir: Path) -> EvalOutput:
    """Evaluate ``request`` on ``suite``; write lm-eval's files under ``out_dir``.

    Raises ``EvaluationFailed`` with a readable reason and a category.
    """
    start = time.monotonic()
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        import lm_eval
        from lm_eval.loggers import EvaluationTracker
        from lm_eval.tasks import TaskManager
    except ImportError as exc:
        raise EvaluationFailed(
            f"lm-eval is not installed on this runner ({exc}); install the 'eval' extra",
            FailureCategory.infrastructure,
        ) from exc

    device = options.device or default_device()
    batch_size = options.batch_size or ("auto" if device.startswith("cuda") else 8)
    base_revision = None
    with _phase("load"):
        if request.weight_type is WeightType.original:
            check_safetensors(request.model, request.revision)
            weights = None
        else:
            check_safetensors(
                request.model, request.revision, adapter=request.weight_type is WeightType.adapter
            )
            base_revision = _base_revision(request.base_model or "")
            check_safetensors(request.base_model or "", base_revision)
            weights = _snapshot(request.model, request.revision)
        args = model_args(request, base_revision=base_revision, weights_path=weights)
        lm = load_model(request, args, batch_size=batch_size, device=device)
        if request.use_chat_template and not getattr(lm.tokenizer, "chat_template", None):
            raise EvaluationFailed(
                "the request asks for a chat template, but the tokenizer has none "
                "(add chat_template to tokenizer_config.json or chat_template.jinja)",
                FailureCategory.model,
            )

    with _phase("evaluate"), tempfile.TemporaryDirectory(prefix="lb-tasks-") as tmp:
        manager = TaskManager(
            include_path=task_include_paths(suite, Path(tmp)), include_defaults=False
        )
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
    return EvalOutput(
        results=json.loads(results_file.read_text(encoding="utf-8")),
        results_file=results_file,
        samples=sorted(results_file.parent.glob("samples_*.jsonl")),
        command=reproduce_command(request, suite, options, base_revision=base_revision),
        wall_time_seconds=time.monotonic() - start,
        base_revision=base_revision,
    )


# -- failures -------------------------------------------------------------------------------------


class _phase:
    """Turn any exception in a phase into ``EvaluationFailed`` with a category."""

    def __init__(self, name: str):
        self.name = name

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type | None, exc: BaseException | None, tb: Any) -> bool:
        if exc is None or isinstance(exc, EvaluationFailed | KeyboardInterrupt | SystemExit):
            return False
        reason, category = classify(exc, self.name)
        raise EvaluationFailed(reason, category) from exc


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def classify(exc: BaseException, phase: str) -> tuple[str, FailureCategory]:
    """Who must act on an error: the submitter (``model``) or us (``infrastructure``)."""
    from huggingface_hub import errors as hub_errors

    model, infra = FailureCategory.model, FailureCategory.infrastructure
    text = f"{type(exc).__name__}: {exc}".strip()
    for err in _chain(exc):
        name = type(err).__name__
        message = str(err)
        if isinstance(err, hub_errors.GatedRepoError):
            return f"the model is gated and this runner has no access: {message}", model
        if isinstance(err, hub_errors.RepositoryNotFoundError | hub_errors.RevisionNotFoundError):
            return f"the model or its revision does not exist on the Hub: {message}", model
        if isinstance(err, hub_errors.RemoteEntryNotFoundError):
            return f"a file the model needs is missing from its repository: {message}", model
        if isinstance(err, hub_errors.OfflineModeIsEnabled | hub_errors.LocalEntryNotFoundError):
            return f"the Hub was unreachable: {message}", infra
        if isinstance(err, hub_errors.HfHubHTTPError):
            status = getattr(getattr(err, "response", None), "status_code", None)
            if status is None or status >= 500 or status == 429:
                return f"the Hub failed (HTTP {status}): {message}", infra
            return f"the Hub refused a request (HTTP {status}): {message}", model
        if name in (
            "ConnectionError",
            "ConnectError",
            "ConnectTimeout",
            "ReadTimeout",
            "TimeoutError",
        ):
            return f"the Hub was unreachable: {message}", infra
        if name == "OutOfMemoryError" or isinstance(err, MemoryError):
            return (
                f"out of memory while {'loading' if phase == 'load' else 'evaluating'} the "
                f"model at this size and precision on {hardware()}: {message}",
                model,
            )
        if isinstance(err, OSError) and err.errno == errno.ENOSPC:
            return f"the runner's disk is full: {message}", infra
        if isinstance(err, OSError) and "couldn't connect" in message.lower():
            return f"the Hub was unreachable: {message}", infra
    if phase == "load":
        if "ignore_mismatched_sizes" in text:
            text = (
                "the shapes of the weights in model.safetensors do not match config.json "
                f"(transformers says: {text})"
            )
        return f"the model could not be loaded: {text}", model
    return f"the evaluation crashed: {text}", infra
