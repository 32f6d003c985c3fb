"""``record`` as evaluate.yml runs it (``record --push --claimed JSON --from bundles``), fed
bundles that someone able to upload an artifact in the run (a compromised GPU job) forged.

Only the claimed requests are recorded, each from the artifact named for it and at its claimed
attempt; a path that would leave its folder is refused before anything is written; and one bad
bundle is given up alone, its claim retried, while the others are recorded.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from leaderboard.core.errors import BundleRefused
from leaderboard.core.ids import request_path
from leaderboard.core.models import FailureCategory, Status, utcnow
from leaderboard.core.transitions import mark_running
from leaderboard.queue import records
from leaderboard.queue.bundles import OUTCOME_FILE, RESULT_FILE
from leaderboard.queue.claims import CommitPolicy
from leaderboard.queue.matrix import artifact_name
from leaderboard.store.repo import Repo
from tests.faults.faultkit import leaderboard
from tests.lbtest import Queue, make_request

NEVER_SHA = "b" * 40


def _forge(bundle: Path, dest: Path, rel: str, model: str, sha: str, **prov) -> Path:
    """A copy of a real bundle that says it is ``rel``'s, with its scores at 100%."""
    shutil.copytree(bundle, dest)
    outcome = json.loads((dest / OUTCOME_FILE).read_text())
    outcome.update(request=rel, attempt=1)
    (dest / OUTCOME_FILE).write_text(json.dumps(outcome))
    doc = json.loads((dest / RESULT_FILE).read_text())
    doc["provenance"].update(request=rel, model=model, revision=sha, attempt=1, **prov)
    for metrics in doc["results"].values():
        for key in metrics:
            if isinstance(metrics[key], float) and "stderr" not in key:
                metrics[key] = 1.0
    (dest / RESULT_FILE).write_text(json.dumps(doc))
    return dest


@pytest.fixture
def world(tmp_path, bundle):
    """A queue with the bundle's request claimed (attempt 1) and one never claimed."""
    claimed = mark_running(bundle.request.model_copy(update={"attempts": 0}), "gpu-1", utcnow())
    never = make_request("acme/never", NEVER_SHA)
    queue = Queue.create(tmp_path, [claimed, never], settings="schema_version: 1\nsuite: demo\n")
    clone = queue.clone("recorder")
    return queue, clone, bundle.rel, request_path(never.identity)


def _record(clone: Path, claimed: list[str], folder: Path):
    return leaderboard(
        "record", "--push", "--claimed", json.dumps(claimed), "--from", str(folder), cwd=clone
    )


def test_a_bundle_for_a_request_never_claimed_is_not_recorded(world, bundle, tmp_path):
    queue, clone, rel, never_rel = world
    folder = tmp_path / "bundles"
    shutil.copytree(bundle.path, folder / artifact_name(rel))
    _forge(bundle.path, folder / artifact_name(never_rel), never_rel, "acme/never", NEVER_SHA)
    proc = _record(clone, [rel], folder)
    assert proc.returncode == 0, proc.stderr
    assert "not the artifact of a request this run claimed: ignored" in proc.stdout
    assert queue.request(rel).status is Status.finished
    assert queue.request(never_rel).status is Status.pending
    assert not [f for f in queue.files("results") if "never" in f]
    assert not [f for f in queue.files("index") if "never" in f]


def test_a_forged_bundle_in_a_claimed_artifact_is_refused_and_the_claim_retried(
    world, bundle, tmp_path
):
    queue, clone, rel, never_rel = world
    folder = tmp_path / "bundles"
    _forge(bundle.path, folder / artifact_name(rel), never_rel, "acme/never", NEVER_SHA)
    proc = _record(clone, [rel], folder)
    assert proc.returncode == 0, proc.stderr
    assert "holds a bundle for another request" in proc.stdout
    assert queue.files("results") == []
    assert queue.request(never_rel).status is Status.pending
    now = queue.request(rel)
    assert (now.status, now.attempts) == (Status.pending, 1)  # retried: infrastructure


def test_a_bundle_is_recorded_only_at_its_claimed_attempt(world, bundle, tmp_path):
    """By hand too (``record BUNDLE``): git's claim, not the bundle, says which attempt ran."""
    _, clone, _, never_rel = world
    forged = _forge(bundle.path, tmp_path / "forged", never_rel, "acme/never", NEVER_SHA)
    with pytest.raises(BundleRefused, match="git holds no claim"):
        records.record(Repo(clone), forged, policy=CommitPolicy())
    later = tmp_path / "later"
    shutil.copytree(bundle.path, later)
    outcome = json.loads((later / OUTCOME_FILE).read_text())
    (later / OUTCOME_FILE).write_text(json.dumps({**outcome, "attempt": 7}))
    doc = json.loads((later / RESULT_FILE).read_text())
    doc["provenance"]["attempt"] = 7
    (later / RESULT_FILE).write_text(json.dumps(doc))
    with pytest.raises(BundleRefused, match="attempt 7"):
        records.record(Repo(clone), later, policy=CommitPolicy())
    assert not (clone / "results").exists()


def test_a_suite_name_that_climbs_out_writes_nothing_anywhere(world, bundle, tmp_path):
    queue, clone, rel, _ = world
    folder = tmp_path / "bundles"
    shutil.copytree(bundle.path, folder / artifact_name(rel))
    result = folder / artifact_name(rel) / RESULT_FILE
    doc = json.loads(result.read_text())
    doc["provenance"]["suite"] = "../../../../../escaped"
    result.write_text(json.dumps(doc))
    before = {p for p in tmp_path.rglob("*") if "bundles" not in p.parts}
    proc = _record(clone, [rel], folder)
    assert proc.returncode == 0, proc.stderr
    assert "refused" in proc.stdout and "suite" in proc.stdout
    written = {p for p in tmp_path.rglob("*") if "bundles" not in p.parts} - before
    assert not [p for p in written if "escaped" in p.name or ".details" in p.parts]
    assert queue.files("results") == []
    assert queue.request(rel).status is Status.pending


def test_one_malformed_bundle_does_not_stop_the_others(tmp_path, bundle):
    good = mark_running(bundle.request.model_copy(update={"attempts": 0}), "gpu-1", utcnow())
    broken = mark_running(make_request("acme/broken", NEVER_SHA), "gpu-2", utcnow())
    queue = Queue.create(tmp_path, [broken, good], settings="schema_version: 1\nsuite: demo\n")
    clone = queue.clone("recorder")
    broken_rel = request_path(broken.identity)
    folder = tmp_path / "bundles"
    bad = folder / artifact_name(broken_rel)
    bad.mkdir(parents=True)
    (bad / OUTCOME_FILE).write_text('{"request": "x\\r@org #1", "attempt": ')
    shutil.copytree(bundle.path, folder / artifact_name(bundle.rel))
    # The broken one sorts first: before the fix, it stopped the job there.
    proc = _record(clone, [broken_rel, bundle.rel], folder)
    assert proc.returncode == 0, proc.stderr
    assert queue.request(bundle.rel).status is Status.finished
    now = queue.request(broken_rel)
    assert (now.status, now.attempts) == (Status.pending, 1)
    message = queue.subjects()
    assert any(
        s.startswith(f"Record failure ({FailureCategory.infrastructure}) of {broken_rel}")
        for s in message
    )
    assert "\r" not in proc.stdout
