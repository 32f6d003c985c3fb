"""Recording a bundle: the result file, the details and the new status, in one commit."""

from __future__ import annotations

import errno
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..core import errors
from ..core.env import ci_log_url
from ..core.errors import BundleRefused, RecordFailed
from ..core.ids import RESULTS_DIR, index_path, result_key, result_path
from ..core.models import FailureCategory, Request, RunOutcome, Status, utcnow
from ..core.models.settings import Settings
from ..core.models.types import MAX_REASON
from ..core.printable import printable
from ..core.transitions import next_state
from ..store import commits, git, result_index
from ..store.files import dump_result, write_text_atomic
from ..store.repo import Repo
from .bundles import read_bundle, samples_of
from .caps import RESULT_LIMIT, cap_result, too_large
from .claims import CommitPolicy, Progress, quiet
from .details import store_details

#: errno values that mean "no room to write": a full disk, a quota, a file-size limit.
_NO_ROOM = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_NO_ROOM_GIT = (
    "No space left on device",
    "Out of diskspace",
    "Disk quota exceeded",
    "File too large",
)


def _no_room(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno in _NO_ROOM:
        return True
    return isinstance(exc, errors.GitError) and any(t in str(exc) for t in _NO_ROOM_GIT)


def record(
    repo: Repo,
    bundle: Path,
    *,
    policy: CommitPolicy,
    progress: Progress = quiet,
    settings: Settings | None = None,
    recorded: list[str] | None = None,
) -> Request | None:
    """Commit a bundle: the result file (one per run), the details, and the new status.

    ``recorded`` gets the path of the result file once it is committed (pushed, with a
    remote): what the record job then attests, with its index entry.

    Raises ``RecordFailed`` when it cannot (the disk is full, pushes keep being rejected),
    saying what the request's status now is; the bundle is never touched, so it can be
    recorded again later. On a full disk the attempt is recorded as an infrastructure failure
    if even that fits, so the request is retried instead of waiting for ``reconcile``.
    """
    outcome, document = read_bundle(bundle)
    settings = settings or repo.settings()
    check_claimed(repo, outcome, document)
    later = f"the bundle {bundle} is kept: `leaderboard record {bundle} --push` records it later"
    use_git = policy.enabled and git.is_git_repo(repo.root)
    start = git.head(repo.root) if use_git else None
    try:
        return _record(repo, bundle, outcome, document, policy, progress, settings, recorded)
    except errors.GitError as exc:
        if not _no_room(exc):
            if start and policy.remote:
                # Drop the commit that never got out, so the checkout stays clean for the
                # next record; --keep leaves anything a person changed alone.
                git.run(repo.root, "reset", "-q", "--keep", start)
            raise RecordFailed(f"{exc}. Nothing is lost: {later}") from exc
        full: BaseException = exc
    except OSError as exc:
        if not _no_room(exc):
            raise
        full = exc
    _discard(repo, outcome, document, policy, settings)
    reason = f"the runner's disk was full while recording the result: {full}"
    failed = RunOutcome.model_validate(
        {
            **outcome.model_dump(),
            "status": Status.failed,
            "failure_reason": reason[:MAX_REASON],
            "failure_category": FailureCategory.infrastructure,
        }
    )
    try:
        state = _record(repo, bundle, failed, None, policy, progress, settings)
    except (OSError, errors.GitError) as again:
        if _no_room(again):
            _discard(repo, outcome, document, policy, settings)
            why = "not even the failure fits"
        else:
            why = f"recording the failure failed too: {again}"
        raise RecordFailed(
            f"{reason}. Nothing was recorded ({why}): {outcome.request} stays RUNNING until "
            f"`leaderboard reconcile` sends it back to PENDING; {later}"
        ) from full
    now = state.status.value if state else "unchanged"
    raise RecordFailed(
        f"{reason}. Attempt {outcome.attempt} of {outcome.request} was recorded as an "
        f"infrastructure failure (status now {now}); {later}"
    ) from full


def check_claimed(repo: Repo, outcome: RunOutcome, document: dict[str, Any] | None) -> None:
    """Refuse a bundle for an attempt that git never claimed, or one whose files would land
    outside their folders, before anything is written.

    The claim is in the request file: ``claim`` raised ``attempts`` to the bundle's attempt
    and pushed it. A request never claimed (``attempts`` 0), a bundle for another attempt, or
    a result for another model is someone else's data, not an evaluation of this request.
    """
    rel = outcome.request
    if not repo.path(rel).is_file():
        raise BundleRefused(f"{printable(rel)}: no such request in this repository")
    current = repo.read_request(rel)
    if current.attempts < 1 or current.attempts != outcome.attempt:
        raise BundleRefused(
            f"{rel}: the bundle is for attempt {outcome.attempt}, but git holds "
            f"{'no claim' if current.attempts < 1 else f'attempt {current.attempts}'} of it"
        )
    if document is None:
        return
    prov = document["provenance"]
    if (prov["model"], prov["revision"], prov["precision"]) != (
        current.model,
        current.revision,
        current.precision.value,
    ):
        raise BundleRefused(f"{rel}: the result's provenance names another model or precision")
    result_rel = result_path(current.identity, prov["suite"], outcome.attempt)
    results = (repo.root / RESULTS_DIR).resolve()
    for target in (result_rel, index_path(result_rel)):
        if not repo.path(target).resolve().is_relative_to(repo.root.resolve()):
            raise BundleRefused(f"{rel}: {printable(target)} is outside the repository")
    if not repo.path(result_rel).resolve().is_relative_to(results):
        raise BundleRefused(f"{rel}: {printable(result_rel)} is outside {RESULTS_DIR}/")


def _discard(
    repo: Repo,
    outcome: RunOutcome,
    document: dict[str, Any] | None,
    policy: CommitPolicy,
    settings: Settings,
) -> None:
    """Undo a recording that ran out of room: no partial result, details or staged change.

    Only the paths recording touches are restored, so nothing a person changed is lost."""
    use_git = policy.enabled and git.is_git_repo(repo.root)
    paths = [outcome.request]
    result_rel = None
    if document is not None:
        identity = repo.read_request(outcome.request).identity
        result_rel = result_path(identity, document["provenance"]["suite"], outcome.attempt)
        paths += [result_rel, index_path(result_rel)]
    if use_git:
        git.run(repo.root, "reset", "-q", "HEAD", "--", *paths)
        git.run(repo.root, "checkout", "-q", "HEAD", "--", outcome.request)
    if result_rel is not None:
        for rel in (result_rel, index_path(result_rel)):
            tracked = use_git and git.git(repo.root, "ls-files", "--", rel, check=False)
            if not tracked:
                repo.path(rel).unlink(missing_ok=True)
        details = settings.details
        if details.kind == "local" and not Path(details.path).is_absolute():
            key = result_key(result_rel)
            shutil.rmtree(repo.root / details.path / key, ignore_errors=True)


def _record(
    repo: Repo,
    bundle: Path,
    outcome: RunOutcome,
    document: dict[str, Any] | None,
    policy: CommitPolicy,
    progress: Progress,
    settings: Settings,
    recorded: list[str] | None = None,
) -> Request | None:
    result_rel = None
    if document is not None:
        identity = repo.read_request(outcome.request).identity
        result_rel = result_path(identity, document["provenance"]["suite"], outcome.attempt)
        key = result_key(result_rel)
        # What the model repository put into lm-eval's output is bounded before it reaches git.
        with tempfile.TemporaryDirectory(prefix="lb-moved-") as moved_dir:
            document, moved = cap_result(document, Path(moved_dir))
            size = too_large(document)
            if size is not None:
                failed = _too_large(outcome, size)
                return _commit_outcome(repo, failed, None, None, policy=policy, settings=settings)
            samples = samples_of(bundle) + moved
            provenance = document["provenance"]
            _store(provenance, samples, settings, repo, key, progress, outcome)
    state = _commit_outcome(repo, outcome, document, result_rel, policy=policy, settings=settings)
    if recorded is not None and result_rel is not None:
        recorded.append(result_rel)
    return state


def _too_large(outcome: RunOutcome, size: int) -> RunOutcome:
    """A result whose scores alone are over the limit: a corrupt run, not a row."""
    return RunOutcome.model_validate(
        {
            **outcome.model_dump(),
            "status": Status.failed,
            "failure_reason": (
                f"the result is {size:,} bytes even without its large fields; at most "
                f"{RESULT_LIMIT:,} are committed"
            ),
            "failure_category": FailureCategory.model,
        }
    )


def _store(
    provenance: dict[str, Any],
    samples: list[Path],
    settings: Settings,
    repo: Repo,
    key: str,
    progress: Progress,
    outcome: RunOutcome,
) -> None:
    """Put the samples and moved fields in the details store; say where in the provenance."""
    run_url = ci_log_url()
    if settings.details.kind == "local" and run_url:
        # A CI machine's folder vanishes with it; the run's bundle artifact keeps them (its
        # result.json holds every moved field in full).
        provenance["details"] = f"{run_url}#artifacts"
    else:
        provenance["details"] = store_details(samples, settings.details, repo.root, key)
    progress(f"details of {outcome.request} stored at {provenance['details']}")


def record_missing(
    repo: Repo,
    rel: str,
    *,
    policy: CommitPolicy,
    settings: Settings | None = None,
    refused: str | None = None,
) -> Request | None:
    """A claimed request whose evaluation job reported nothing (crashed, cancelled, timed
    out), or whose bundle was ``refused`` (why, in our words): an infrastructure failure, so it
    is retried now rather than after the reconcile timeout. None when the request is no longer
    RUNNING."""
    current = repo.read_request(rel)
    if current.status is not Status.running:
        return None
    where = f"; see {current.log_url}" if current.log_url else ""
    reason = (
        f"the evaluation job's bundle was refused ({refused}){where}"
        if refused
        else "the evaluation job ended without reporting a result (it crashed, was cancelled "
        f"or timed out){where}"
    )
    outcome = RunOutcome(
        request=rel,
        attempt=max(current.attempts, 1),
        runner=current.runner or "unknown",
        status=Status.failed,
        failure_reason=reason[:MAX_REASON],
        failure_category=FailureCategory.infrastructure,
        started_at=current.started_at or utcnow(),
        finished_at=utcnow(),
    )
    return _commit_outcome(
        repo, outcome, None, None, policy=policy, settings=settings or repo.settings()
    )


def _commit_outcome(
    repo: Repo,
    outcome: RunOutcome,
    document: dict[str, Any] | None,
    result_rel: str | None,
    *,
    policy: CommitPolicy,
    settings: Settings,
) -> Request | None:
    new_state: list[Request | None] = [None]

    def apply() -> list[str]:
        paths = []
        if document is not None and result_rel is not None:
            write_text_atomic(repo.path(result_rel), dump_result(document))
            paths.append(result_rel)
        current = repo.read_request(outcome.request)
        new_state[0] = next_state(current, outcome, settings)
        if new_state[0] is not None:
            repo.write_request(outcome.request, new_state[0])
            paths.append(outcome.request)
        if document is not None and result_rel is not None:
            # The entry the site reads, in the commit of its result (store.result_index).
            paths.append(result_index.write_entry(repo, result_rel))
        return paths

    what = (
        "result" if outcome.status is Status.finished else f"failure ({outcome.failure_category})"
    )
    message = f"Record {what} of {outcome.request} (attempt {outcome.attempt}, {outcome.runner})"
    if outcome.failure_reason:
        message += f"\n\n{outcome.failure_reason}"
    write_change(repo, policy, message, apply)
    return new_state[0]


def write_change(
    repo: Repo, policy: CommitPolicy, message: str, apply: Callable[[], list[str]]
) -> None:
    if not (policy.enabled and git.is_git_repo(repo.root)):
        apply()
        return
    if policy.remote:
        branch = policy.branch or git.current_branch(repo.root)
        commits.commit_and_push(repo.root, message, apply, remote=policy.remote, branch=branch)
    else:
        commits.commit_and_push(repo.root, message, apply, remote=None)
