"""State transitions of a request, as pure functions of the request and the facts.

Statuses move ``PENDING → RUNNING → FINISHED | FAILED`` only through these functions: the
queue calls them for claims, outcomes and stale runs, the curation acts for relaunches and
renames, and the checks to tell whether a maintainer's edit is exactly one of them.
"""

from __future__ import annotations

import copy
import re
from datetime import datetime, timedelta
from pathlib import PurePosixPath
from typing import Any

from .env import ci_log_url
from .ids import REQUESTS_DIR
from .models import FailureCategory, Relaunch, Request, RunOutcome, Settings, Status
from .models.types import MAX_REASON, MAX_RUNNER


def _updated(request: Request, **changes: Any) -> Request:
    """A copy with ``changes``, validated as a whole (intermediate states may be invalid)."""
    return Request.model_validate({**request.model_dump(), **changes})


def mark_running(request: Request, runner: str, now: datetime) -> Request:
    """The claimed request: RUNNING, attempt raised, runner, start time and where the logs are."""
    return _updated(
        request,
        status=Status.running,
        attempts=request.attempts + 1,
        runner=runner[:MAX_RUNNER],
        started_at=now,
        finished_at=None,
        failure_reason=None,
        failure_category=None,
        log_url=ci_log_url(),
    )


def next_state(current: Request, outcome: RunOutcome, settings: Settings) -> Request | None:
    """The request after ``outcome``; None when the outcome no longer decides its status.

    A request already FINISHED or FAILED, or RUNNING a newer attempt, keeps its status (the
    result file is still kept). A late result for a request that ``reconcile`` sent back to
    PENDING finishes it, since the work is done.
    """
    if current.status in (Status.finished, Status.failed):
        return None
    if current.status is Status.running and current.attempts != outcome.attempt:
        return None
    if current.status is Status.pending and outcome.status is Status.failed:
        return None
    if outcome.status is Status.finished:
        return _updated(
            current,
            status=Status.finished,
            finished_at=outcome.finished_at,
            failure_reason=None,
            failure_category=None,
        )
    category = outcome.failure_category or FailureCategory.infrastructure
    reason = outcome.failure_reason or "the evaluation failed without a reason"
    if category is FailureCategory.infrastructure and outcome.attempt < settings.max_attempts:
        return _updated(current, status=Status.pending, runner=None, started_at=None)
    if category is FailureCategory.infrastructure:
        reason = f"gave up after {outcome.attempt} attempts; the last one: {reason}"
    return _updated(
        current,
        status=Status.failed,
        finished_at=outcome.finished_at,
        failure_reason=reason[:MAX_REASON],
        failure_category=category,
    )


# -- reconcile ----------------------------------------------------------------------------------


def stale_state(request: Request, now: datetime, settings: Settings) -> Request | None:
    """What a RUNNING request becomes when its runner has been silent too long."""
    if request.status is not Status.running or request.started_at is None:
        return None
    if now - request.started_at <= timedelta(hours=settings.reconcile_timeout_hours):
        return None
    if request.attempts >= settings.max_attempts:
        return _updated(
            request,
            status=Status.failed,
            finished_at=now,
            failure_category=FailureCategory.infrastructure,
            failure_reason=(
                f"the runner {request.runner} was lost: no result "
                f"{settings.reconcile_timeout_hours:g} hours after attempt {request.attempts} "
                f"started, and {settings.max_attempts} attempts is the limit"
            ),
        )
    return _updated(request, status=Status.pending, runner=None, started_at=None)


def apply_relaunch(request: Request, entry: Relaunch) -> Request:
    """The request after a relaunch: PENDING, failure moved into ``relaunches``, nothing else.

    Like the runner's own retry, it frees ``runner``, ``started_at`` and ``finished_at`` (a
    PENDING request has not finished) and keeps ``attempts``, so the next attempt gets a new
    number (and its own results file).
    """
    data = request.model_dump()
    data.update(
        status=Status.pending,
        failure_reason=None,
        failure_category=None,
        runner=None,
        started_at=None,
        finished_at=None,
        relaunches=[*request.relaunches, entry],
    )
    return Request.model_validate(data)


def renamed_path(rel: str, old: str, new: str) -> str:
    """``requests/OLD/x`` -> ``requests/NEW/x`` (same for ``results/``)."""
    top, org, name, *rest = PurePosixPath(rel).parts
    if f"{org}/{name}" != old:
        raise ValueError(f"{rel} is not under {top}/{old}/")
    return str(PurePosixPath(top, *new.split("/"), *rest))


def renamed_request(request: Request, new: str) -> Request:
    """A request under its new name: only ``model`` changes."""
    return request.model_copy(update={"model": new})


def renamed_result(data: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    """A results JSON under its new name: the provenance's model, request path, Hub facts and
    reproduce command follow the rename; lm-eval's own output stays as it was recorded."""
    out = copy.deepcopy(data)
    prov = out.get("provenance")
    if not isinstance(prov, dict):
        return out
    if prov.get("model") == old:
        prov["model"] = new
    if isinstance(prov.get("request"), str) and prov["request"].startswith(
        f"{REQUESTS_DIR}/{old}/"
    ):
        prov["request"] = renamed_path(prov["request"], old, new)
    hub = prov.get("hub")
    if isinstance(hub, dict) and hub.get("model") == old:
        hub["model"] = new
    if isinstance(prov.get("command"), str):
        prov["command"] = re.sub(rf"(?<![\w./-]){re.escape(old)}(?![\w.-])", new, prov["command"])
    return out
