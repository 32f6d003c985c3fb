"""How many parameters a request's evaluation loads, counted as validation counts them.

Only the safetensors headers are read, each with an HTTP range request for its first bytes, so a
400 B model is counted without downloading it.
"""

from __future__ import annotations

from ..core.models import Request, WeightType
from ..core.plan import planned_params
from .facts import safetensors_parameters


def parameter_counts(repo_id: str, revision: str) -> dict[str, int] | None:
    """The safetensors metadata's parameters per stored dtype at ``revision``, or None when
    the repository has neither ``model.safetensors`` nor ``model.safetensors.index.json``.

    Read as validation reads it (``hub.facts.safetensors_parameters``: a bounded number of
    shards, each header within its limit). Raises ModelNotFound, RevisionNotFound, ModelGated,
    HubFileRefused or HubUnavailable.
    """
    return safetensors_parameters(repo_id, revision)


def loaded_params(request: Request) -> int | None:
    """Parameters the evaluation of ``request`` loads: the model's at its pinned commit, or an
    Adapter's or a Delta's base model's at its pinned ``base_revision`` (``main`` for a request
    older than that field, which the runner judges again when it takes it)."""
    if request.weight_type is WeightType.original or not request.base_model:
        counts = parameter_counts(request.model, request.revision)
    else:
        counts = parameter_counts(request.base_model, request.base_revision or "main")
    return None if counts is None else planned_params(counts, request.precision)
