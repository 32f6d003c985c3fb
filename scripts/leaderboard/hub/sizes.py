"""How many parameters a request's evaluation loads, counted as validation counts them.

Only the safetensors headers are read: ``get_safetensors_metadata`` asks for the first bytes of
each shard with an HTTP range request, so a 400 B model is counted without downloading it.
"""

from __future__ import annotations

from ..core.env import timeout
from ..core.models import Request, WeightType
from ..core.plan import planned_params
from .outage import call


def parameter_counts(repo_id: str, revision: str) -> dict[str, int] | None:
    """The safetensors metadata's parameters per stored dtype at ``revision``, or None when
    the repository has neither ``model.safetensors`` nor ``model.safetensors.index.json``.

    Raises ModelNotFound, RevisionNotFound, ModelGated or HubUnavailable (``hub.outage``).
    """
    from huggingface_hub import HfApi
    from huggingface_hub.errors import NotASafetensorsRepoError

    try:
        meta = call(
            repo_id,
            revision,
            lambda: HfApi().get_safetensors_metadata(repo_id, revision=revision, timeout=timeout()),
        )
    except NotASafetensorsRepoError:
        return None
    return dict(meta.parameter_count)


def loaded_params(request: Request) -> int | None:
    """Parameters the evaluation of ``request`` loads: the model's at its pinned commit, or an
    Adapter's or a Delta's base model's (at ``main``, the revision validation reads it at)."""
    if request.weight_type is WeightType.original or not request.base_model:
        counts = parameter_counts(request.model, request.revision)
    else:
        counts = parameter_counts(request.base_model, "main")
    return None if counts is None else planned_params(counts, request.precision)
