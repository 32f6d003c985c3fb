"""Fixtures for the runner: tiny models on a devhub, and a queue in real git.

Models are built once per test session (random weights, a tokenizer trained on the spot) and
published to a devhub, the project's own Hub-compatible server, which the runner reaches
through ``HF_ENDPOINT`` exactly as it would reach huggingface.co. Every queue is a bare git
remote with clones, so claims and records go through real pushes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from leaderboard.core.ids import request_path
from leaderboard.core.models import Request
from leaderboard.store.repo import Repo
from tests.lbtest import GIT_ENV, SETTINGS, Queue, git
from tests.runner.runnertest import Models

#: Two nested loops: Jinja's sandbox caps each range(), not their product (minutes a render).
SLOW_TEMPLATE = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
#: A template that raises, with a message written for the bot's comment.
RAISING_TEMPLATE = "{{ raise_exception('\u202e' ~ '### ✅ Valid @org\r[x](https://e.vil)') }}"


@pytest.fixture(scope="session")
def hub_models(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Models:
    """acme/tiny (the shared tiny model, with chat template), acme/tiny-lora (an adapter on
    it), acme/broken (its config names a hidden size its weights do not have), acme/pickled
    (only a .bin file)."""
    from filelock import FileLock

    from leaderboard.devtools.devhub import publish
    from leaderboard.devtools.tinymodels import build_tiny_adapter, model_card

    tiny = tiny_model_dir
    # Built once for all xdist workers, next to the shared tiny model.
    lora = tiny.parent / "tiny-lora"
    with FileLock(str(lora) + ".lock"):
        if not (lora / "README.md").exists():
            build_tiny_adapter(tiny, lora)
            (lora / "README.md").write_text(model_card(base_model="acme/tiny"))
    base = tmp_path_factory.mktemp("models")
    root = base / "hub"
    models = Models(root)
    models.shas["acme/tiny"] = publish(root, "acme/tiny", tiny)
    models.shas["acme/tiny-lora"] = publish(root, "acme/tiny-lora", lora)
    files = {p.name: p.read_bytes() for p in tiny.iterdir() if p.is_file()}
    config = files["config.json"].decode().replace('"hidden_size": 64', '"hidden_size": 96')
    assert config != files["config.json"].decode()
    models.shas["acme/broken"] = publish(
        root, "acme/broken", {**files, "config.json": config.encode()}
    )
    pickled = {k: v for k, v in files.items() if k != "model.safetensors"}
    pickled["pytorch_model.bin"] = b"not really a pickle, and never opened"
    models.shas["acme/pickled"] = publish(root, "acme/pickled", pickled)
    # A base that its owner changes after the adapter over it was merged (issue 22).
    models.shas["acme/growing"] = publish(root, "acme/growing", tiny)
    # Chat templates that never finish, and that raise with text meant for the comment.
    models.shas["acme/slowchat"] = publish(
        root, "acme/slowchat", {**files, "chat_template.jinja": SLOW_TEMPLATE.encode()}
    )
    models.shas["acme/raisechat"] = publish(
        root, "acme/raisechat", {**files, "chat_template.jinja": RAISING_TEMPLATE.encode()}
    )
    return models


@pytest.fixture
def hub_env(hub_models: Models, tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of a runner process that reaches the devhub as its Hub."""
    from leaderboard.devtools.devhub import serve

    with serve(hub_models.root) as url:
        env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
        env.update(
            HF_ENDPOINT=url,
            HF_HOME=str(tmp_path / "hf-home"),
            HF_HUB_CACHE=str(tmp_path / "hf-cache"),
            HF_HUB_DISABLE_TELEMETRY="1",
            HF_DATASETS_OFFLINE="1",
            TOKENIZERS_PARALLELISM="false",
            OMP_NUM_THREADS="1",
            **GIT_ENV,
        )
        yield env


@pytest.fixture
def make_queue(tmp_path: Path):
    """``make_queue(requests, settings=…)``: a bare remote whose main holds those requests."""

    def make(requests: list[Request], settings: str = SETTINGS) -> tuple[Queue, list[str]]:
        seed = tmp_path / "seed"
        seed.mkdir()
        git(seed, "init", "-q", "-b", "main")
        (seed / ".gitignore").write_text(".details/\n")
        (seed / "curation").mkdir()
        (seed / "curation" / "settings.yaml").write_text(settings)
        paths = []
        for request in requests:
            rel = request_path(request.identity)
            Repo(seed).write_request(rel, request, create=True)
            paths.append(rel)
        git(seed, "add", "-A")
        git(seed, "commit", "-q", "-m", "seed the queue")
        remote = tmp_path / "remote.git"
        git(tmp_path, "clone", "-q", "--bare", str(seed), str(remote))
        return Queue(remote, tmp_path), paths

    return make
