"""Shared fixtures: a running devhub (the project's local Hub), a tiny model, a git remote.

Hub settings are read by ``huggingface_hub`` at import, so the ``devhub`` fixture patches
``huggingface_hub.constants`` (endpoint, URL template, cache) for in-process calls and sets the
environment for subprocesses. Each test gets its own cache: a cached file would hide errors
(a gated repo quietly serves the copy). Stopping the server closes pooled connections.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.lbtest import DevHub, GitCheckout, git, start_devhub

# Before any test module imports huggingface_hub: no token, no telemetry, no shared cache.
os.environ.pop("HF_TOKEN", None)
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ.pop("HF_HUB_OFFLINE", None)
os.environ.setdefault("HF_HOME", tempfile.mkdtemp(prefix="leaderboard-test-hf-"))


@pytest.fixture
def devhub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[DevHub]:
    """An empty devhub over ``tmp_path/hub``, with a test-private cache."""
    yield from start_devhub(tmp_path / "hub", tmp_path / "hf-cache", monkeypatch)


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny Llama with tokenizer and chat template, built once for all xdist workers."""
    from filelock import FileLock

    from leaderboard.devtools.tinymodels import CHAT_TEMPLATE, build_tiny_model, model_card

    shared = tmp_path_factory.getbasetemp().parent
    out = shared / "tiny-model"
    with FileLock(str(shared / "tiny-model.lock")):
        if not (out / "model.safetensors").exists():
            build_tiny_model(out, chat_template=CHAT_TEMPLATE)
            (out / "README.md").write_text(model_card(), encoding="utf-8")
    return out


@pytest.fixture
def leaderboard_repo(tmp_path: Path) -> GitCheckout:
    """A real git repository: bare origin, a clone on ``main`` with settings (maintainer
    ``alice``) pushed to ``origin/main``."""
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
    checkout = GitCheckout(tmp_path / "checkout", origin)
    git(tmp_path, "clone", "-q", str(origin), str(checkout.path))
    checkout.git("checkout", "-q", "-B", "main")
    checkout.write("curation/settings.yaml", "schema_version: 1\nmaintainers: [alice]\n")
    checkout.commit("settings")
    checkout.git("push", "-q", "-u", "origin", "main")
    return checkout


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """A headless system Chromium driven by Playwright, shared by every browser test.

    Without one the browser tests skip on a developer's machine but fail in CI (``CI`` set):
    a green CI run must never hide tests that did not run.
    """
    from leaderboard.devtools.browsers import CHROMIUM_ARGS, find_chromium

    chromium = find_chromium()
    if not chromium:
        message = "no system Chromium: install Debian's chromium (scripts/dev.sh test does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()
