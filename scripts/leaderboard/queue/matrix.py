"""What a GitHub Actions matrix can hold, and how a claimed request is named inside one."""

from __future__ import annotations

import hashlib

from ..core.errors import LeaderboardError
from ..core.ids import parse_request_path

#: "A matrix can generate a maximum of 256 jobs per workflow run" (GitHub's workflow syntax
#: docs): claiming more would leave the rest RUNNING with no leg to evaluate them.
MATRIX_LIMIT = 256


def capped(requested: int) -> int:
    """How many requests one run may claim: ``requested``, at most the matrix limit."""
    return max(0, min(requested, MATRIX_LIMIT))


def artifact_name(request: str) -> str:
    """The bundle artifact's name for one claimed request, unique within a run.

    Artifact names may not hold ``/``; the model and the request's stem make it readable, a
    short hash of the whole path keeps two models whose names differ only in ``/`` apart.
    """
    parts = parse_request_path(request)
    if parts is None:
        raise LeaderboardError(f"{request!r} is not a request path (requests/ORG/MODEL/FILE.yaml)")
    digest = hashlib.sha256(request.encode()).hexdigest()[:8]
    readable = f"{parts.model.replace('/', '--')}--{parts.revision[:12]}"
    return f"bundle-{readable}-{digest}"
