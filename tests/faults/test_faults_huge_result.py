"""A model repository that makes lm-eval's output huge: the committed result stays bounded.

lm-eval copies the chat template (and the environment, the task configurations) into its
results JSON. A real bundle from the tiny model gets a 19 MB chat template, as a hostile
tokenizer_config.json would give it; recording must commit a small result that keeps the
template's size and SHA-256, with the template itself in the details store.
"""

from __future__ import annotations

import hashlib
import json

import pytest

from leaderboard.cli.main import main
from leaderboard.core import transitions
from leaderboard.core.errors import ValidationFailed
from leaderboard.core.models import Status, utcnow
from leaderboard.devtools.synthetic import full_template
from leaderboard.queue import records
from leaderboard.queue.bundles import RESULT_FILE
from leaderboard.queue.caps import RESULT_LIMIT, restore
from leaderboard.queue.claims import CommitPolicy
from leaderboard.store.repo import Repo
from tests.lbtest import Queue

ORIGIN = CommitPolicy(remote="origin", branch="main")


def test_a_20_mb_chat_template_is_not_committed(tmp_path, bundle):
    result_file = bundle.path / RESULT_FILE
    doc = json.loads(result_file.read_text("utf-8"))
    template = "{{ bos_token }}" + "A" * (19 * 1024 * 1024)
    doc["chat_template"] = template
    result_file.write_text(json.dumps(doc), encoding="utf-8")
    claimed = transitions.mark_running(
        bundle.request.model_copy(update={"attempts": 0}), "g", utcnow()
    )
    queue = Queue.create(tmp_path, [claimed])
    clone = queue.clone("recorder")
    state = records.record(Repo(clone), bundle.path, policy=ORIGIN)
    assert state is not None and state.status is Status.finished
    (rel,) = queue.files("results")
    committed = (clone / rel).read_bytes()
    assert len(committed) < RESULT_LIMIT
    moved = json.loads(committed)["chat_template"]
    assert moved["bytes"] == len(template.encode())
    assert moved["sha256"] == hashlib.sha256(template.encode()).hexdigest()
    details = clone / json.loads(committed)["provenance"]["details"]
    assert (details / moved["moved_to_details"]).read_text("utf-8") == template


def test_a_real_size_result_commits_a_verified_subset(tmp_path, bundle, capsys):
    """lm-eval's task configs (73% of a real result) go to the details store; the committed
    file is unindented, and `restore` gives lm-eval's whole output back, checked by SHA-256."""
    result_file = bundle.path / RESULT_FILE
    doc = json.loads(result_file.read_text("utf-8"))
    doc["configs"] = full_template()["configs"]
    result_file.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    claimed = transitions.mark_running(
        bundle.request.model_copy(update={"attempts": 0}), "g", utcnow()
    )
    queue = Queue.create(tmp_path, [claimed])
    clone = queue.clone("recorder")
    records.record(Repo(clone), bundle.path, policy=ORIGIN)
    (rel,) = queue.files("results")
    committed_text = (clone / rel).read_text("utf-8")
    assert committed_text.count("\n") == 1, "one line, no indentation"
    committed = json.loads(committed_text)
    assert set(committed["configs"]) == {"moved_to_details", "bytes", "sha256"}
    details = clone / committed["provenance"]["details"]
    whole = restore(committed, details, rel)
    assert whole["configs"] == doc["configs"]
    assert whole["results"] == committed["results"]
    capsys.readouterr()
    assert main(["full-result", rel, "--root", str(clone), "--details", str(details)]) == 0
    assert json.loads(capsys.readouterr().out) == whole

    moved = details / committed["configs"]["moved_to_details"]
    moved.write_bytes(moved.read_bytes().replace(b"leaderboard_", b"leaderboarD_", 1))
    with pytest.raises(ValidationFailed) as err:
        restore(committed, details, rel)
    (problem,) = err.value.problems
    assert (problem.path, problem.field) == (rel, "configs")
    assert "SHA-256" in problem.message and str(moved) in problem.message
