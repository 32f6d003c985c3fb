"""One classifier of Hub errors: an outage (try again) versus a verdict on the model."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from ..core.errors import (
    HubUnavailable,
    ModelGated,
    ModelNotFound,
    RevisionNotFound,
)

Answer = TypeVar("Answer")


def is_outage(exc: BaseException) -> bool:
    """Whether an exception (or one it came from) means the Hub was unreachable or failing.

    The project's own :class:`HubUnavailable` counts, so callers that only see translated
    errors (the rename act's resolver) ask the same question of the same function.
    """
    if isinstance(exc, HubUnavailable):
        return True
    import httpx2
    from huggingface_hub.errors import HfHubHTTPError, LocalEntryNotFoundError, OfflineModeIsEnabled

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, httpx2.TransportError | OfflineModeIsEnabled | LocalEntryNotFoundError):
            return True
        response = getattr(seen, "response", None) if isinstance(seen, HfHubHTTPError) else None
        if response is not None and (response.status_code >= 500 or response.status_code == 429):
            return True
        if "couldn't connect to" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def call(repo_id: str, revision: str | None, fn: Callable[[], Answer]) -> Answer:
    """Run one Hub call and translate its failures into this module's errors."""
    from huggingface_hub.errors import (
        DisabledRepoError,
        GatedRepoError,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    try:
        return fn()
    except GatedRepoError as exc:  # a subclass of RepositoryNotFoundError: first
        raise ModelGated(
            f"{repo_id} is gated on the Hub: the leaderboard can only evaluate models anyone can "
            "download. Remove the gate, or ask a maintainer whether gated models are allowed"
        ) from exc
    except RepositoryNotFoundError as exc:
        raise ModelNotFound(
            f"{repo_id} was not found on the Hub (or it is private): check the spelling of the "
            "model id and that the model is public"
        ) from exc
    except RevisionNotFoundError as exc:
        raise RevisionNotFound(
            f"{repo_id} has no revision {revision!r} on the Hub: give a branch, tag or commit "
            "that exists (see the model's 'Files and versions' tab)"
        ) from exc
    except DisabledRepoError as exc:
        raise ModelNotFound(f"{repo_id} has been disabled on the Hub") from exc
    except Exception as exc:
        if is_outage(exc):
            raise HubUnavailable(
                f"the Hub could not be reached while checking {repo_id} ({type(exc).__name__}): "
                "this says nothing about the model; try again later"
            ) from exc
        raise
