"""Attested results: the notes the record job commits, and checking them with ``gh``.

GitHub's artifact attestations bind a file's SHA-256 to a signed statement made by one
workflow of one repository (Sigstore, with the signer's identity from the job's OIDC token).
The record job attests each result and its index entry (``queue.attestation``), then commits
a note per result (``attestations/<org>/<model>/<result file>``, :class:`AttestationNote`):
that is how the site knows, without asking GitHub, which rows are attested and which command
checks them. ``gh attestation verify`` is the check; the note only names it.
"""

from __future__ import annotations

import hashlib
import json
import shlex
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError as PydanticValidationError

from ..core.errors import LeaderboardError
from ..core.ids import ATTESTATIONS_DIR, RESULTS_DIR, attestation_path, index_path
from ..core.models import EVALUATE_WORKFLOW, PREDICATE_TYPE, AttestationNote
from .gh import gh
from .repo import Repo

#: What a successful check proves, and what it cannot: printed by ``leaderboard verify`` and
#: said on the site, so that nobody reads more into "attested" than it carries.
PROVES = (
    "this file, byte for byte, was signed by this repository's evaluate workflow in the run "
    "named, on a GitHub-hosted runner (the record job), with the request, commit, runner pool "
    "and bundle digest that its statement lists"
)
DOES_NOT_PROVE = (
    "that the model was evaluated honestly or on the hardware the provenance declares (the GPU "
    "job that ran it is not the signer, and its machine is the deployment's own), that the "
    "tasks were free of contamination, or that the scores mean what the suite says: it proves "
    "where the file came from, not that its contents are right"
)


def note_files(repo: Repo) -> set[str]:
    """Every note in the checkout (``attestations/<org>/<model>/*.json``)."""
    return set(repo.files_under(ATTESTATIONS_DIR, ".json"))


def read_note(repo: Repo, rel: str) -> AttestationNote:
    try:
        return AttestationNote.model_validate_json(repo.path(rel).read_bytes())
    except (OSError, PydanticValidationError) as exc:
        raise LeaderboardError(f"{rel}: not an attestation note: {exc}") from None


def note_for(
    repo: Repo, result_rel: str, blob: str | None, notes: set[str]
) -> AttestationNote | None:
    """The note of a result when it exists, is valid and was made for the result's current
    bytes (``blob``: git's id of them); else None. A result changed after it was signed (a
    rename rewrites it) is not attested any more, whatever its old note says."""
    rel = attestation_path(result_rel)
    if rel not in notes or blob is None:
        return None
    try:
        note = read_note(repo, rel)
    except LeaderboardError:
        return None
    if note.result != result_rel or note.blob != blob:
        return None
    return note


def signer_workflow(repository: str) -> str:
    """The evaluate workflow's identity as ``gh attestation verify --signer-workflow`` takes it."""
    return f"{repository}/{EVALUATE_WORKFLOW}"


def verify_args(path: str, repository: str, workflow: str | None = None) -> list[str]:
    """``gh attestation verify`` for one file: the repository, the signing workflow, the
    predicate type (gh checks SLSA provenance by default), and a GitHub-hosted signer."""
    return [
        "attestation",
        "verify",
        path,
        "--repo",
        repository,
        "--signer-workflow",
        workflow or signer_workflow(repository),
        "--predicate-type",
        PREDICATE_TYPE,
        "--deny-self-hosted-runners",
    ]


def verify_command(note: AttestationNote) -> str:
    """The command a reader runs, in a clone of the repository, to check a result."""
    return shlex.join(["gh", *verify_args(note.result, note.repository, note.signer_workflow)])


def repository_of(url: str | None) -> str | None:
    """``owner/name`` of a ``https://github.com/owner/name`` address."""
    if not url:
        return None
    parts = url.removesuffix(".git").rstrip("/").split("/")
    if len(parts) >= 5 and parts[2] == "github.com":
        return f"{parts[3]}/{parts[4]}"
    return None


@dataclass
class Verified:
    """The check of one file: what gh said, and what the signed statement says about it."""

    path: str
    sha256: str
    ok: bool
    reason: str | None = None
    run: str | None = None
    signer: str | None = None
    runner_environment: str | None = None
    predicate: dict[str, Any] = field(default_factory=dict)
    #: The statement's facts about this result: request, commits, pool, bundle digest.
    facts: dict[str, Any] = field(default_factory=dict)


def _facts(predicate: dict[str, Any], result_rel: str) -> dict[str, Any]:
    """The configuration entries that the predicate lists for one result."""
    facts: dict[str, Any] = {}
    for item in predicate.get("configuration") or []:
        notes = item.get("annotations") or {} if isinstance(item, dict) else {}
        if notes.get("result") != result_rel:
            continue
        facts[str(notes.get("role") or item.get("name"))] = item
    return facts


def verify_file(
    data: bytes, path: str, result_rel: str, repository: str, workflow: str | None = None
) -> Verified:
    """Run ``gh attestation verify`` on ``data`` (the bytes git holds for ``path``)."""
    digest = hashlib.sha256(data).hexdigest()
    with tempfile.TemporaryDirectory(prefix="lb-verify-") as tmp:
        file = Path(tmp) / Path(path).name
        file.write_bytes(data)
        try:
            out = gh(*verify_args(str(file), repository, workflow), "--format", "json")
        except LeaderboardError as exc:
            return Verified(path, digest, ok=False, reason=str(exc))
    try:
        results = json.loads(out)
    except json.JSONDecodeError:
        return Verified(path, digest, ok=False, reason="gh printed no JSON")
    for item in results if isinstance(results, list) else []:
        result = (item or {}).get("verificationResult") or {}
        statement = result.get("statement") or {}
        digests = [(s.get("digest") or {}).get("sha256") for s in statement.get("subject") or []]
        if digest not in digests or statement.get("predicateType") != PREDICATE_TYPE:
            continue
        cert = (result.get("signature") or {}).get("certificate") or {}
        predicate = statement.get("predicate") or {}
        return Verified(
            path,
            digest,
            ok=True,
            run=cert.get("runInvocationURI") or predicate.get("url"),
            signer=cert.get("buildSignerURI") or cert.get("subjectAlternativeName"),
            runner_environment=cert.get("runnerEnvironment"),
            predicate=predicate,
            facts=_facts(predicate, result_rel),
        )
    return Verified(path, digest, ok=False, reason="no verified statement names this file")


def describe(check: Verified) -> list[str]:
    """A check in words, one line per fact."""
    if not check.ok:
        return [f"✗ {check.path}: NOT verified: {check.reason}"]
    lines = [
        f"✓ {check.path} (sha256:{check.sha256[:16]}…) attested",
        f"    signed by {check.signer}",
        f"    on a {check.runner_environment or 'unknown'} runner, in run {check.run}",
    ]
    request = check.facts.get("request") or {}
    if request:
        notes = request.get("annotations") or {}
        claimed = str((request.get("digest") or {}).get("gitCommit") or "?")[:12]
        lines.append(f"    request {request.get('name')}, claimed at commit {claimed}")
        lines.append(
            f"    recorded in commit {str(notes.get('recordedCommit') or '?')[:12]}, runner "
            f"{notes.get('runner')}, pool {notes.get('runnerPool') or 'none declared'}"
        )
    bundle = check.facts.get("bundle") or {}
    if bundle:
        digest = (bundle.get("annotations") or {}).get("artifactDigest") or "unknown"
        lines.append(f"    bundle artifact {bundle.get('name')}, digest {digest}")
    return lines


def model_results(repo: Repo, model: str) -> dict[str, str]:
    """``result path -> blob id`` of every result git holds for ``model`` (any case)."""
    from .git import blob_ids

    prefix = f"{RESULTS_DIR}/{model.lower()}/"
    return {
        rel: blob
        for rel, blob in sorted(blob_ids(repo.root, RESULTS_DIR).items())
        if rel.lower().startswith(prefix)
    }


def git_blob(repo: Repo, blob: str) -> bytes:
    from .git import git_bytes

    return git_bytes(repo.root, "cat-file", "blob", blob)


def subjects_of(result_rel: str) -> tuple[str, str]:
    """The two files one attestation covers for a result: the result and its index entry."""
    return result_rel, index_path(result_rel)
