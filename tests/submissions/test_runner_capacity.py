"""Models of 1 B to 405 B, submitted and validated against the devhub, then planned.

The devhub serves header-only models of real size (``devtools.bigmodels``: a real Llama's
config, and safetensors shards whose headers declare every tensor's real shape), so these are
the parameter counts validation reads for the real models, without hundreds of GB. The
deployment declares three pools: 1 × 24 GB, 1 × 80 GB and 8 × 80 GB.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import save

from leaderboard.cli.main import main
from leaderboard.core.plan import params_in_billions
from leaderboard.devtools.bigmodels import LLAMA_SHAPES, llama_shape, publish_header_only
from leaderboard.devtools.devhub import publish
from leaderboard.devtools.tinymodels import model_card
from leaderboard.hub import facts
from leaderboard.store.repo import Repo
from tests.lbtest import DevHub, start_devhub
from tests.submissions.submissions_helpers import on_main, request_text, rules, validate

POOLS = """schema_version: 1
maintainers: [alice]
runner_pools:
- name: gpu-24gb
  labels: [self-hosted, gpu-24gb]
  gpus: 1
  gpu_memory_gb: 24
- name: gpu-80gb
  labels: [self-hosted, gpu-80gb]
  gpus: 1
  gpu_memory_gb: 80
- name: gpu-8x80gb
  labels: [self-hosted, gpu-8x80gb]
  gpus: 8
  gpu_memory_gb: 80
"""
MODELS = {
    "meta/llama-1b": LLAMA_SHAPES["llama-3.2-1b"],
    "meta/llama-8b": LLAMA_SHAPES["llama-3.1-8b"],
    "meta/llama-13b": LLAMA_SHAPES["llama-2-13b"],
    "meta/llama-30b": LLAMA_SHAPES["llama-30b"],
    "meta/llama-70b": LLAMA_SHAPES["llama-3.1-70b"],
    "meta/llama-405b": LLAMA_SHAPES["llama-3.1-405b"],
    "meta/llama-400b": llama_shape(400),
}


@pytest.fixture(scope="session")
def big_hub_root(tmp_path_factory: pytest.TempPathFactory, tiny_model_dir: Path) -> Path:
    root = tmp_path_factory.mktemp("big-hub")
    for repo_id, shape in MODELS.items():
        publish_header_only(root, repo_id, shape=shape, tokenizer_dir=tiny_model_dir)
    # A LoRA adapter over the 70B: its own weights are tiny, the base is what the GPU holds.
    publish(
        root,
        "org/adapter-70b",
        {
            "adapter_config.json": json.dumps(
                {"base_model_name_or_path": "meta/llama-70b", "peft_type": "LORA", "r": 8}
            ).encode(),
            "adapter_model.safetensors": save({"lora_A": np.zeros((8, 64), dtype=np.float32)}),
            "README.md": model_card(base_model="meta/llama-70b").encode(),
        },
    )
    return root


@pytest.fixture
def big_hub(
    big_hub_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[DevHub]:
    yield from start_devhub(big_hub_root, tmp_path / "hf-cache", monkeypatch)


@pytest.fixture
def pooled_repo(leaderboard_repo):
    on_main(leaderboard_repo, {"curation/settings.yaml": POOLS})
    return leaderboard_repo


def _submit(checkout, capsys, model: str, precision: str, *extra: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(
        [
            "submit", "--repo", str(checkout.path), model, "--precision", precision,
            "--model-type", "pretrained", "--submitter", "bob", *extra,
        ]
    )  # fmt: skip
    out = capsys.readouterr()
    return code, out.out, out.err


def _plan(checkout, capsys, *rels: str) -> tuple[int, list[dict]]:
    capsys.readouterr()
    code = main(["runner", "plan", "--root", str(checkout.path), "--json", *rels])
    return code, json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(
    ("model", "precision", "pool", "parallelism"),
    [
        ("meta/llama-1b", "bfloat16", "gpu-24gb", "single"),
        ("meta/llama-8b", "bfloat16", "gpu-24gb", "single"),
        ("meta/llama-8b", "4bit", "gpu-24gb", "single"),
        ("meta/llama-13b", "bfloat16", "gpu-80gb", "single"),
        ("meta/llama-13b", "8bit", "gpu-24gb", "single"),
        ("meta/llama-30b", "float16", "gpu-80gb", "single"),
        ("meta/llama-70b", "bfloat16", "gpu-8x80gb", "model"),
        ("meta/llama-70b", "4bit", "gpu-80gb", "single"),
        ("meta/llama-400b", "4bit", "gpu-8x80gb", "model"),
        ("meta/llama-70b", "8bit", "gpu-8x80gb", "model"),
    ],
)
def test_a_submitted_model_is_planned_on_the_smallest_pool_that_holds_it(
    pooled_repo, big_hub, capsys, model, precision, pool, parallelism
):
    code, out, err = _submit(pooled_repo, capsys, model, precision)
    assert code == 0, err
    rel = next(line.split()[-1] for line in out.splitlines() if line.startswith("wrote "))
    request = Repo(pooled_repo.path).read_request(rel)
    # submit records the size validation counts, so the queue can plan without the Hub.
    assert request.params == params_in_billions(MODELS[model].params)
    code, [plan] = _plan(pooled_repo, capsys, rel)
    assert code == 0
    assert (plan["request"], plan["pool"], plan["parallelism"]) == (rel, pool, parallelism)
    assert plan["labels"] == ["self-hosted", pool]
    assert plan["gpus"] == (8 if pool == "gpu-8x80gb" else 1)
    assert plan["model_args"]["pretrained"] == model
    assert plan["model_args"]["revision"] == request.revision
    assert plan["model_args"].get("parallelize", False) is (parallelism == "model")
    if parallelism == "model":
        assert plan["model_args"]["max_memory_per_gpu"].endswith("GB")
    # The same plan without the request's params: the runner plan asks the Hub instead.
    path = pooled_repo.path / rel
    path.write_text("".join(x for x in path.read_text().splitlines(True) if "params:" not in x))
    assert _plan(pooled_repo, capsys, rel) == (0, [plan])


@pytest.mark.parametrize("precision", ["bfloat16", "float16"])
def test_what_no_pool_holds_is_refused_at_submit(pooled_repo, big_hub, capsys, precision):
    code, _, err = _submit(pooled_repo, capsys, "meta/llama-405b", precision)
    assert code == 1
    text = " ".join(err.split())
    assert "[runner-capacity]" in text and "precision:" in text
    assert f"405.9B parameters in {precision} need about 975 GB of GPU memory" in text
    assert "the largest runner pool, gpu-8x80gb (8 × 80 GB), holds 640 GB" in text
    assert "pick a smaller precision (8bit needs about" in text
    assert not (pooled_repo.path / "requests").exists()


def test_gptq_is_refused_with_what_to_submit_instead(pooled_repo, big_hub, capsys):
    code, _, err = _submit(pooled_repo, capsys, "meta/llama-8b", "gptq")
    assert code == 1
    text = " ".join(err.split())
    assert "[runner-capacity]" in text and "no GPTQ kernel" in text and "4bit" in text


def test_an_adapter_is_planned_at_its_base_models_size(pooled_repo, big_hub, capsys):
    code, out, err = _submit(
        pooled_repo, capsys, "org/adapter-70b", "bfloat16",
        "--weight-type", "Adapter", "--base-model", "meta/llama-70b",
    )  # fmt: skip
    assert code == 0, err
    rel = next(line.split()[-1] for line in out.splitlines() if line.startswith("wrote "))
    assert Repo(pooled_repo.path).read_request(rel).params == params_in_billions(
        MODELS["meta/llama-70b"].params
    )
    code, [plan] = _plan(pooled_repo, capsys, rel)
    assert (plan["pool"], plan["parallelism"]) == ("gpu-8x80gb", "model")
    assert plan["model_args"]["pretrained"] == "meta/llama-70b"
    assert plan["model_args"]["peft"] == "org/adapter-70b"


def _pr_head(checkout, files: dict[str, str]) -> str:
    """A pull request's commit, then the base checked out: how validate.yml sees it."""
    checkout.git("checkout", "-q", "-B", "pr", "origin/main")
    for rel, text in files.items():
        checkout.write(rel, text)
    head = checkout.commit("the pull request")
    checkout.git("checkout", "-q", "main")
    return head


def test_validation_as_ci_runs_it_refuses_what_no_pool_holds(pooled_repo, big_hub, capsys):
    sha = facts.resolve_revision("meta/llama-405b")
    rel, text = request_text("meta/llama-405b", sha, precision="bfloat16")
    head = _pr_head(pooled_repo, {rel: text})
    code, report = validate(pooled_repo, capsys, "bob", "--committed", "--head", head)
    assert code == 1
    # Over the size limit too (100B in 16 bit): that rule stays, as an upper bound.
    assert rules(report) == ["hub-size", "runner-capacity"]
    [problem] = [p for p in report["problems"] if p["rule"] == "runner-capacity"]
    assert (problem["path"], problem["field"], problem["line"]) == (rel, "precision", 4)
    assert "ask the maintainers (@alice)" in problem["message"]
    # Only the shards' headers were read: no shard is in the Hub cache.
    assert not list(big_hub.cache.rglob("*.safetensors"))


def test_a_wrong_params_is_refused_with_the_value_to_write(pooled_repo, big_hub, capsys):
    sha = facts.resolve_revision("meta/llama-8b")
    rel, text = request_text("meta/llama-8b", sha, precision="bfloat16", extra="params: 0.5\n")
    head = _pr_head(pooled_repo, {rel: text})
    code, report = validate(pooled_repo, capsys, "bob", "--committed", "--head", head)
    assert code == 1 and rules(report) == ["hub-params"]
    [problem] = report["problems"]
    assert problem["field"] == "params" and problem["line"] == 11
    assert "set `params: 8.030261`" in problem["message"]
    # Claiming 0.5B cannot buy a small pool: with the right value it validates.
    fixed = text.replace("params: 0.5\n", "params: 8.030261\n")
    head = _pr_head(pooled_repo, {rel: fixed})
    code, report = validate(pooled_repo, capsys, "bob", "--committed", "--head", head)
    assert (code, report["problems"]) == (0, [])


def test_without_the_hub_a_declared_size_is_still_checked(pooled_repo, capsys):
    rel, text = request_text("meta/llama-405b", precision="bfloat16", extra="params: 405.853389\n")
    head = _pr_head(pooled_repo, {rel: text})
    code, report = validate(pooled_repo, capsys, "bob", "--committed", "--no-hub", "--head", head)
    assert code == 1 and rules(report) == ["runner-capacity"]
    assert report["problems"][0]["line"] == 4
