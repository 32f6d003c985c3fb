"""What the record job asks GitHub to sign, and the notes it commits once GitHub has.

``leaderboard record --attest-plan DIR`` writes, for the results it committed:

- ``subjects.sha256``: each result and its index entry, ``<sha256>  <path>`` (the checksums
  format ``actions/attest`` takes as ``subject-checksums``);
- ``predicate.json``: an in-toto Test Result predicate (one evaluation per result): the
  workflow run, and for each result the request and the commit of its claim, the commit that
  recorded it, the runner and its pool, and the bundle artifact with its digest;
- ``recorded.json``: the same facts for ``leaderboard attest-note``, which commits one note per
  result (``attestations/…``) after the signing step succeeded.

The workflow only wires ``actions/attest`` to these files; nothing here signs anything.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..core.env import (
    ci_log_url,
    github_repository,
    github_run_attempt,
    github_run_id,
    github_workflow_ref,
)
from ..core.errors import LeaderboardError
from ..core.ids import attestation_path, index_path
from ..core.models import PREDICATE_TYPE, AttestationNote, Request, utcnow
from ..store.attestations import repository_of, signer_workflow
from ..store.files import write_text_atomic
from ..store.git import blob_id
from ..store.repo import Repo
from .bundles import RESULT_FILE, read_bundle
from .claims import CommitPolicy
from .matrix import artifact_name
from .records import write_change

SUBJECTS = "subjects.sha256"
PREDICATE = "predicate.json"
RECORDED = "recorded.json"


@dataclass
class Recorded:
    """One committed result, as the plan and the note name it."""

    request: str
    result: str
    index: str
    commit: str | None
    attempt: int
    runner: str
    pool: str | None
    request_commit: str
    suite: str
    suite_version: str
    artifact: str
    #: SHA-256 of the bundle's own result.json, as the GPU job wrote it (before the record
    #: job capped it): ties the committed result to what the evaluation produced.
    bundle_result_sha256: str | None
    sha256: dict[str, str]
    blob: str


def _pool(provenance: dict[str, Any], request: Request) -> str | None:
    """The runner pool the evaluation ran on, from its provenance or its claim; None where
    the deployment declares no pools."""
    for source in (provenance, request.model_dump()):
        for key in ("pool", "runner_pool"):
            value = source.get(key)
            if isinstance(value, str) and value:
                return value
    return None


def recorded(repo: Repo, bundle: Path, result_rel: str, commit: str | None) -> Recorded:
    """The facts of one result the record step just committed from ``bundle``."""
    outcome, _ = read_bundle(bundle)
    data = repo.path(result_rel).read_bytes()
    provenance = json.loads(data).get("provenance") or {}
    rel_index = index_path(result_rel)
    index_data = repo.path(rel_index).read_bytes()
    raw = bundle / RESULT_FILE
    request = repo.read_request(outcome.request)
    return Recorded(
        request=outcome.request,
        result=result_rel,
        index=rel_index,
        commit=commit,
        attempt=outcome.attempt,
        runner=outcome.runner,
        pool=_pool(provenance, request),
        request_commit=str(provenance.get("request_commit") or ""),
        suite=str(provenance.get("suite") or ""),
        suite_version=str(provenance.get("suite_version") or ""),
        artifact=artifact_name(outcome.request),
        bundle_result_sha256=hashlib.sha256(raw.read_bytes()).hexdigest()
        if raw.is_file()
        else None,
        sha256={
            result_rel: hashlib.sha256(data).hexdigest(),
            rel_index: hashlib.sha256(index_data).hexdigest(),
        },
        blob=blob_id(data),
    )


def artifact_digests(progress: Any = print) -> dict[str, dict[str, Any]]:
    """This run's artifacts by name, from GitHub; empty outside Actions or when GitHub cannot
    say (the predicate then names each bundle without its digest, and says so)."""
    from ..store import gh

    repository, run_id = github_repository(), github_run_id()
    if not repository or not run_id:
        return {}
    try:
        return gh.run_artifacts(repository, run_id)
    except LeaderboardError as exc:
        progress(f"the bundles' artifact digests are unknown: {exc}")
        return {}


def _identity(settings_repo_url: str | None) -> tuple[str | None, str | None]:
    """The repository and the signing workflow, as GitHub will put them in the certificate."""
    repository = github_repository() or repository_of(settings_repo_url)
    ref = github_workflow_ref() or ""
    workflow = ref.split("@", 1)[0] if ref else None
    if repository and not workflow:
        workflow = signer_workflow(repository)
    return repository, workflow


def predicate(
    items: list[Recorded], artifacts: dict[str, dict[str, Any]], repository: str | None
) -> dict[str, Any]:
    """The in-toto Test Result predicate (v0.1) of one record step: each recorded result is an
    evaluation that finished (a failed one has no result to sign)."""
    run = ci_log_url()
    configuration: list[dict[str, Any]] = []
    for item in items:
        where = f"git+https://github.com/{repository}" if repository else "git+file:."
        configuration.append(
            {
                "name": item.request,
                "uri": f"{where}@{item.request_commit}#{item.request}",
                "digest": {"gitCommit": item.request_commit},
                "annotations": {
                    "role": "request",
                    "result": item.result,
                    "index": item.index,
                    "attempt": item.attempt,
                    "suite": item.suite,
                    "suiteVersion": item.suite_version,
                    "runner": item.runner,
                    "runnerPool": item.pool,
                    "recordedCommit": item.commit,
                },
            }
        )
        artifact = artifacts.get(item.artifact) or {}
        digest = str(artifact.get("digest") or "")
        bundle: dict[str, Any] = {
            "name": item.artifact,
            "uri": (
                f"{run}/artifacts/{artifact['id']}"
                if run and artifact.get("id")
                else f"{run or 'urn:leaderboard:run'}#artifacts/{item.artifact}"
            ),
            "annotations": {
                "role": "bundle",
                "result": item.result,
                "artifactDigest": digest or None,
                "resultSha256": item.bundle_result_sha256,
            },
        }
        if digest.startswith("sha256:"):
            bundle["digest"] = {"sha256": digest.removeprefix("sha256:")}
        configuration.append(bundle)
    body: dict[str, Any] = {"result": "PASSED", "configuration": configuration}
    if run:
        body["url"] = f"{run}/attempts/{github_run_attempt()}"
    body["passedTests"] = [item.result for item in items]
    body["warnedTests"] = []
    body["failedTests"] = []
    return body


def write_plan(
    folder: Path,
    items: list[Recorded],
    *,
    settings_repo_url: str | None,
    artifacts: dict[str, dict[str, Any]],
) -> bool:
    """Write the plan; False (and nothing written) when nothing was recorded to sign."""
    if not items:
        return False
    repository, workflow = _identity(settings_repo_url)
    folder.mkdir(parents=True, exist_ok=True)
    lines = [f"{digest}  {path}" for item in items for path, digest in item.sha256.items()]
    write_text_atomic(folder / SUBJECTS, "\n".join(lines) + "\n")
    body = predicate(items, artifacts, repository)
    write_text_atomic(folder / PREDICATE, json.dumps(body, indent=2) + "\n")
    plan = {
        "predicate_type": PREDICATE_TYPE,
        "repository": repository,
        "signer_workflow": workflow,
        "run": ci_log_url(),
        "recorded": [asdict(item) for item in items],
    }
    write_text_atomic(folder / RECORDED, json.dumps(plan, indent=2) + "\n")
    return True


def read_plan(folder: Path) -> dict[str, Any]:
    try:
        plan = json.loads((folder / RECORDED).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LeaderboardError(f"{folder / RECORDED}: no attestation plan: {exc}") from None
    if not isinstance(plan, dict) or not isinstance(plan.get("recorded"), list):
        raise LeaderboardError(f"{folder / RECORDED}: not an attestation plan")
    return plan


def notes(
    plan: dict[str, Any], attestation_id: str | None, attestation_url: str | None
) -> dict[str, AttestationNote]:
    """``note path -> note`` for every result of a plan that GitHub signed."""
    if not plan.get("repository"):
        raise LeaderboardError(
            "the plan names no repository: attestations are made in GitHub Actions"
        )
    out = {}
    now = utcnow()
    for item in plan["recorded"]:
        note = AttestationNote(
            result=item["result"],
            index=item["index"],
            blob=item["blob"],
            sha256=item["sha256"],
            repository=plan["repository"],
            signer_workflow=plan.get("signer_workflow") or signer_workflow(plan["repository"]),
            predicate_type=plan.get("predicate_type") or PREDICATE_TYPE,
            attestation_id=attestation_id or None,
            attestation_url=attestation_url or None,
            run=plan.get("run"),
            attested_at=now,
        )
        out[attestation_path(item["result"])] = note
    return out


def commit_notes(
    repo: Repo,
    folder: Path,
    *,
    policy: CommitPolicy,
    attestation_id: str | None,
    attestation_url: str | None,
) -> list[str]:
    """Commit one note per signed result, in one commit (pushed with the record's retries)."""
    written = notes(read_plan(folder), attestation_id, attestation_url)
    if not written:
        return []

    def apply() -> list[str]:
        for rel, note in written.items():
            write_text_atomic(repo.path(rel), note.model_dump_json(indent=2) + "\n")
        return list(written)

    count = len(written)
    write_change(
        repo,
        policy,
        f"Attested {count} result(s) of {read_plan(folder).get('run') or 'this run'}",
        apply,
    )
    return list(written)
