"""Models of real size without their weights: for planning and validating 1 B to 400 B offline.

A *header-only* model is what the Hub serves of a real model up to the first byte of its
weights: the ``config.json`` of a real architecture (Llama's), a tokenizer, a model card, and
safetensors shards whose headers declare every tensor's real name, dtype, shape and offsets,
followed by no data. Everything that counts parameters reads only those headers (the devhub's
model info, ``huggingface_hub.get_safetensors_metadata`` through HTTP range requests, and so
validation and the runner plan), so a 405 B model costs a few hundred kilobytes. Loading one
fails, as it should: it has no weights.

``leaderboard devhub publish-big ORG/NAME --params-b 70 --root ROOT`` publishes one.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from .tinymodels import model_card

#: Bytes per element of the safetensors dtypes a header-only model may declare.
DTYPE_BYTES = {"BF16": 2, "F16": 2, "F32": 4}


@dataclass(frozen=True)
class LlamaShape:
    """The dimensions of a ``LlamaForCausalLM``, as its ``config.json`` states them."""

    hidden: int
    intermediate: int
    layers: int
    heads: int
    kv_heads: int
    vocab: int
    tied: bool = False

    def tensors(self) -> Iterator[tuple[str, list[int]]]:
        """Every tensor's name and shape, as transformers saves the model."""
        head_dim = self.hidden // self.heads
        yield "model.embed_tokens.weight", [self.vocab, self.hidden]
        for i in range(self.layers):
            p = f"model.layers.{i}"
            yield f"{p}.input_layernorm.weight", [self.hidden]
            yield f"{p}.self_attn.q_proj.weight", [self.heads * head_dim, self.hidden]
            yield f"{p}.self_attn.k_proj.weight", [self.kv_heads * head_dim, self.hidden]
            yield f"{p}.self_attn.v_proj.weight", [self.kv_heads * head_dim, self.hidden]
            yield f"{p}.self_attn.o_proj.weight", [self.hidden, self.heads * head_dim]
            yield f"{p}.post_attention_layernorm.weight", [self.hidden]
            yield f"{p}.mlp.gate_proj.weight", [self.intermediate, self.hidden]
            yield f"{p}.mlp.up_proj.weight", [self.intermediate, self.hidden]
            yield f"{p}.mlp.down_proj.weight", [self.hidden, self.intermediate]
        yield "model.norm.weight", [self.hidden]
        if not self.tied:
            yield "lm_head.weight", [self.vocab, self.hidden]

    @property
    def params(self) -> int:
        total = 0
        for _, shape in self.tensors():
            n = 1
            for dim in shape:
                n *= dim
            total += n
        return total

    def config(self, dtype: str = "bfloat16") -> dict[str, object]:
        return {
            "architectures": ["LlamaForCausalLM"],
            "model_type": "llama",
            "hidden_size": self.hidden,
            "intermediate_size": self.intermediate,
            "num_hidden_layers": self.layers,
            "num_attention_heads": self.heads,
            "num_key_value_heads": self.kv_heads,
            "vocab_size": self.vocab,
            "tie_word_embeddings": self.tied,
            "max_position_embeddings": 8192,
            "rms_norm_eps": 1e-5,
            "rope_theta": 500000.0,
            "hidden_act": "silu",
            "bos_token_id": 0,
            "eos_token_id": 0,
            "torch_dtype": dtype,
        }


#: Real Llama models' dimensions (their published config.json files).
LLAMA_SHAPES: dict[str, LlamaShape] = {
    "llama-3.2-1b": LlamaShape(2048, 8192, 16, 32, 8, 128256, tied=True),
    "llama-3.1-8b": LlamaShape(4096, 14336, 32, 32, 8, 128256),
    "llama-2-13b": LlamaShape(5120, 13824, 40, 40, 40, 32000),
    "llama-30b": LlamaShape(6656, 17920, 60, 52, 52, 32000),
    "llama-3.1-70b": LlamaShape(8192, 28672, 80, 64, 8, 128256),
    "llama-3.1-405b": LlamaShape(16384, 53248, 126, 128, 8, 128256),
}


def llama_shape(params_b: float) -> LlamaShape:
    """A Llama of about ``params_b`` billion parameters: the real model nearest in size, with
    as many layers as bring it closest to the target (the shapes of real layers, their
    number chosen)."""
    target = params_b * 1e9
    base = min(LLAMA_SHAPES.values(), key=lambda s: abs(s.params - target))
    outside = replace(base, layers=0).params
    per_layer = (base.params - outside) / base.layers
    layers = max(1, round((target - outside) / per_layer))
    return replace(base, layers=layers)


def _safetensors_header(tensors: list[tuple[str, list[int]]], dtype: str) -> tuple[bytes, int]:
    """A safetensors file's header (length prefix included) and the data size it declares."""
    header: dict[str, object] = {"__metadata__": {"format": "pt"}}
    offset = 0
    for name, shape in tensors:
        size = DTYPE_BYTES[dtype]
        for dim in shape:
            size *= dim
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + size]}
        offset += size
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)  # the format pads the header to 8 bytes
    return struct.pack("<Q", len(text)) + text, offset


def header_only_files(
    shape: LlamaShape,
    *,
    dtype: str = "BF16",
    shard_gb: float = 10.0,
    tokenizer_dir: Path | None = None,
    card: str | None = None,
) -> dict[str, bytes]:
    """The files of a header-only model of ``shape``: config, tokenizer, card, the shards'
    headers and ``model.safetensors.index.json``. ``tokenizer_dir`` lends its tokenizer files
    (else a small one is trained here)."""
    shards: list[list[tuple[str, list[int]]]] = [[]]
    filled = 0
    limit = shard_gb * 1e9
    for name, shape_ in shape.tensors():
        size = DTYPE_BYTES[dtype] * _count(shape_)
        if shards[-1] and filled + size > limit:
            shards.append([])
            filled = 0
        shards[-1].append((name, shape_))
        filled += size
    files: dict[str, bytes] = {}
    weight_map: dict[str, str] = {}
    total = 0
    for i, tensors in enumerate(shards, start=1):
        fname = f"model-{i:05d}-of-{len(shards):05d}.safetensors"
        files[fname], size = _safetensors_header(tensors, dtype)
        total += size
        weight_map.update({name: fname for name, _ in tensors})
    files["model.safetensors.index.json"] = json.dumps(
        {"metadata": {"total_size": total}, "weight_map": weight_map}, indent=2
    ).encode()
    torch_dtype = {"BF16": "bfloat16", "F16": "float16", "F32": "float32"}[dtype]
    files["config.json"] = json.dumps(shape.config(torch_dtype), indent=2).encode()
    files.update(_tokenizer_files(tokenizer_dir))
    files["README.md"] = (card or _card(shape)).encode()
    return files


def publish_header_only(
    root: Path | str,
    repo_id: str,
    params_b: float | None = None,
    *,
    shape: LlamaShape | None = None,
    dtype: str = "BF16",
    tokenizer_dir: Path | None = None,
) -> str:
    """Publish a header-only model on the devhub at ``root``; returns the commit sha."""
    from .devhub import publish

    chosen = shape or llama_shape(params_b if params_b is not None else 8.0)
    files = header_only_files(chosen, dtype=dtype, tokenizer_dir=tokenizer_dir)
    return publish(root, repo_id, files, message="Upload a header-only model")


def _count(shape: list[int]) -> int:
    n = 1
    for dim in shape:
        n *= dim
    return n


def _tokenizer_files(folder: Path | None) -> dict[str, bytes]:
    import tempfile

    if folder is not None:
        names = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")
        return {n: (folder / n).read_bytes() for n in names if (folder / n).is_file()}
    from .tinymodels import train_tokenizer

    with tempfile.TemporaryDirectory() as tmp:
        train_tokenizer([]).save_pretrained(tmp)
        return {p.name: p.read_bytes() for p in Path(tmp).iterdir() if p.is_file()}


def _card(shape: LlamaShape) -> str:
    return model_card(
        body=(
            f"# A header-only Llama of {shape.params / 1e9:.1f}B parameters\n\n"
            "Built by the leaderboard's test tooling: the config of a real Llama architecture "
            "and safetensors shards whose headers declare every tensor's real shape, with no "
            "weights behind them. It lets validation and the runner plan meet a model of real "
            "size offline; it cannot be loaded or evaluated.\n"
        )
    )
