"""Tiny causal language models built on the spot, for the offline demo and the tests.

Nothing is downloaded: a byte-level BPE tokenizer is trained on a small local text, a small
Llama (two layers and hidden size 64 unless told otherwise) gets random weights, and
optionally trains for a given number of steps on given texts so that its scores differ from
chance; everything is saved the way the Hub serves it: ``config.json``,
``model.safetensors``, tokenizer files. Needs the ``eval`` extra (torch).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

#: A chat template in the shape chat models ship, small enough to read.
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|' + message['role'] + '|>' + message['content'] + '<|end|>' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|assistant|>' }}{% endif %}"
)

_BASE_TEXT = (
    "The quick brown fox jumps over the lazy dog. Question: what is two plus three? Answer: 5. "
    "A leaderboard ranks models by their scores on shared benchmarks. Answer with one word. "
    "Which of these is a colour? red, seven, table. Answer: red. 0 1 2 3 4 5 6 7 8 9 10 11 12 "
    "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ .,;:!?()[]{}<>=+-*/ "
)


def train_tokenizer(texts: Iterable[str], vocab_size: int = 512):
    """A byte-level BPE tokenizer trained on ``texts``, wrapped for transformers."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    special = ["<|endoftext|>", "<|pad|>", "<|user|>", "<|assistant|>", "<|system|>", "<|end|>"]
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=special,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator([_BASE_TEXT, *texts], trainer=trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token="<|endoftext|>",
        eos_token="<|endoftext|>",
        unk_token="<|endoftext|>",
        pad_token="<|pad|>",
        model_max_length=512,
    )


def build_tiny_model(
    out_dir: Path,
    *,
    seed: int = 0,
    texts: Sequence[str] = (),
    train_steps: int = 0,
    chat_template: str | None = None,
    dtype: str = "float32",
    hidden_size: int = 64,
    layers: int = 2,
) -> Path:
    """Build, optionally train, and save a tiny Llama with its tokenizer into ``out_dir``.

    ``texts`` train the tokenizer and, when ``train_steps`` > 0, the
    model itself for that many steps: a count, not a duration, so that a seed gives the same
    model on a busy machine as on an idle one.
    """
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    torch.manual_seed(seed)
    tokenizer = train_tokenizer(texts)
    if chat_template:
        tokenizer.chat_template = chat_template
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=hidden_size,
        intermediate_size=hidden_size * 2,
        num_hidden_layers=layers,
        num_attention_heads=4,
        num_key_value_heads=4,
        max_position_embeddings=512,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        tie_word_embeddings=True,
    )
    model = LlamaForCausalLM(config)
    if train_steps > 0 and texts:
        _train(model, tokenizer, texts, train_steps)
    model = model.to(getattr(torch, dtype))
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out_dir, safe_serialization=True)
    tokenizer.save_pretrained(out_dir)
    return out_dir


def _train(model, tokenizer, texts: Sequence[str], steps: int) -> None:
    import torch

    # One thread: a model this small gains nothing from more, and on a busy machine OpenMP's
    # spinning threads made each step 20 times slower (measured: 11 vs 230 steps in 5 s).
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        model.train()
        optimiser = torch.optim.AdamW(model.parameters(), lr=3e-3)
        batches = [
            tokenizer(
                list(texts[i : i + 16]),
                return_tensors="pt",
                padding=True,
                truncation=True,
                max_length=128,
                return_token_type_ids=False,
            )
            for i in range(0, len(texts), 16)
        ]
        for step in range(steps):
            batch = batches[step % len(batches)]
            labels = batch["input_ids"].masked_fill(batch["attention_mask"] == 0, -100)
            loss = model(**batch, labels=labels).loss
            loss.backward()
            optimiser.step()
            optimiser.zero_grad()
        model.eval()
    finally:
        torch.set_num_threads(threads)


def build_tiny_adapter(base_dir: Path, out_dir: Path, *, seed: int = 0) -> Path:
    """A LoRA adapter over the tiny model in ``base_dir``, saved as safetensors (needs peft)."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    torch.manual_seed(seed)
    base = AutoModelForCausalLM.from_pretrained(base_dir)
    peft_model = get_peft_model(
        base,
        LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"], init_lora_weights=False),
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    peft_model.save_pretrained(str(out_dir), safe_serialization=True)
    AutoTokenizer.from_pretrained(base_dir).save_pretrained(out_dir)
    return out_dir


def model_card(
    *,
    license: str | None = "apache-2.0",
    tags: Sequence[str] = (),
    base_model: str | None = None,
    body: str | None = None,
) -> str:
    """A model card (README.md) with YAML front matter, as the Hub reads it."""
    meta: dict[str, object] = {}
    if license:
        meta["license"] = license
    if tags:
        meta["tags"] = list(tags)
    if base_model:
        meta["base_model"] = base_model
    text = body or (
        "# A tiny model\n\nThis model was built on the spot by the leaderboard's test and demo "
        "tooling: a two-layer Llama with a byte-level BPE tokenizer trained on a few lines of "
        "local text. It exists so that the whole evaluation loop can run offline on a laptop, "
        "and its scores mean nothing outside that purpose.\n"
    )
    front = "".join(f"{k}: {json.dumps(v)}\n" for k, v in meta.items())
    return f"---\n{front}---\n\n{text}" if meta else text
