"""One classifier of Hub errors: an outage (try again) versus a verdict on the model."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from ..core.errors import (
    HubUnavailable,
    ModelGated,
    ModelNotFound,
    RevisionNotFound,
)
from . import allowance

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
    """Run one Hub call and translate its failures into this module's errors.

    Under a deadline (``hub.allowance``) the call runs in a thread of its own, waited for until
    the deadline: past it, the answer is :class:`HubUnavailable` and the thread is left to
    finish (or not) on its own, a daemon that never holds the process open.
    """
    limit = allowance.current_deadline()
    if limit is None:
        return _translated(repo_id, revision, fn)
    if limit.left() <= 0:
        raise _late(repo_id, limit)
    answer: list[Any] = []

    def run() -> None:
        try:
            answer.append((True, _translated(repo_id, revision, fn)))
        except BaseException as exc:  # handed to the caller's thread below
            answer.append((False, exc))

    worker = threading.Thread(target=run, name=f"hub-{repo_id}", daemon=True)
    worker.start()
    worker.join(max(limit.left(), 0))
    if not answer:
        raise _late(repo_id, limit)
    ok, value = answer[0]
    if not ok:
        raise value
    return value


def _late(repo_id: str, limit: allowance.Deadline) -> HubUnavailable:
    return HubUnavailable(
        f"the Hub had not finished answering about {repo_id} when the time for the checks ran "
        f"out ({limit.reason}): this says nothing about the model; try again, and if it stops "
        "here again, split the pull request"
    )


def _translated(repo_id: str, revision: str | None, fn: Callable[[], Answer]) -> Answer:
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
