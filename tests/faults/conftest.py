"""Fixtures for the fault tests: one real evaluation bundle shared by the tests that record.

The recording faults (disk full, killed while recording, pushes rejected) need what a real run
leaves behind: lm-eval's results JSON with provenance and its per-sample files. One bundle is
made per test session by the real ``leaderboard evaluate --no-git`` on the tiny model served
by the devhub, and every test records a copy of it into its own queue.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from leaderboard.core.ids import request_path
from leaderboard.core.models import Request
from leaderboard.store.repo import Repo
from tests.faults.faultkit import leaderboard
from tests.lbtest import git, make_request


@dataclass
class Bundle:
    """A finished run's bundle and the request (RUNNING, attempt 1) it belongs to."""

    path: Path
    request: Request

    @property
    def rel(self) -> str:
        return request_path(self.request.identity)


@pytest.fixture(scope="session")
def shared_bundle(tmp_path_factory: pytest.TempPathFactory, tiny_model_dir: Path) -> Bundle:
    from filelock import FileLock

    from leaderboard.core.models import utcnow
    from leaderboard.core.transitions import mark_running
    from leaderboard.devtools.devhub import publish, serve

    base = tmp_path_factory.getbasetemp()
    # Under xdist, basetemp is per worker and its parent per session: share the bundle there.
    shared = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "faults-bundle"
    shared.mkdir(exist_ok=True)
    done = shared / "request.json"
    with FileLock(str(shared.parent / "faults-bundle.lock")):
        if not done.exists():
            sha = publish(shared / "hub", "acme/tiny", tiny_model_dir)
            request = mark_running(make_request("acme/tiny", sha), "gpu-1", utcnow())
            repo = shared / "repo"
            repo.mkdir()
            git(repo, "init", "-q", "-b", "main")
            (repo / "curation").mkdir()
            (repo / "curation" / "settings.yaml").write_text("schema_version: 1\nsuite: demo\n")
            Repo(repo).write_request(request_path(request.identity), request, create=True)
            git(repo, "add", "-A")
            git(repo, "commit", "-q", "-m", "seed")
            with serve(shared / "hub") as url:
                env = {
                    "HF_ENDPOINT": url,
                    "HF_HOME": str(shared / "hf-home"),
                    "HF_HUB_CACHE": str(shared / "hf-cache"),
                    "HF_DATASETS_OFFLINE": "1",
                    "OMP_NUM_THREADS": "1",
                }
                proc = leaderboard(
                    "evaluate",
                    request_path(request.identity),
                    "--no-git",
                    "--out",
                    str(shared / "bundle"),
                    "--limit",
                    "2",
                    "--runner",
                    "gpu-1",
                    "--root",
                    str(repo),
                    cwd=repo,
                    env=env,
                )
            assert proc.returncode == 0, proc.stderr[-3000:]
            done.write_text(request.model_dump_json())
    return Bundle(shared / "bundle", Request.model_validate_json(done.read_text()))


@pytest.fixture
def bundle(shared_bundle: Bundle, tmp_path: Path) -> Bundle:
    """A private copy of the session's bundle."""
    copy = tmp_path / "bundle"
    shutil.copytree(shared_bundle.path, copy)
    return Bundle(copy, shared_bundle.request)


@pytest.fixture(autouse=True)
def _fresh_transformers_hub_client() -> None:
    """transformers keeps one ``HfApi`` for the process (``transformers.utils.hub._hf_api``),
    built with the endpoint of the first devhub it met. A later test's devhub listens on another
    port, so ``AutoTokenizer`` would ask a dead server and sit in the client's 23 s of retries.
    Forget it before each test (the shared ``devhub`` fixture should do this too)."""
    import sys

    hub = sys.modules.get("transformers.utils.hub")
    if hub is not None and hasattr(hub, "_hf_api"):
        hub._hf_api = None
