"""Issue 27: a recorded result is signed with its index entry, noted, shown and verifiable.

Each step is the real command the record job runs, in the order the workflow runs them; only
GitHub's part (signing, the attestation API, ``gh``) is a stand-in, pinned in test_standins.py.
"""

from __future__ import annotations

import hashlib
import json
import subprocess

import pytest

from leaderboard.core.ids import attestation_path, index_path
from leaderboard.core.models import PREDICATE_TYPE, AttestationNote
from leaderboard.queue.matrix import artifact_name
from leaderboard.store.repo import Repo
from leaderboard.table.rows import rows
from tests.lbtest import git
from tests.workflows import attestkit


def _record(sc: attestkit.Scene, *, pool: str | None = None):
    recorder = sc.clone("recorder")
    claim = git(recorder, "rev-parse", "HEAD")
    folder = attestkit.bundle(sc, sc.tmp / "bundles" / "b", claim, pool=pool)
    proc = sc.leaderboard(
        "record", "--push", "--from", str(folder.parent), "--attest-plan", "attest", cwd=recorder
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return recorder, folder


def _sign_and_note(sc: attestkit.Scene, recorder):
    out = sc.attest(
        recorder,
        subject_checksums="attest/subjects.sha256",
        predicate_type=PREDICATE_TYPE,
        predicate_path="attest/predicate.json",
    )
    proc = sc.leaderboard(
        "attest-note",
        "--plan",
        "attest",
        "--push",
        "--attestation-id",
        out["attestation-id"],
        "--attestation-url",
        out["attestation-url"],
        cwd=recorder,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


def test_the_record_step_plans_exactly_the_result_and_its_index_entry(tmp_path):
    sc = attestkit.scene(tmp_path)
    recorder, folder = _record(sc)
    [result] = [
        f
        for f in git(sc.remote, "ls-tree", "-r", "--name-only", "main").split()
        if f.startswith("results/")
    ]
    lines = (recorder / "attest" / "subjects.sha256").read_text().splitlines()
    got = dict(reversed(line.split("  ", 1)) for line in lines)
    assert set(got) == {result, index_path(result)}  # exactly these two subjects
    for path in got:
        blob = git(sc.remote, "rev-parse", f"main:{path}")
        data = Repo(recorder).path(path).read_bytes()
        assert got[path] == hashlib.sha256(data).hexdigest()
        assert git(recorder, "hash-object", str(recorder / path)) == blob
    predicate = json.loads((recorder / "attest" / "predicate.json").read_text())
    assert predicate["result"] == "PASSED" and predicate["passedTests"] == [result]
    assert (
        predicate["url"]
        == f"https://github.com/{attestkit.REPOSITORY}/actions/runs/{attestkit.RUN_ID}/attempts/1"
    )
    request, bundle = predicate["configuration"]
    claim = git(sc.remote, "rev-list", "--max-parents=0", "main")
    assert request["name"] == sc.rel and request["digest"] == {"gitCommit": claim}
    assert request["uri"] == f"git+https://github.com/{attestkit.REPOSITORY}@{claim}#{sc.rel}"
    notes = request["annotations"]
    assert notes["runnerPool"] is None and notes["result"] == result  # no pools declared
    assert notes["recordedCommit"] == git(
        sc.remote, "log", "-1", "--format=%H", "main", "--", result
    )
    # The bundle, named by its artifact and the digest GitHub lists for it.
    listed = subprocess.run(
        ["gh", "api", f"repos/{attestkit.REPOSITORY}/actions/runs/{attestkit.RUN_ID}/artifacts"],
        env=sc.env(),
        capture_output=True,
        text=True,
        check=True,
    )
    [artifact] = json.loads(listed.stdout)["artifacts"]
    assert bundle["name"] == artifact["name"] == artifact_name(sc.rel)
    assert bundle["annotations"]["artifactDigest"] == artifact["digest"]
    assert bundle["digest"] == {"sha256": artifact["digest"].removeprefix("sha256:")}
    raw = (folder / "result.json").read_bytes()
    assert bundle["annotations"]["resultSha256"] == hashlib.sha256(raw).hexdigest()


def test_the_runner_pool_comes_from_the_provenance_or_the_claim():
    from leaderboard.queue.attestation import _pool

    request = attestkit.Request(
        model="acme/tiny",
        revision="a" * 40,
        precision="float16",
        model_type="pretrained",
        submitter="bob",
        submitted_at=attestkit.utcnow(),
    )
    assert _pool({"pool": "gpu-80gb"}, request) == "gpu-80gb"
    assert _pool({"runner_pool": "8x80"}, request) == "8x80"
    assert _pool({}, request) is None


def test_with_attestations_off_nothing_is_planned(tmp_path):
    sc = attestkit.scene(tmp_path, attestkit.SETTINGS + "attestations: false\n")
    recorder, _ = _record(sc)
    assert not (recorder / "attest").exists()  # nothing to sign: the workflow skips the step


def test_signed_noted_shown_and_verified_by_a_reader(tmp_path):
    sc = attestkit.scene(tmp_path)
    recorder, _ = _record(sc)
    out = _sign_and_note(sc, recorder)
    [statement] = sc.statements()
    result = json.loads((recorder / "attest" / "recorded.json").read_text())["recorded"][0][
        "result"
    ]
    assert {s["name"] for s in statement["statement"]["subject"]} == {result, index_path(result)}
    # The note, on main, names what was signed and how to check it.
    note = AttestationNote.model_validate_json(
        git(sc.remote, "show", f"main:{attestation_path(result)}")
    )
    assert note.attestation_url == out["attestation-url"]
    assert note.blob == git(sc.remote, "rev-parse", f"main:{result}")
    # The site's row says so, with the exact command.
    reader = sc.clone("reader")
    [row] = rows(Repo(reader))
    assert row.attestation == out["attestation-url"]
    assert row.verify == (
        f"gh attestation verify {result} --repo {attestkit.REPOSITORY} --signer-workflow "
        f"{attestkit.REPOSITORY}/.github/workflows/evaluate.yml --predicate-type {PREDICATE_TYPE} "
        "--deny-self-hosted-runners"
    )
    # A reader with gh checks both files.
    proc = sc.leaderboard("verify", "acme/tiny", cwd=reader)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    marks = [line[:2] for line in proc.stdout.splitlines() if line[:2] in ("✓ ", "✗ ")]
    assert marks == ["✓ ", "✓ "], proc.stdout
    assert f"request {sc.rel}" in proc.stdout and "github-hosted runner" in proc.stdout
    assert "What it does not prove" in proc.stdout and "hardware" in proc.stdout
    checked = json.loads(sc.leaderboard("verify", "acme/tiny", "--json", cwd=reader).stdout)
    assert checked["ok"] and {f["path"] for f in checked["files"]} == {result, index_path(result)}


def test_a_changed_result_or_an_unsigned_one_is_not_attested(tmp_path):
    sc = attestkit.scene(tmp_path)
    recorder, _ = _record(sc)
    _sign_and_note(sc, recorder)
    reader = sc.clone("reader")
    result = json.loads((recorder / "attest" / "recorded.json").read_text())["recorded"][0][
        "result"
    ]
    # Someone with push rights edits the score: the bytes are no longer the signed ones.
    data = json.loads((reader / result).read_text())
    data["results"]["demo_arithmetic"]["acc,none"] = 0.99
    (reader / result).write_text(json.dumps(data) + "\n")
    git(reader, "commit", "-qam", "a better score")
    proc = sc.leaderboard("verify", "acme/tiny", cwd=reader)
    assert proc.returncode == 1
    assert f"✗ {result}: NOT verified" in proc.stdout and "No attestations found" in proc.stdout
    assert f"✓ {index_path(result)}" in proc.stdout  # the entry is still the signed one
    [row] = rows(Repo(reader))
    assert row.attestation is None and row.verify is None  # the site says "not attested"


@pytest.mark.parametrize(
    ("flag", "value"),
    [
        ("--signer-workflow", f"{attestkit.REPOSITORY}/.github/workflows/other.yml"),
        ("--repo", "mallory/leaderboard"),
        ("--predicate-type", "https://slsa.dev/provenance/v1"),
    ],
)
def test_another_signer_repository_or_predicate_is_refused(tmp_path, flag, value):
    sc = attestkit.scene(tmp_path)
    recorder, _ = _record(sc)
    _sign_and_note(sc, recorder)
    result = json.loads((recorder / "attest" / "recorded.json").read_text())["recorded"][0][
        "result"
    ]
    flags = {"--repo": attestkit.REPOSITORY, "--predicate-type": PREDICATE_TYPE, flag: value}
    args = [a for pair in flags.items() for a in pair]
    ok = subprocess.run(
        [
            "gh",
            "attestation",
            "verify",
            str(recorder / result),
            "--repo",
            attestkit.REPOSITORY,
            "--predicate-type",
            PREDICATE_TYPE,
        ],
        env=sc.env(),
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stderr
    refused = subprocess.run(
        ["gh", "attestation", "verify", str(recorder / result), *args],
        env=sc.env(),
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 1 and "✗" in refused.stderr
