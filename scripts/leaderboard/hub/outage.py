"""One classifier of Hub errors: an outage (try again) versus a verdict on the model."""

from __future__ import annotations

import threading
from collections.abc import Callable
from enum import StrEnum
from typing import Any, TypeVar

from ..core.errors import (
    HubUnavailable,
    ModelGated,
    ModelNotFound,
    RevisionNotFound,
)
from . import allowance

Answer = TypeVar("Answer")


class HubFault(StrEnum):
    """What an error says of the Hub itself, as opposed to the model asked about."""

    #: No answer came back: no connection, a timeout, offline mode.
    unreachable = "unreachable"
    #: The Hub answered with a server error or a rate limit (or an HTTP error with no
    #: response): an outage, so nobody's fault but ours to retry.
    failed = "failed"
    #: The Hub answered another HTTP error: it judged what was asked (the model's fault).
    refused = "refused"


#: Transport errors of the HTTP clients the Hub's libraries use, known by name where their
#: classes are not importable here (``requests``' ``ConnectionError`` is no built-in one).
_UNREACHABLE_NAMES = frozenset(
    {"ConnectionError", "ConnectError", "ConnectTimeout", "ReadTimeout", "TimeoutError"}
)


def chain(exc: BaseException) -> list[BaseException]:
    """``exc`` and every exception it came from (``__cause__``, else ``__context__``)."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def http_status(err: BaseException) -> int | None:
    """The HTTP status of a Hub error's response, if it has one."""
    response = getattr(err, "response", None)
    status = getattr(response, "status_code", None)
    return status if isinstance(status, int) else None


def fault(err: BaseException) -> HubFault | None:
    """What one exception (not the ones it came from) says of the Hub, or None when it says
    nothing of it. The Hub's verdicts on the model (not found, gated) are ``refused``."""
    import httpx2
    from huggingface_hub.errors import HfHubHTTPError, LocalEntryNotFoundError, OfflineModeIsEnabled

    if isinstance(err, httpx2.TransportError | OfflineModeIsEnabled | LocalEntryNotFoundError):
        return HubFault.unreachable
    if isinstance(err, HfHubHTTPError):
        status = http_status(err)
        if status is None or status >= 500 or status == 429:
            return HubFault.failed
        return HubFault.refused
    if type(err).__name__ in _UNREACHABLE_NAMES or "couldn't connect" in str(err).lower():
        return HubFault.unreachable
    return None


def is_outage(exc: BaseException) -> bool:
    """Whether an exception (or one it came from) means the Hub was unreachable or failing.

    The project's own :class:`HubUnavailable` counts, so callers that only see translated
    errors (the rename act's resolver) ask the same question of the same function.
    """
    return any(
        isinstance(err, HubUnavailable) or fault(err) in (HubFault.unreachable, HubFault.failed)
        for err in chain(exc)
    )


def pretrained(loader: Any, repo_id: str, sha: str) -> Any:
    """``loader.from_pretrained`` (``AutoConfig``, ``AutoTokenizer``) of ``repo_id`` at ``sha``
    through :func:`call`, as the runner loads it: never with the repository's own code."""
    return call(
        repo_id, sha, lambda: loader.from_pretrained(repo_id, revision=sha, trust_remote_code=False)
    )


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
