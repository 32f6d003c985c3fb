"""A model repository whose only weights are a pickle that runs code when unpickled.

The payload (``pytorch_model.bin``) writes a marker file when loaded. A control first proves it
really runs code; then ``leaderboard submit`` and ``leaderboard validate`` refuse the model with
a clear message, and the runner fails the request with category ``model`` without ever loading
the file, or even downloading it: the marker never appears. The runner's own pickle test
(``tests/runner/test_runner_failures.py``) uses a harmless fake ``.bin``; this one is live.
"""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from leaderboard.cli.main import main
from leaderboard.core.models import FailureCategory, Status
from tests.faults.faultkit import leaderboard
from tests.lbtest import Queue, make_request
from tests.submissions.submissions_helpers import open_pr, request_text

MODEL = "evil/pickled"


class _Payload:
    """Unpickling this calls ``exec``: exactly what a hostile checkpoint does."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (exec, (f"open({str(self.marker)!r}, 'w').write('pickle code ran')",))


@pytest.fixture
def planted(devhub, tiny_model_dir: Path, tmp_path: Path) -> tuple[str, Path]:
    """``evil/pickled`` on the devhub: the tiny model's config, tokenizer and card, and a
    live pickle as its only weights. Returns its sha and the marker path."""
    marker = tmp_path / "PICKLE-CODE-RAN"
    files = {
        p.name: p.read_bytes()
        for p in tiny_model_dir.iterdir()
        if p.is_file() and p.suffix != ".safetensors"
    }
    files["pytorch_model.bin"] = pickle.dumps(_Payload(marker))
    sha = devhub.publish(MODEL, files)
    # Control: the payload is live. Unpickled in a throwaway process, it writes the marker.
    control = tmp_path / "control"
    payload = pickle.dumps(_Payload(control))
    subprocess.run(
        [sys.executable, "-c", "import pickle,sys; pickle.loads(sys.stdin.buffer.read())"],
        input=payload,
        check=True,
    )
    assert control.read_text() == "pickle code ran"
    return sha, marker


def test_submit_refuses_a_pickle_only_model(leaderboard_repo, planted, capsys):
    sha, marker = planted
    args = ["--precision", "float16", "--model-type", "pretrained", "--submitter", "bob"]
    code = main(["submit", "--repo", str(leaderboard_repo.path), MODEL, "--revision", sha, *args])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "[hub-safetensors]" in err and "pytorch_model.bin" in err
    assert "pickled weights can run code" in err
    assert not (leaderboard_repo.path / "requests").exists()
    assert not marker.exists()


def test_validate_refuses_a_pickle_only_model(leaderboard_repo, planted, capsys):
    sha, marker = planted
    rel, text = request_text(MODEL, sha, precision="float16")
    open_pr(leaderboard_repo, {rel: text})
    base = ["--base", "origin/main", "--author", "bob", "--json"]
    code = main(["validate", "--repo", str(leaderboard_repo.path), *base])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    (problem,) = [p for p in report["problems"] if p["rule"] == "hub-safetensors"]
    assert problem["path"] == rel
    assert "has no safetensors weights" in problem["message"]
    assert "pytorch_model.bin" in problem["message"]
    assert not marker.exists()


def test_the_runner_never_loads_the_pickle(tmp_path, devhub, planted):
    sha, marker = planted
    queue = Queue.create(tmp_path / "q", [make_request(MODEL, sha)])
    (rel,) = queue.files("requests")
    clone = queue.clone("runner")
    proc = leaderboard(
        "evaluate",
        "--next",
        "--push",
        "--limit",
        "2",
        "--runner",
        "gpu-1",
        "--json",
        cwd=clone,
        env=devhub.env(),
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    failed = queue.request(rel)
    assert failed.status is Status.failed
    assert failed.failure_category is FailureCategory.model
    assert failed.failure_reason.startswith(f"{MODEL}@{sha[:12]} has no weights in safetensors")
    assert "(found only pytorch_model.bin)" in failed.failure_reason
    assert "convert them" in failed.failure_reason
    assert queue.files("results") == []
    assert not marker.exists()
    # Not even downloaded: the runner decides from the file list alone.
    assert not list(devhub.cache.rglob("pytorch_model.bin"))
