"""``attestations/<org>/<model>/<result file>``: the note that a result was attested.

The record job signs each result it commits, with its index entry, through GitHub's artifact
attestations (``actions/attest``), and only once GitHub has signed does it commit this note. The
note is not the proof: ``gh attestation verify`` is, and the note names exactly what to verify
it with. It is what lets the site say "attested" without asking GitHub about every row.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from .types import RelPath, SafeText, Sha, StrictModel, Url, UtcDatetime

#: in-toto's Test Result predicate: "the result of running tests", here one evaluation.
PREDICATE_TYPE = "https://in-toto.io/attestation/test-result/v0.1"
#: ``gh attestation verify --signer-workflow`` takes ``[host/]owner/repo/path/to/workflow``.
EVALUATE_WORKFLOW = ".github/workflows/evaluate.yml"

Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
Repository = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}$")
]


class AttestationNote(StrictModel):
    """What one attestation covers, as the record job committed it after the signing step."""

    schema_version: Literal[1] = 1
    result: RelPath = Field(description="The attested result file.")
    index: RelPath = Field(description="Its index entry, attested with it.")
    blob: Sha = Field(description="Git blob id of the result's bytes that were signed.")
    sha256: dict[RelPath, Sha256] = Field(
        description="Each subject of the attestation this note is about, by path: its SHA-256."
    )
    repository: Repository = Field(description="The repository whose workflow signed it.")
    signer_workflow: SafeText = Field(
        description="owner/repo/.github/workflows/evaluate.yml: the workflow that signed."
    )
    predicate_type: SafeText = PREDICATE_TYPE
    attestation_id: SafeText | None = None
    attestation_url: Url | None = Field(default=None, description="GitHub's page of it.")
    run: Url | None = Field(default=None, description="The workflow run that signed it.")
    attested_at: UtcDatetime
