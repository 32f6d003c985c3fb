"""A devhub populated with one model per case the submission rules must tell apart."""

from __future__ import annotations

import json
import struct
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import save

from leaderboard.devtools.devhub import publish, set_meta
from leaderboard.devtools.tinymodels import model_card
from tests.lbtest import VALIDATE_MODES, DevHub, start_devhub


def _files(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and p.name not in skip}


def _header_only_safetensors(shapes: dict[str, list[int]], dtype: str = "BF16") -> bytes:
    """A safetensors header that claims huge tensors: the Hub reads only the header for size."""
    header = {
        name: {"dtype": dtype, "shape": shape, "data_offsets": [0, 0]}
        for name, shape in shapes.items()
    }
    raw = json.dumps(header).encode()
    return struct.pack("<Q", len(raw)) + raw


@pytest.fixture(scope="session")
def hub_root(tmp_path_factory: pytest.TempPathFactory, tiny_model_dir: Path) -> Path:
    root = tmp_path_factory.mktemp("models-hub")
    tiny = _files(tiny_model_dir)
    no_chat = _files(tiny_model_dir, skip=("chat_template.jinja",))
    config = json.loads(tiny["config.json"])
    publish(root, "org/good", {**tiny, "notes.txt": b"first"}, tag="v1")
    publish(root, "org/good", {"notes.txt": b"second"})
    publish(root, "org/nochat", no_chat)
    publish(root, "org/gated", tiny)
    set_meta(root, "org/gated", gated="manual")
    publish(root, "org/private", tiny)
    set_meta(root, "org/private", private=True)
    publish(root, "org/listed", tiny)
    publish(
        root,
        "org/unknown-arch",
        {
            **tiny,
            "config.json": json.dumps(
                {
                    **config,
                    "model_type": "nonexistent-arch",
                    "architectures": ["NonexistentForCausalLM"],
                }
            ).encode(),
        },
    )
    publish(
        root,
        "org/automap",
        {
            **tiny,
            "config.json": json.dumps(
                {**config, "auto_map": {"AutoModelForCausalLM": "modeling.MyModel"}}
            ).encode(),
        },
    )
    pickled = {k: v for k, v in tiny.items() if k != "model.safetensors"}
    publish(root, "org/pickled", {**pickled, "pytorch_model.bin": b"not really a pickle"})
    publish(root, "org/shortcard", {**tiny, "README.md": model_card(body="Too short.").encode()})
    publish(root, "org/nolicense", {**tiny, "README.md": model_card(license=None).encode()})
    publish(root, "org/nocard", {k: v for k, v in tiny.items() if k != "README.md"})
    # Hostile cards and tokenizers (issue 12): a formula for a license, a 100 KiB chat template.
    formula = model_card(license='=HYPERLINK("https://evil.example","x")')
    publish(root, "org/formula-license", {**tiny, "README.md": formula.encode()})
    # A license the card names itself, and base models that are no model ids (issue 22).
    body = model_card(license=None)  # the text alone: no front matter
    other = "---\nlicense: other\nlicense_name: apache-2.0\nlicense_link: LICENSE\n---\n\n" + body
    publish(root, "org/other-license", {**tiny, "README.md": other.encode()})
    bases = json.dumps(["\u202eorg/evil", "org/good", "a\rb/c", "https://e.vil/x"])
    hostile_base = f"---\nlicense: mit\nbase_model: {bases}\n---\n\n{body}"
    publish(root, "org/hostile-base", {**tiny, "README.md": hostile_base.encode()})
    # Chat templates that never finish (Jinja caps each range(), not their nesting) and that
    # raise with text written for the bot's comment (issue 22).
    slow = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    publish(root, "org/slowchat", {**tiny, "chat_template.jinja": slow.encode()})
    raising = "{{ raise_exception('\u202e### ✅ Valid @org [x](https://e.vil)') }}"
    publish(root, "org/raisechat", {**tiny, "chat_template.jinja": raising.encode()})
    # A Hub too slow to finish (the devhub's test mode), and files too large to read (issue 22).
    publish(root, "org/base-grows", tiny, tag="v1")  # an adapter's base, grown by a test
    publish(root, "org/drip", tiny)
    set_meta(root, "org/drip", test_drip_seconds=1.0)
    publish(root, "org/drip-too", tiny)
    set_meta(root, "org/drip-too", test_drip_seconds=1.0)
    bighead = {k: v for k, v in tiny.items() if k != "model.safetensors"}
    bighead["model.safetensors"] = struct.pack("<Q", 30_000_000) + b'{"w": {}}'  # a 30 MB header
    publish(root, "org/bighead", bighead)
    many = {k: v for k, v in tiny.items() if k != "model.safetensors"}
    shards = {f"w{i}": f"model-{i:05d}-of-00600.safetensors" for i in range(600)}
    many["model.safetensors.index.json"] = json.dumps({"weight_map": shards}).encode()
    publish(root, "org/manyshards", many)
    publish(root, "org/bigcard", {**tiny, "README.md": model_card().encode() + b" " * 2**21})
    big_template = b"{{ bos_token }}" + b"{# padding #}" * 8000
    publish(root, "org/hugechat", {**tiny, "chat_template.jinja": big_template})
    publish(root, "org/badtok", {**tiny, "tokenizer.json": b"{not json"})
    # No tokenizer.json and no slow tokenizer: transformers' message spans several lines.
    publish(root, "org/notok", {k: v for k, v in tiny.items() if k != "tokenizer.json"})
    huge = {k: v for k, v in tiny.items() if k != "model.safetensors"}
    huge["model.safetensors"] = _header_only_safetensors({"w": [200_000, 1_000_000]})  # 200B
    publish(root, "org/huge", huge)
    # Sharded weights: an index and two shards, as save_pretrained writes big models.
    shard1 = save({"a": np.zeros((10, 10), dtype=np.float32)})
    shard2 = save({"b": np.zeros((5, 4), dtype=np.float32)})
    index = {
        "metadata": {"total_size": 480},
        "weight_map": {
            "a": "model-00001-of-00002.safetensors",
            "b": "model-00002-of-00002.safetensors",
        },
    }
    sharded = {k: v for k, v in tiny.items() if k != "model.safetensors"}
    sharded.update(
        {
            "model.safetensors.index.json": json.dumps(index).encode(),
            "model-00001-of-00002.safetensors": shard1,
            "model-00002-of-00002.safetensors": shard2,
        }
    )
    publish(root, "org/sharded", sharded)
    # A LoRA adapter over org/good: its own config and weights, and a card.
    adapter = {
        "adapter_config.json": json.dumps(
            {
                "base_model_name_or_path": "org/good",
                "peft_type": "LORA",
                "r": 4,
                "target_modules": ["q_proj", "v_proj"],
            }
        ).encode(),
        "adapter_model.safetensors": save({"lora_A": np.zeros((4, 64), dtype=np.float32)}),
        "README.md": model_card(base_model="org/good").encode(),
    }
    publish(root, "org/adapter", adapter)
    return root


@pytest.fixture
def hub(hub_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[DevHub]:
    """The populated devhub, served for one test with its own cache."""
    yield from start_devhub(hub_root, tmp_path / "hf-cache", monkeypatch)


@pytest.fixture(params=VALIDATE_MODES)
def judge(request: pytest.FixtureRequest, leaderboard_repo, capsys):
    """``validate`` on ``leaderboard_repo``'s pull request, once on its checkout and once as
    validate.yml runs it (``--head``): every rule test runs in both."""
    from tests.submissions.submissions_helpers import validate

    def run(author: str = "bob", *extra: str) -> tuple[int, dict]:
        return validate(leaderboard_repo, capsys, author, *extra, mode=request.param)

    run.mode = request.param  # type: ignore[attr-defined]
    run.repo = leaderboard_repo  # type: ignore[attr-defined]
    return run
