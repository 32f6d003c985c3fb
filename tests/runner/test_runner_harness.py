"""The harness's translation of requests and suites into lm-eval's terms (no model runs)."""

from __future__ import annotations

import errno
import shlex
from pathlib import Path

import pytest
from huggingface_hub import errors as hub_errors

from leaderboard.core.models import FailureCategory
from leaderboard.harness.failures import classify
from leaderboard.harness.model_args import model_args, quantization_config
from leaderboard.harness.options import EvalOptions
from leaderboard.harness.reproduce import reproduce_command
from leaderboard.harness.run import cache_path
from leaderboard.harness.tasks import task_include_paths
from leaderboard.suites.loader import load_suite
from tests.lbtest import make_request

SHA = "c" * 40
BASE_SHA = "d" * 40


def test_original_weights_pin_revision_dtype_and_refuse_remote_code():
    args = model_args(make_request("acme/m", SHA, age_minutes=1, precision="bfloat16"))
    assert args == {
        "pretrained": "acme/m",
        "revision": SHA,
        "dtype": "bfloat16",
        "trust_remote_code": False,
        "use_safetensors": True,
    }


@pytest.mark.parametrize(("weight_type", "key"), [("Adapter", "peft"), ("Delta", "delta")])
def test_adapter_and_delta_load_the_base_and_apply_pinned_weights(weight_type, key):
    request = make_request(
        "acme/ft", SHA, age_minutes=1, weight_type=weight_type, base_model="acme/base"
    )
    args = model_args(request, base_revision=BASE_SHA, weights_path="/snap/acme-ft")
    assert args["pretrained"] == "acme/base" and args["revision"] == BASE_SHA
    assert args[key] == "/snap/acme-ft"
    command = reproduce_command(
        request, load_suite("leaderboard"), EvalOptions(), base_revision=BASE_SHA
    )
    download, run = command.split(" && ")
    assert download == f"hf download acme/ft --revision {SHA} --local-dir ./{weight_type.lower()}"
    assert f"{key}=./{weight_type.lower()}" in run


@pytest.mark.parametrize("precision", ["8bit", "4bit"])
def test_quantized_requests_use_a_bitsandbytes_config(precision):
    quant = quantization_config(
        make_request("a/b", SHA, age_minutes=1, precision=precision).precision
    )
    assert quant["quant_method"] == "bitsandbytes"
    assert quant[f"load_in_{precision}"] is True
    request = make_request("a/b", SHA, age_minutes=1, precision=precision)
    command = shlex.split(reproduce_command(request, load_suite("leaderboard"), EvalOptions()))
    model_args_json = command[command.index("--model_args") + 1]
    assert f'"load_in_{precision}":true' in model_args_json
    assert '"dtype":"float16"' in model_args_json


def test_the_command_reproduces_the_run_with_plain_lm_eval():
    request = make_request("acme/m", SHA, age_minutes=1, use_chat_template=True)
    command = reproduce_command(request, load_suite("leaderboard"), EvalOptions(limit=10))
    assert shlex.split(command) == [
        "lm_eval",
        "--model",
        "hf",
        "--model_args",
        f"pretrained=acme/m,revision={SHA},dtype=float16,trust_remote_code=False,"
        "use_safetensors=True",
        "--tasks",
        "leaderboard",
        "--batch_size",
        "auto",
        "--device",
        "cuda",
        "--apply_chat_template",
        "--fewshot_as_multiturn",
        "--limit",
        "10",
        "--output_path",
        "results",
        "--log_samples",
    ]
    demo = reproduce_command(request, load_suite("demo"), EvalOptions(device="cpu", batch_size=8))
    render, run = demo.split(" && ")
    assert render == "leaderboard suite-tasks demo --out ./demo-tasks"
    assert "--include_path ./demo-tasks" in run and "--tasks demo_arithmetic,demo_echo" in run


def test_the_request_cache_is_keyed_by_model_sha_precision_chat_and_suite(tmp_path):
    base = make_request("acme/m", SHA, age_minutes=1)
    variants = [
        base,
        make_request("acme/other", SHA, age_minutes=1),
        make_request("acme/m", BASE_SHA, age_minutes=1),
        make_request("acme/m", SHA, age_minutes=1, precision="bfloat16"),
        make_request("acme/m", SHA, age_minutes=1, use_chat_template=True),
    ]
    paths = {cache_path(tmp_path, r, load_suite("demo")) for r in variants}
    paths.add(cache_path(tmp_path, base, load_suite("leaderboard")))
    assert len(paths) == 6


def test_bundled_tasks_get_absolute_data_paths(tmp_path):
    (folder,) = task_include_paths(load_suite("demo"), tmp_path)
    text = (Path(folder) / "demo_echo.yaml").read_text()
    assert "@SUITE_DIR@" not in text
    data = text.split('test: "')[1].split('"')[0]
    assert Path(data).is_absolute() and Path(data).exists()


def test_only_the_suites_task_folders_are_indexed(tmp_path):
    from lm_eval.tasks import TaskManager

    suite = load_suite("leaderboard")
    manager = TaskManager(include_path=task_include_paths(suite, tmp_path), include_defaults=False)
    names = set(manager.all_tasks)
    assert len(names) < 100  # not lm-eval's 14,000
    assert "leaderboard" in names
    for benchmark in suite.benchmarks:
        for sub in benchmark.subtasks:
            assert sub.task in names, sub.task


@pytest.mark.parametrize(
    ("exc", "phase", "category", "words"),
    [
        (hub_errors.LocalEntryNotFoundError("offline"), "load", "infrastructure", "unreachable"),
        (OSError(errno.ENOSPC, "No space left on device"), "evaluate", "infrastructure", "disk"),
        (
            OSError("We couldn't connect to 'https://hf.co'"),
            "load",
            "infrastructure",
            "unreachable",
        ),
        (ValueError("bad tokenizer.json"), "load", "model", "could not be loaded"),
        (MemoryError(), "load", "infrastructure", "out of memory"),
        (RuntimeError("boom"), "evaluate", "infrastructure", "crashed"),
    ],
)
def test_failures_are_classified(exc, phase, category, words):
    reason, got = classify(exc, phase)
    assert got is FailureCategory(category) and words in reason


def test_a_wrapped_hub_error_is_found_in_the_chain():
    try:
        try:
            raise hub_errors.OfflineModeIsEnabled("no network")
        except hub_errors.OfflineModeIsEnabled as inner:
            raise OSError("Can't load the model") from inner
    except OSError as outer:
        reason, category = classify(outer, "load")
    assert category is FailureCategory.infrastructure and "unreachable" in reason
