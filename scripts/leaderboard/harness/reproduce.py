"""The plain ``lm_eval`` command that reproduces a result, recorded with it."""

from __future__ import annotations

import json
import shlex

from ..core.models import Request, RunPlan, Suite, WeightType
from .model_args import model_args, quantization_config
from .options import EvalOptions


def reproduce_command(
    request: Request,
    suite: Suite,
    options: EvalOptions,
    *,
    base_revision: str | None = None,
    hub_endpoint: str | None = None,
    dataset_pins: dict[str, str] | None = None,
    plan: RunPlan | None = None,
) -> str:
    """The plain ``lm_eval`` command line that reproduces this evaluation.

    ``options`` should name the device and batch size the run used; ``hub_endpoint``, a Hub
    other than huggingface.co that the model files came from (the demo's local one). With
    ``dataset_pins`` (repo → commit) it first writes the task files that pin each Hub dataset
    to the commit this run read (``leaderboard suite-tasks --pin``). A ``plan`` that split the
    model adds its ``parallelize=True`` and per-GPU memory budget.
    """
    prefix: list[str] = []
    if hub_endpoint:
        prefix.append(shlex.join(["export", f"HF_ENDPOINT={hub_endpoint}"]))
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
    if plan is not None:
        args.update(plan.split_args())
    quant = quantization_config(request.precision)
    if quant:
        args["quantization_config"] = quant
        arg_text = json.dumps(args, separators=(",", ":"))
    else:
        arg_text = ",".join(f"{k}={v}" for k, v in args.items())
    cmd = ["lm_eval", "--model", "hf", "--model_args", arg_text, "--tasks", ",".join(suite.tasks)]
    if suite.bundled_task_dir or dataset_pins:
        tasks_dir = f"./{suite.name}-tasks"
        pins = [f"--pin={repo}@{sha}" for repo, sha in sorted((dataset_pins or {}).items())]
        prefix.append(
            shlex.join(["leaderboard", "suite-tasks", suite.name, "--out", tasks_dir, *pins])
        )
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
