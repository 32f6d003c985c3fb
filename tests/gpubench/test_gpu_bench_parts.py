"""The GPU benchmark's parts that need no GPU: the real shapes, the stand-ins' lengths, the
arithmetic of its figures and projection, and the phase recorder's passing-through.

The whole path (build, devhub, ``runner prepare``, ``leaderboard evaluate``) runs on a tiny model
in test_gpu_bench_cpu.py.
"""

from __future__ import annotations

import json
import math
import statistics
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from leaderboard.harness import phases
from leaderboard_bench import benchdata, modelshapes
from leaderboard_bench.areas import gpu
from leaderboard_bench.gpu_projection import (
    batch_size,
    memory_check,
    project_generation,
    project_loglikelihood,
)

# -- the shapes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "params"),
    [
        # The parameter counts Meta publishes for the two models (safetensors metadata).
        ("llama-1b", 1_235_814_400),
        ("llama-8b", 8_030_261_248),
    ],
)
def test_the_shapes_have_the_real_models_parameter_counts(key: str, params: int) -> None:
    assert modelshapes.param_count(modelshapes.SHAPES[key].config) == params


def test_the_8b_shapes_config_is_llama_3_1_8b() -> None:
    config = modelshapes.llama_config(modelshapes.SHAPES["llama-8b"], _Sized(3000))
    assert (config.hidden_size, config.intermediate_size, config.num_hidden_layers) == (
        4096,
        14336,
        32,
    )
    assert (config.num_attention_heads, config.num_key_value_heads, config.vocab_size) == (
        32,
        8,
        128256,
    )
    assert config.rope_parameters["rope_type"] == "llama3"
    assert not config.tie_word_embeddings and config.max_position_embeddings == 131072


class _Sized:
    """A tokenizer as far as the config reads one: its size and special token ids."""

    bos_token_id = eos_token_id = 0
    pad_token_id = 1

    def __init__(self, n: int) -> None:
        self.n = n

    def __len__(self) -> int:
        return self.n


def test_a_tokenizer_larger_than_the_vocabulary_is_refused() -> None:
    with pytest.raises(ValueError, match=r"more than Llama-3\.2-1B shape's 128256"):
        modelshapes.llama_config(modelshapes.SHAPES["llama-1b"], _Sized(200_000))


@pytest.fixture(scope="module")
def small_stand_ins() -> tuple[dict, object]:
    docs = benchdata.sample_docs(0.002)
    data = benchdata.bench_datasets(docs)
    return data, modelshapes.build_tokenizer(benchdata.texts(data))


def test_model_files_are_sharded_safetensors_that_transformers_loads(
    small_stand_ins: tuple[dict, object], tmp_path: Path
) -> None:
    from safetensors import safe_open
    from transformers import AutoModelForCausalLM

    _, tokenizer = small_stand_ins
    shape = modelshapes.tiny_shape(len(tokenizer))
    files = modelshapes.model_files(shape, tokenizer, shard_bytes=150_000)
    index = json.loads(files["model.safetensors.index.json"])
    shards = sorted(n for n in files if n.endswith(".safetensors"))
    assert len(shards) >= 2 and set(index["weight_map"].values()) == set(shards)
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    total = 0
    for shard in shards:
        with safe_open(tmp_path / shard, "pt") as f:
            for key in f.keys():  # noqa: SIM118 (safe_open has no __iter__)
                tensor = f.get_tensor(key)
                total += tensor.numel() * tensor.element_size()
                assert str(tensor.dtype) == "torch.bfloat16"
    assert index["metadata"]["total_size"] == total
    model = AutoModelForCausalLM.from_pretrained(tmp_path)
    assert sum(p.numel() for p in model.parameters()) == modelshapes.param_count(shape.config)
    assert model.config.eos_token_id == tokenizer.eos_token_id
    assert "random" in files["README.md"].decode()


# -- the stand-ins -----------------------------------------------------------------------------


def test_the_stand_ins_hold_each_tasks_sample() -> None:
    docs = benchdata.sample_docs(0.02)
    real = benchdata.real_docs()
    assert len(docs) == len(real) == 39
    assert docs["leaderboard_mmlu_pro"] == round(12_032 * 0.02)
    assert docs["leaderboard_bbh_penguins_in_a_table"] == 3
    assert all(docs[t] == 1 for t in benchdata.GENERATION_TASKS)
    data = benchdata.bench_datasets(docs)
    assert len(data["TIGER-Lab/MMLU-Pro"]["default"]["test"]) == docs["leaderboard_mmlu_pro"]
    assert len(data["SaylorTwift/bbh"]["snarks"]["test"]) == docs["leaderboard_bbh_snarks"]
    math_test = data["DigitalLearningGmbH/MATH-lighteval"]["algebra"]["test"]
    assert [r["level"] for r in math_test].count("Level 5") == 1
    musr = data["TAUR-Lab/MuSR"]["default"]["object_placements"]
    assert len(musr) == docs["leaderboard_musr_object_placements"]


def test_the_real_suite_has_the_anchors_request_counts() -> None:
    real = benchdata.real_docs()
    generations = sum(real[t] for t in benchdata.GENERATION_TASKS)
    loglikelihood = sum(
        n * benchdata.choices_per_doc(t)
        for t, n in real.items()
        if t not in benchdata.GENERATION_TASKS
    )
    assert generations == gpu.FULL_GENERATIONS == 1_865
    assert loglikelihood == pytest.approx(gpu.FULL_LOGLIKELIHOOD, rel=1e-3)
    assert loglikelihood == 152_770  # the README's figure


def _mean_tokens(tokenizer, values) -> float:
    return statistics.mean(len(tokenizer(v, add_special_tokens=False)["input_ids"]) for v in values)


def test_fields_have_their_real_length_in_tokens(small_stand_ins: tuple[dict, object]) -> None:
    import random

    data, tokenizer = small_stand_ins
    rng = random.Random(1)
    for name, target in benchdata.LENGTHS.items():
        values = [benchdata.field(rng, name) for _ in range(60)]
        # Each draw is 0.6 to 1.4 times the mean: sixty of them average within a tenth.
        assert _mean_tokens(tokenizer, values) == pytest.approx(target, rel=0.1), name
    # The stand-ins' rows are such fields, and BBH's inputs are as long as the task's own
    # few-shot questions (its longest, salient translation errors, run to about 170 tokens).
    mmlu = data["TIGER-Lab/MMLU-Pro"]["default"]["test"]
    assert _mean_tokens(tokenizer, (o for r in mmlu for o in r["options"])) == pytest.approx(
        benchdata.LENGTHS["mmlu_pro.option"], rel=0.3
    )
    bbh = data["SaylorTwift/bbh"]["salient_translation_error_detection"]["test"]
    assert _mean_tokens(tokenizer, (r["input"] for r in bbh)) > 100


# -- arithmetic --------------------------------------------------------------------------------

TINY = modelshapes.tiny_shape(1000).config


def test_the_output_layers_share_of_the_multiplies() -> None:
    """The README's figures: a fifth of the 1 B shape's multiply FLOPs, 7% of the 8 B's."""
    shares = {
        key: shape.config["vocab_size"]
        * shape.config["hidden_size"]
        / modelshapes.matmul_params(shape.config)
        for key, shape in modelshapes.SHAPES.items()
    }
    assert round(shares["llama-1b"], 2) == 0.21 and round(shares["llama-8b"], 2) == 0.07


def test_forward_flops_count_the_multiplies_and_causal_attention() -> None:
    # One layer's projections: 2·64·64 (q, o) + 2·64·64 (k, v: 4 heads of 16) + 3·64·128.
    per_layer = 2 * 64 * 64 + 2 * 64 * 64 + 3 * 64 * 128
    assert modelshapes.matmul_params(TINY) == 2 * per_layer + 1000 * 64
    one = modelshapes.forward_flops(TINY, tokens=10, sq_tokens=100)
    assert one == 2 * modelshapes.matmul_params(TINY) * 10 + 2 * 2 * 64 * 100


def _ll_phase(seconds: float, search: float, tasks: dict) -> dict:
    return {"seconds": seconds, "detect_seconds": search, "tasks": tasks}


def test_the_loglikelihood_projection_scales_each_task_by_its_flops() -> None:
    full = {"a": 100, "b": 10}
    stats = {
        "a": {"docs": 10, "requests": 40, "tokens": 1000, "sq_tokens": 100_000},
        "b": {"docs": 5, "requests": 5, "tokens": 3000, "sq_tokens": 2_000_000},
    }
    flops = {
        t: modelshapes.forward_flops(TINY, s["tokens"], s["sq_tokens"]) for t, s in stats.items()
    }
    got = project_loglikelihood(_ll_phase(12.0, 2.0, stats), TINY, full)
    full_flops = flops["a"] * 10 + flops["b"] * 2
    assert got.seconds == pytest.approx(10.0 * full_flops / (flops["a"] + flops["b"]) + 2.0)
    assert got.requests == 40 * 10 + 5 * 2


def _gen_phase(batch_setting: str, detected: list[int]) -> dict:
    return {
        "seconds": 30.0,
        "detect_seconds": 1.5,
        "batch_setting": batch_setting,
        "detected_batch_sizes": detected,
        "batch_sizes": {"3": 1},
        "generate": {"seconds": 20.0, "steps": 2000},
        "groups": {
            "ifeval": {"max_gen_toks": 1280, "tasks": {"t1": 1}},
            "math": {"max_gen_toks": 1024, "tasks": {"t2": 1, "t3": 1}},
        },
    }


def test_the_generation_projection_counts_decode_steps_per_batch() -> None:
    full = {"t1": 541, "t2": 700, "t3": 624}
    got = project_generation(_gen_phase("8", []), full)
    per_step = 20.0 / 2000
    expected = math.ceil(541 / 8) * 1280 * per_step + math.ceil(1324 / 8) * 1024 * per_step
    assert got.seconds == pytest.approx(expected + 1.5)
    assert got.requests == 1865
    # With batch_size=auto, the batch lm-eval's search found.
    auto = project_generation(_gen_phase("auto", [1]), full)
    assert auto.seconds == pytest.approx((541 * 1280 + 1324 * 1024) * per_step + 1.5)
    assert batch_size(_gen_phase("auto", [])) == 3


def test_the_memory_check_compares_in_gb() -> None:
    assert memory_check(18_500_000_000, 20.3) == (18.5, True)
    assert memory_check(21_000_000_000, 20.3) == (21.0, False)
    assert memory_check(1_000_000_000, None) == (1.0, None)


def test_the_figures_of_a_run_have_the_benches_shape() -> None:
    phase_ll = {
        **_ll_phase(
            5.0, 1.0, {"t0": {"docs": 1, "requests": 4, "tokens": 800, "sq_tokens": 160_000}}
        ),
        "requests": 4,
        "batch_setting": "auto",
        "detected_batch_sizes": [64],
        "batch_sizes": {"4": 1},
        "forward": {"tokens": 800, "sq_tokens": 160_000, "padded_tokens": 1000, "sequences": 4},
    }
    run = gpu.ModelRun(
        key="llama-8b",
        label="Llama-3.1-8B shape",
        config=modelshapes.SHAPES["llama-8b"].config,
        params=8_030_261_248,
        build_seconds=60.0,
        wall_seconds=100.0,
        probe={
            "phases": {"loglikelihood": phase_ll, "generate_until": {**_gen_phase("auto", [1])}},
            "memory": {"peak_allocated": 70_000_000_000, "peak_reserved": 75_000_000_000},
        },
        floor_peak=18_500_000_000,
    )
    run.probe["phases"]["generate_until"].update(requests=3)
    run.probe["phases"]["generate_until"]["generate"].update(new_tokens=4000)
    full = {"t0": 1000, "t1": 541, "t2": 700, "t3": 624}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(gpu, "real_docs", lambda: full)
        figures = gpu.model_figures(run, peak_tflops=800.0, copy_gbps=3000.0, estimate_gb=20.3)
    by_name = {f.name.split(": ", 1)[1]: f for f in figures}
    assert all(f.area == "gpu" and f.name.startswith("Llama-3.1-8B shape: ") for f in figures)
    assert by_name["log-likelihood, padding"].value == 20.0
    assert by_name["log-likelihood, batch size (auto)"].value == 64
    assert by_name["generation, batch size (auto)"].value == 1
    # The plan's estimate is compared with the batch-1 floor, not with what auto batching used.
    floor = by_name["peak GPU memory at batch 1 (4,096 tokens)"]
    assert (floor.value, floor.ok, floor.goal) == (18.5, True, "<= 20.3 GB (runner plan)")
    assert by_name["peak GPU memory, evaluate (auto batch)"].ok is None
    mfu = modelshapes.forward_flops(run.config, 800, 160_000) / 4.0 / 800e12 * 100
    assert by_name["log-likelihood, MFU"].value == pytest.approx(mfu, abs=0.01)
    total = by_name["projected GPU-hours, full suite"]
    assert total.goal == "<= 1 h on one H100" and total.ok is (total.value <= 1)
    parts = [
        by_name["projected log-likelihood, full suite"].value,
        by_name["projected generation, full suite (upper bound)"].value,
        by_name["fixed cost (download, load, tasks, record)"].value / 3600,
    ]
    assert total.value == pytest.approx(sum(parts), abs=2e-3)


# -- the phase recorder ------------------------------------------------------------------------


def _req(task: str, doc: int, args: tuple) -> SimpleNamespace:
    return SimpleNamespace(task_name=task, doc_id=doc, args=args)


def test_loglikelihood_stats_count_shared_contexts_once() -> None:
    # Three one-token answers to one question share a forward pass; "(A)"/"(B)" do not.
    requests = [_req("mc", 0, ()) for _ in range(3)] + [_req("paren", 1, ()) for _ in range(2)]
    encoded = [
        (None, [1, 2, 3], [7]),
        (None, [1, 2, 3], [8]),
        (None, [1, 2, 3], [9]),
        (None, [4, 5], [10, 11, 12]),
        (None, [4, 5], [10, 13, 12]),
    ]
    stats = phases._loglikelihood_stats(requests, encoded, max_length=4096)
    assert stats["mc"] == {"docs": 1, "requests": 3, "sequences": 1, "tokens": 3, "sq_tokens": 9}
    assert stats["paren"]["sequences"] == 2 and stats["paren"]["tokens"] == 8


def test_generation_stats_group_requests_by_their_settings() -> None:
    ifeval = {"until": [], "max_gen_toks": 1280}
    math_ = {"until": ["Problem:"], "max_gen_toks": 1024}
    requests = [
        _req("ifeval", 0, ("p", ifeval)),
        _req("m1", 0, ("p", math_)),
        _req("m2", 0, ("p", dict(math_))),
    ]
    tasks, groups = phases._generation_stats(requests, default_max=256)
    assert tasks["m1"] == {"docs": 1, "requests": 1}
    assert sorted((g["max_gen_toks"], sorted(g["tasks"])) for g in groups.values()) == [
        (1024, ["m1", "m2"]),
        (1280, ["ifeval"]),
    ]


def test_the_recorder_changes_no_result(
    small_stand_ins: tuple[dict, object], tmp_path: Path
) -> None:
    """The same requests give the same answers with and without the recorder installed."""
    from lm_eval.api.instance import Instance
    from lm_eval.models.huggingface import HFLM

    _, tokenizer = small_stand_ins
    for name, data in modelshapes.model_files(
        modelshapes.tiny_shape(len(tokenizer)), tokenizer, dtype="float32"
    ).items():
        (tmp_path / name).write_bytes(data)
    lm = HFLM(pretrained=str(tmp_path), device="cpu", batch_size=3, dtype="float32")

    def requests(kind: str, args: list[tuple]) -> list:
        return [Instance(kind, {}, a, idx=0, metadata=("task", i, 1)) for i, a in enumerate(args)]

    ll = [("Q: which one? A:", c) for c in (" yes", " no", " (A)", " maybe not")]
    gen = [("Write a word:", {"until": ["\n\n"], "max_gen_toks": 12, "do_sample": False})] * 2
    before = (
        lm.loglikelihood(requests("loglikelihood", ll)),
        lm.generate_until(requests("generate_until", gen)),
    )
    recorder = phases.Recorder()
    undo = phases.install(recorder)
    try:
        after = (
            lm.loglikelihood(requests("loglikelihood", ll)),
            lm.generate_until(requests("generate_until", gen)),
        )
    finally:
        undo()
    assert after == before
    summary = recorder.summary()["phases"]
    assert summary["loglikelihood"]["requests"] == 4
    assert summary["loglikelihood"]["tasks"]["task"]["docs"] == 4
    assert summary["loglikelihood"]["forward"]["calls"] >= 1
    assert summary["generate_until"]["generate"]["sequences"] == 2
    assert 0 < summary["generate_until"]["generate"]["steps"] <= 12
    assert summary["generate_until"]["batch_setting"] == "3"


# -- without CUDA ------------------------------------------------------------------------------


def test_without_cuda_the_bench_says_so_and_measures_nothing(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "leaderboard",
            "bench",
            "--area",
            "gpu",
            "--json",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout) == [] and json.loads(out.read_text()) == []
    assert "no CUDA device here, so nothing is measured" in proc.stderr
