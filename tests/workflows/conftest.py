"""Fixtures for the workflow rehearsal: tiny models on a devhub, and a scenario's GitHub."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from leaderboard.core.codeowners import render_codeowners
from leaderboard.core.ids import request_path
from leaderboard.core.models import Request
from leaderboard.store.yaml_strict import dump_yaml
from tests.lbtest import SETTINGS
from tests.workflows.rehearsal import Rehearsal


@pytest.fixture(scope="session")
def hub_root(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """acme/tiny (the shared tiny model), acme/broken (a config its weights contradict) and
    acme/llama-70b (header-only: the size of a 70B model, no weights)."""
    from leaderboard.devtools.devhub import publish

    root = tmp_path_factory.mktemp("rehearsal-hub") / "hub"
    shas = {"acme/tiny": publish(root, "acme/tiny", tiny_model_dir)}
    files = {p.name: p.read_bytes() for p in tiny_model_dir.iterdir() if p.is_file()}
    config = files["config.json"].decode().replace('"hidden_size": 64', '"hidden_size": 96')
    assert config != files["config.json"].decode()
    shas["acme/broken"] = publish(root, "acme/broken", {**files, "config.json": config.encode()})
    # A 70B model as the Hub serves it up to its weights (config and safetensors headers).
    from leaderboard.devtools.bigmodels import LLAMA_SHAPES, publish_header_only

    shas["acme/llama-70b"] = publish_header_only(
        root, "acme/llama-70b", shape=LLAMA_SHAPES["llama-3.1-70b"], tokenizer_dir=tiny_model_dir
    )
    return root, shas


@pytest.fixture
def github(hub_root: tuple[Path, dict], tmp_path: Path) -> Iterator[Rehearsal]:
    from leaderboard.devtools.devhub import serve

    root, _ = hub_root
    with serve(root) as url:
        rehearsal = Rehearsal(tmp_path, url, SETTINGS)
        rehearsal.commit_main({".github/CODEOWNERS": render_codeowners(["alice"])}, "Owners")
        yield rehearsal


@pytest.fixture
def shas(hub_root: tuple[Path, dict]) -> dict:
    return hub_root[1]


def request_file(
    model: str, sha: str, *, submitter: str, age_minutes: int = 5, **fields
) -> tuple[str, str]:
    """(path, text) of a request as `leaderboard submit` writes it; dates from the clock."""
    request = Request(
        model=model,
        revision=sha,
        precision=fields.pop("precision", "float16"),
        model_type=fields.pop("model_type", "pretrained"),
        submitter=submitter,
        submitted_at=datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=age_minutes),
        **fields,
    )
    return request_path(request.identity), dump_yaml(request)


@pytest.fixture
def new_request() -> Callable[..., tuple[str, str]]:
    return request_file
