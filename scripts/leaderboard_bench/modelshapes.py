"""Real-size models with random weights: the shapes of real architectures, built on the spot.

The GPU benchmark times the evaluation at real size without downloading a model: a model here
is a real architecture's ``config.json`` (its numbers copied from the public one, cited in
:data:`SHAPES`), random bfloat16 weights made directly on the device, and the project's own
tokenizer builder (:func:`tinymodels.train_tokenizer`). The model's vocabulary keeps the real
size even though the tokenizer uses only its first few thousand ids: the output layer over all
128,256 entries is a real part of the cost of every token.

Weights go straight from the device into safetensors bytes, in shards, so an 8 B model (16 GB)
is never written to a folder before the devhub stores it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from leaderboard.devtools.tinymodels import model_card, train_tokenizer

#: Shards of at most this many bytes (the Hub's own ``save_pretrained`` shards the same way).
SHARD_BYTES = 2 * 1024**3


@dataclass(frozen=True)
class ModelShape:
    """One architecture: its name, where its numbers come from, and its ``config.json``."""

    key: str
    label: str
    source: str
    config: dict[str, Any] = field(default_factory=dict)

    @property
    def vocab_size(self) -> int:
        return int(self.config["vocab_size"])


_LLAMA3 = {
    "architectures": ["LlamaForCausalLM"],
    "model_type": "llama",
    "hidden_act": "silu",
    "attention_bias": False,
    "attention_dropout": 0.0,
    "mlp_bias": False,
    "initializer_range": 0.02,
    "rms_norm_eps": 1e-05,
    "rope_theta": 500000.0,
    "max_position_embeddings": 131072,
    "vocab_size": 128256,
    "num_key_value_heads": 8,
}

#: The shapes the benchmark builds, by key.
SHAPES: dict[str, ModelShape] = {
    s.key: s
    for s in (
        ModelShape(
            key="llama-1b",
            label="Llama-3.2-1B shape",
            source="https://huggingface.co/meta-llama/Llama-3.2-1B/blob/main/config.json",
            config={
                **_LLAMA3,
                "hidden_size": 2048,
                "intermediate_size": 8192,
                "num_hidden_layers": 16,
                "num_attention_heads": 32,
                "head_dim": 64,
                "tie_word_embeddings": True,
                "rope_scaling": {
                    "factor": 32.0,
                    "high_freq_factor": 4.0,
                    "low_freq_factor": 1.0,
                    "original_max_position_embeddings": 8192,
                    "rope_type": "llama3",
                },
            },
        ),
        ModelShape(
            key="llama-8b",
            label="Llama-3.1-8B shape",
            source="https://huggingface.co/meta-llama/Llama-3.1-8B/blob/main/config.json",
            config={
                **_LLAMA3,
                "hidden_size": 4096,
                "intermediate_size": 14336,
                "num_hidden_layers": 32,
                "num_attention_heads": 32,
                "head_dim": 128,
                "tie_word_embeddings": False,
                "rope_scaling": {
                    "factor": 8.0,
                    "high_freq_factor": 4.0,
                    "low_freq_factor": 1.0,
                    "original_max_position_embeddings": 8192,
                    "rope_type": "llama3",
                },
            },
        ),
    )
}


def tiny_shape(vocab_size: int) -> ModelShape:
    """A two-layer Llama for the CPU test of the benchmark's whole path, with a context long
    enough for the suite's generation tasks."""
    return ModelShape(
        key="tiny",
        label="tiny Llama (CPU test)",
        source="leaderboard_bench.modelshapes.tiny_shape",
        config={
            **_LLAMA3,
            "hidden_size": 64,
            "intermediate_size": 128,
            "num_hidden_layers": 2,
            "num_attention_heads": 4,
            "num_key_value_heads": 4,
            "head_dim": 16,
            "max_position_embeddings": 8192,
            "vocab_size": vocab_size,
            "tie_word_embeddings": True,
        },
    )


def build_tokenizer(texts: Iterable[str], vocab_size: int = 16_384, max_length: int = 131072):
    """The project's byte-level BPE tokenizer, trained on ``texts`` (the stand-ins' words)."""
    tokenizer = train_tokenizer(texts, vocab_size=vocab_size)
    tokenizer.model_max_length = max_length
    return tokenizer


def llama_config(shape: ModelShape, tokenizer: Any) -> Any:
    """The shape's ``LlamaConfig``, with the tokenizer's special token ids."""
    from transformers import LlamaConfig

    if len(tokenizer) > shape.vocab_size:
        raise ValueError(
            f"the tokenizer has {len(tokenizer)} tokens, more than {shape.label}'s "
            f"{shape.vocab_size}"
        )
    return LlamaConfig(
        **{k: v for k, v in shape.config.items() if k not in ("architectures", "model_type")},
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        architectures=shape.config["architectures"],
    )


def matmul_params(config: Mapping[str, Any]) -> int:
    """Parameters that take part in a matrix multiply for every token: each layer's
    projections and the output layer (the embedding lookup is no multiply)."""
    d = config["hidden_size"]
    heads = config["num_attention_heads"]
    head_dim = config.get("head_dim") or d // heads
    kv = config.get("num_key_value_heads") or heads
    per_layer = (
        2 * d * heads * head_dim + 2 * d * kv * head_dim + 3 * d * config["intermediate_size"]
    )
    return config["num_hidden_layers"] * per_layer + config["vocab_size"] * d


def param_count(config: Mapping[str, Any]) -> int:
    """All parameters, a tied output layer counted once (the count safetensors holds)."""
    d = config["hidden_size"]
    embeddings = config["vocab_size"] * d
    norms = (2 * config["num_hidden_layers"] + 1) * d
    tied = embeddings if config.get("tie_word_embeddings") else 0
    return matmul_params(config) + embeddings - tied + norms


def forward_flops(config: Mapping[str, Any], tokens: float, sq_tokens: float) -> float:
    """FLOPs of forward passes over sequences of ``tokens`` tokens in all, whose squared
    lengths sum to ``sq_tokens``: the multiplies plus causal attention (QKᵀ and AV over half
    the square)."""
    heads = config["num_attention_heads"]
    width = heads * (config.get("head_dim") or config["hidden_size"] // heads)
    return 2 * matmul_params(config) * tokens + 2 * config["num_hidden_layers"] * width * sq_tokens


def model_files(
    shape: ModelShape,
    tokenizer: Any,
    *,
    device: str = "cpu",
    dtype: str = "bfloat16",
    seed: int = 0,
    shard_bytes: int = SHARD_BYTES,
) -> dict[str, bytes]:
    """Every file of the model as the Hub serves it: ``config.json``, safetensors shards and
    their index, the tokenizer's files and a model card.

    The weights are transformers' own initialisation (normal, std 0.02), made on ``device``.
    """
    import tempfile
    from pathlib import Path

    import torch
    from safetensors.torch import save
    from transformers import AutoModelForCausalLM

    torch.manual_seed(seed)
    config = llama_config(shape, tokenizer)
    with torch.device(device):
        model = AutoModelForCausalLM.from_config(config, dtype=getattr(torch, dtype))
    model.eval()
    tensors = {
        name: t.detach()
        for name, t in model.state_dict().items()
        if not (config.tie_word_embeddings and name == "lm_head.weight")
    }
    shards: list[dict[str, Any]] = [{}]
    size = 0
    for name, tensor in tensors.items():
        nbytes = tensor.numel() * tensor.element_size()
        if shards[-1] and size + nbytes > shard_bytes:
            shards.append({})
            size = 0
        shards[-1][name] = tensor
        size += nbytes
    files: dict[str, bytes] = {}
    weight_map: dict[str, str] = {}
    total = 0
    for i, shard in enumerate(shards, 1):
        name = (
            "model.safetensors"
            if len(shards) == 1
            else f"model-{i:05d}-of-{len(shards):05d}.safetensors"
        )
        files[name] = save({k: v.contiguous() for k, v in shard.items()}, metadata={"format": "pt"})
        for key, tensor in shard.items():
            weight_map[key] = name
            total += tensor.numel() * tensor.element_size()
    del model, tensors, shards
    if len(files) > 1:
        index = {"metadata": {"total_size": total}, "weight_map": dict(sorted(weight_map.items()))}
        files["model.safetensors.index.json"] = json.dumps(index, indent=2).encode()
    config.dtype = dtype
    files["config.json"] = config.to_json_string().encode()
    with tempfile.TemporaryDirectory(prefix="lb-tokenizer-") as tmp:
        tokenizer.save_pretrained(tmp)
        for path in Path(tmp).iterdir():
            files[path.name] = path.read_bytes()
    files["README.md"] = model_card(
        body=f"# {shape.label}, random weights\n\nBuilt by the leaderboard's GPU benchmark: "
        f"the configuration of {shape.source} with random {dtype} weights and a tokenizer "
        "trained on the benchmark's synthetic text. Its scores mean nothing.\n"
    ).encode()
    return files
