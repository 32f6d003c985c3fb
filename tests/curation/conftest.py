"""Fixtures for the curation tests (helpers live in ``curation_world``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.curation.curation_world import World
from tests.lbtest import VALIDATE_MODES


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seed once per test process; each test gets a copy (git setup is the slow part)."""
    tmp = tmp_path_factory.mktemp("seeded")
    World(tmp)
    return tmp


@pytest.fixture(params=VALIDATE_MODES)
def world(request: pytest.FixtureRequest, tmp_path: Path, seeded: Path) -> World:
    """A fresh world; every curation test runs on checkouts and as validate.yml runs it."""
    out = World(tmp_path, template=seeded)
    out.mode = request.param
    return out
