"""The evaluation queue: claim, evaluate, record, reconcile.

Statuses move ``PENDING → RUNNING → FINISHED | FAILED`` and only here. A claim is a commit
that sets ``RUNNING``; pushing it is the lock, so two runners never evaluate the same request.
An evaluation writes a *bundle* (``outcome.json``, ``result.json``, lm-eval's samples), which
``record`` turns into ``results/…json`` and the request's new status. On one machine the three
steps run in one process (``evaluate_next``); in GitHub Actions they are three jobs, so that
the GPU job never holds a write token. ``reconcile`` recovers runs whose runner vanished.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import shutil
import socket
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from . import gitops, harness
from .details import store_details
from .repo import Repo, parse_request_path, result_path
from .schema import (
    FailureCategory,
    HubFacts,
    LeaderboardError,
    Provenance,
    Request,
    RunOutcome,
    Settings,
    Status,
    Suite,
    json_ready,
    utcnow,
)
from .scoring import MissingScore, score
from .suites import load_suite
from .yamlio import write_text_atomic

log = logging.getLogger(__name__)

OUTCOME_FILE = "outcome.json"
RESULT_FILE = "result.json"
LM_EVAL_DIR = "lm-eval"
#: A results file larger than this is not lm-eval's: refuse it rather than commit it.
MAX_RESULT_BYTES = 20 * 1024 * 1024

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


def default_runner_name() -> str:
    """``$LEADERBOARD_RUNNER``, else the host name: recorded in claims and results."""
    return os.environ.get("LEADERBOARD_RUNNER") or socket.gethostname()


@dataclass(frozen=True)
class Git:
    """Where the queue lives: commit locally (``remote=None``) or also push to ``remote``."""

    enabled: bool = True
    remote: str | None = None
    branch: str | None = None


@dataclass
class Claim:
    path: str
    request: Request
    commit: str | None


# -- the queue ----------------------------------------------------------------------------------


def requests_with_status(repo: Repo, status: Status) -> list[tuple[str, Request]]:
    """Requests in ``status``. Files that do not even mention it are skipped unparsed, which
    keeps a claim fast when most of 100,000 requests are long FINISHED."""
    marker = status.value.encode()
    out = []
    for rel in repo.request_files():
        if marker not in repo.path(rel).read_bytes():
            continue
        request = repo.load_request(rel)
        if request.status is status:
            out.append((rel, request))
    return out


def pending(repo: Repo) -> list[tuple[str, Request]]:
    """Requests waiting to run, oldest submission first (ties by path)."""
    items = [(rel, r) for rel, r in requests_with_status(repo, Status.pending) if r.removed is None]
    items.sort(key=lambda item: (item[1].submitted_at, item[0]))
    return items


def queue(repo: Repo) -> dict[str, list[dict[str, Any]]]:
    """Every request by status: pending with its position, running, finished, failed."""
    out: dict[str, list[dict[str, Any]]] = {s.value.lower(): [] for s in Status}
    order = {rel: i for i, (rel, _) in enumerate(pending(repo), start=1)}
    for rel, r in repo.iter_requests():
        row: dict[str, Any] = {
            "path": rel,
            "model": r.model,
            "revision": r.revision,
            "precision": r.precision.value,
            "chat_template": r.use_chat_template,
            "submitter": r.submitter,
            "submitted_at": _iso(r.submitted_at),
            "attempts": r.attempts,
        }
        if r.removed is not None:
            row["removed"] = True
        if r.status is Status.pending and rel in order:
            row["position"] = order[rel]
        if r.status is Status.running:
            row |= {"runner": r.runner, "started_at": _iso(r.started_at)}
        if r.status in (Status.finished, Status.failed):
            row["finished_at"] = _iso(r.finished_at)
        if r.status is Status.failed:
            row |= {"reason": r.failure_reason, "category": r.failure_category.value}
        out[r.status.value.lower()].append(row)
    out["pending"].sort(key=lambda row: row.get("position", 10**9))
    return out


def _iso(value: datetime | None) -> str | None:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def _updated(request: Request, **changes: Any) -> Request:
    """A copy with ``changes``, validated as a whole (intermediate states may be invalid)."""
    return Request.model_validate({**request.model_dump(), **changes})


def ci_log_url() -> str | None:
    """The GitHub Actions run this process belongs to, if any: where its logs are."""
    parts = [os.environ.get(k) for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID")]
    if not all(parts) or not str(parts[0]).startswith("https://"):
        return None
    server, repository, run_id = parts
    return f"{server}/{repository}/actions/runs/{run_id}"


def mark_running(request: Request, runner: str, now: datetime) -> Request:
    """The claimed request: RUNNING, attempt raised, runner, start time and where the logs are."""
    return _updated(
        request,
        status=Status.running,
        attempts=request.attempts + 1,
        runner=runner[:200],
        started_at=now,
        finished_at=None,
        failure_reason=None,
        failure_category=None,
        log_url=ci_log_url(),
    )


# -- claim --------------------------------------------------------------------------------------


def claim(
    repo: Repo,
    *,
    runner: str,
    git: Git,
    only: str | None = None,
    skip: Iterable[str] = (),
    tries: int = 30,
) -> Claim | None:
    """Claim the oldest pending request but ``skip`` (or ``only``): set RUNNING, commit, push.

    The push is the lock: when the remote rejects it, someone else pushed first, so take the
    remote's state and look again (the request may be gone; then the next one is taken).
    Returns None when nothing is pending.
    """
    root = repo.root
    use_git = git.enabled and gitops.is_git_repo(root)
    branch = git.branch or (gitops.current_branch(root) if use_git and git.remote else None)
    if use_git and git.remote and branch:
        gitops.sync_clean(root, git.remote, branch)
    skipped = set(skip)
    for attempt in range(tries):
        candidates = [(rel, r) for rel, r in pending(repo) if rel not in skipped]
        if only is not None:
            candidates = [(rel, r) for rel, r in candidates if rel == only]
            if not candidates:
                status = repo.load_request(only).status.value if repo.path(only).exists() else None
                raise LeaderboardError(
                    f"{only} is not PENDING ({status or 'no such request file'}): only pending "
                    "requests are evaluated; a maintainer relaunches one by setting it PENDING"
                )
        if not candidates:
            return None
        rel, request = candidates[0]
        running = mark_running(request, runner, utcnow())
        repo.write_request(rel, running)
        if not use_git:
            return Claim(rel, running, None)
        sha = gitops.commit(root, [rel], f"Claim {rel} for {runner} (attempt {running.attempts})")
        if not git.remote or not branch:
            return Claim(rel, running, sha)
        try:
            gitops.push(root, git.remote, branch)
            return Claim(rel, running, sha)
        except gitops.PushRejected:
            gitops.pause(attempt, base=0.05, cap=2.0)
            gitops.reset_to_remote(root, git.remote, branch)
    raise gitops.GitError(f"could not claim a request: {tries} pushes were rejected")


# -- evaluate (into a bundle) -------------------------------------------------------------------


def require_checkout(repo: Repo) -> None:
    """Results name the commit of their claim, so evaluating needs a git checkout."""
    if not gitops.is_git_repo(repo.root):
        raise LeaderboardError(
            f"{repo.root} is not a git checkout of the leaderboard repository: results record "
            "the commit of their claim (use `git clone`, or `git init` and commit the requests)"
        )


def hub_facts(request: Request) -> HubFacts | None:
    """What the Hub says about the model, for the record; None if it cannot say."""
    from .hub import model_facts

    try:
        return model_facts(request.model, request.revision)
    except Exception as exc:  # facts are a courtesy: a Hub hiccup must not fail a finished run
        log.warning("could not read Hub facts for %s: %s", request.model, exc)
        return None


def run_bundle(
    repo: Repo,
    rel: str,
    suite: Suite,
    options: harness.EvalOptions,
    out_dir: Path,
    *,
    runner: str,
    progress: Progress = _quiet,
) -> RunOutcome:
    """Evaluate one request into ``out_dir`` (a bundle); never touches git or the request."""
    if parse_request_path(rel) is None or not repo.path(rel).is_file():
        raise LeaderboardError(f"{rel}: no such request file in {repo.root}")
    require_checkout(repo)
    request = repo.load_request(rel)
    request_commit = gitops.head(repo.root)
    attempt = max(request.attempts, 1)
    started = utcnow()
    out_dir.mkdir(parents=True, exist_ok=True)
    progress(f"evaluating {request.model}@{request.revision[:12]} on suite {suite.name}")
    status, reason, category = Status.finished, None, None
    try:
        output = harness.evaluate(request, suite, options, out_dir / LM_EVAL_DIR)
        try:
            score(output.results, suite)
        except MissingScore as exc:
            raise harness.EvaluationFailed(
                f"the results cannot be scored: {exc}", FailureCategory.infrastructure
            ) from exc
        provenance = _provenance(
            rel, request, request_commit, attempt, suite, options, output, runner, started
        )
        document = {**output.results, "provenance": json_ready(provenance)}
        write_text_atomic(out_dir / RESULT_FILE, json.dumps(document, indent=2) + "\n")
    except harness.EvaluationFailed as exc:
        status, reason, category = Status.failed, exc.reason, exc.category
        progress(f"failed ({category.value}): {reason}")
    outcome = RunOutcome(
        request=rel,
        attempt=attempt,
        runner=runner[:200],
        status=status,
        failure_reason=reason,
        failure_category=category,
        started_at=started,
        finished_at=utcnow(),
    )
    write_text_atomic(out_dir / OUTCOME_FILE, outcome.model_dump_json(indent=2) + "\n")
    return outcome


def _provenance(
    rel: str,
    request: Request,
    request_commit: str,
    attempt: int,
    suite: Suite,
    options: harness.EvalOptions,
    output: harness.EvalOutput,
    runner: str,
    started: datetime,
) -> Provenance:
    import lm_eval
    import torch
    import transformers

    return Provenance(
        request=rel,
        request_commit=request_commit,
        model=request.model,
        revision=request.revision,
        precision=request.precision,
        use_chat_template=request.use_chat_template,
        weight_type=request.weight_type,
        base_model=request.base_model,
        base_revision=output.base_revision,
        attempt=attempt,
        limit=options.limit,
        suite=suite.name,
        suite_version=suite.version,
        lm_eval_version=lm_eval.__version__,
        transformers_version=transformers.__version__,
        torch_version=torch.__version__,
        hardware=harness.hardware(),
        runner=runner[:200],
        started_at=started,
        finished_at=utcnow(),
        wall_time_seconds=round(output.wall_time_seconds, 3),
        command=output.command,
        hub=hub_facts(request),
    )


# -- record -------------------------------------------------------------------------------------


def read_bundle(bundle: Path) -> tuple[RunOutcome, dict[str, Any] | None]:
    """The outcome and (when finished) the result document of a bundle, checked."""
    try:
        outcome = RunOutcome.model_validate_json((bundle / OUTCOME_FILE).read_bytes())
    except FileNotFoundError:
        raise LeaderboardError(f"{bundle}: no {OUTCOME_FILE}: not an evaluation bundle") from None
    except ValueError as exc:
        raise LeaderboardError(f"{bundle}/{OUTCOME_FILE}: invalid: {exc}") from None
    if parse_request_path(outcome.request) is None:
        raise LeaderboardError(f"{bundle}: {outcome.request!r} is not a request path")
    if outcome.status is not Status.finished:
        return outcome, None
    file = bundle / RESULT_FILE
    if not file.exists() or file.stat().st_size > MAX_RESULT_BYTES:
        raise LeaderboardError(f"{bundle}: a finished run needs {RESULT_FILE} (at most 20 MB)")
    document = json.loads(file.read_text(encoding="utf-8"))
    if not isinstance(document, dict) or not isinstance(document.get("results"), dict):
        raise LeaderboardError(f"{file}: not an lm-eval results document")
    provenance = Provenance.model_validate(document.get("provenance"))
    if provenance.request != outcome.request or provenance.attempt != outcome.attempt:
        raise LeaderboardError(f"{file}: its provenance is for another request or attempt")
    return outcome, document


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
        failure_reason=reason[:1900],
        failure_category=category,
    )


class RecordFailed(LeaderboardError):
    """A bundle could not be recorded; the bundle itself is kept, so nothing is lost."""


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
    return isinstance(exc, gitops.GitError) and any(t in str(exc) for t in _NO_ROOM_GIT)


def record(repo: Repo, bundle: Path, *, git: Git, progress: Progress = _quiet) -> Request | None:
    """Commit a bundle: the result file (one per run), the details, and the new status.

    Raises ``RecordFailed`` when it cannot (the disk is full, pushes keep being rejected),
    saying what the request's status now is; the bundle is never touched, so it can be
    recorded again later. On a full disk the attempt is recorded as an infrastructure failure
    if even that fits, so the request is retried instead of waiting for ``reconcile``.
    """
    outcome, document = read_bundle(bundle)
    later = f"the bundle {bundle} is kept: `leaderboard record {bundle} --push` records it later"
    use_git = git.enabled and gitops.is_git_repo(repo.root)
    start = gitops.head(repo.root) if use_git else None
    try:
        return _record(repo, bundle, outcome, document, git, progress)
    except gitops.GitError as exc:
        if not _no_room(exc):
            if start and git.remote:
                # Drop the commit that never got out, so the checkout stays clean for the
                # next record; --keep leaves anything a person changed alone.
                gitops.run_git(repo.root, "reset", "-q", "--keep", start)
            raise RecordFailed(f"{exc}. Nothing is lost: {later}") from exc
        full: BaseException = exc
    except OSError as exc:
        if not _no_room(exc):
            raise
        full = exc
    _discard(repo, outcome, document, git)
    reason = f"the runner's disk was full while recording the result: {full}"
    failed = RunOutcome.model_validate(
        {
            **outcome.model_dump(),
            "status": Status.failed,
            "failure_reason": reason[:1900],
            "failure_category": FailureCategory.infrastructure,
        }
    )
    try:
        state = _record(repo, bundle, failed, None, git, progress)
    except (OSError, gitops.GitError) as again:
        if _no_room(again):
            _discard(repo, outcome, document, git)
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


def _discard(repo: Repo, outcome: RunOutcome, document: dict[str, Any] | None, git: Git) -> None:
    """Undo a recording that ran out of room: no partial result, details or staged change.

    Only the paths recording touches are restored, so nothing a person changed is lost."""
    use_git = git.enabled and gitops.is_git_repo(repo.root)
    paths = [outcome.request]
    result_rel = None
    if document is not None:
        identity = repo.load_request(outcome.request).identity
        result_rel = result_path(identity, document["provenance"]["suite"], outcome.attempt)
        paths.append(result_rel)
    if use_git:
        gitops.run_git(repo.root, "reset", "-q", "HEAD", "--", *paths)
        gitops.run_git(repo.root, "checkout", "-q", "HEAD", "--", outcome.request)
    if result_rel is not None:
        tracked = use_git and gitops.git(repo.root, "ls-files", "--", result_rel, check=False)
        if not tracked:
            repo.path(result_rel).unlink(missing_ok=True)
        details = repo.settings().details
        if details.kind == "local" and not Path(details.path).is_absolute():
            key = result_rel.removeprefix("results/").removesuffix(".json")
            shutil.rmtree(repo.root / details.path / key, ignore_errors=True)


def _record(
    repo: Repo,
    bundle: Path,
    outcome: RunOutcome,
    document: dict[str, Any] | None,
    git: Git,
    progress: Progress,
) -> Request | None:
    settings = repo.settings()
    result_rel = None
    if document is not None:
        provenance = document["provenance"]
        identity = repo.load_request(outcome.request).identity
        result_rel = result_path(identity, provenance["suite"], outcome.attempt)
        samples = sorted((bundle / LM_EVAL_DIR).rglob("samples_*.jsonl"))
        key = result_rel.removeprefix("results/").removesuffix(".json")
        run_url = ci_log_url()
        if settings.details.kind == "local" and run_url:
            # A CI machine's folder vanishes with it; the run's bundle artifact keeps them.
            provenance["details"] = f"{run_url}#artifacts"
        else:
            provenance["details"] = store_details(samples, settings.details, repo.root, key)
        progress(f"details of {outcome.request} stored at {provenance['details']}")
    return _commit_outcome(repo, outcome, document, result_rel, git=git)


def record_missing(repo: Repo, rel: str, *, git: Git) -> Request | None:
    """A claimed request whose evaluation job reported nothing (crashed, cancelled, timed
    out): an infrastructure failure, so it is retried now rather than after the reconcile
    timeout. None when the request is no longer RUNNING."""
    current = repo.load_request(rel)
    if current.status is not Status.running:
        return None
    outcome = RunOutcome(
        request=rel,
        attempt=max(current.attempts, 1),
        runner=current.runner or "unknown",
        status=Status.failed,
        failure_reason=(
            "the evaluation job ended without reporting a result (it crashed, was cancelled or "
            f"timed out){f'; see {current.log_url}' if current.log_url else ''}"
        ),
        failure_category=FailureCategory.infrastructure,
        started_at=current.started_at or utcnow(),
        finished_at=utcnow(),
    )
    return _commit_outcome(repo, outcome, None, None, git=git)


def _commit_outcome(
    repo: Repo,
    outcome: RunOutcome,
    document: dict[str, Any] | None,
    result_rel: str | None,
    *,
    git: Git,
) -> Request | None:
    settings = repo.settings()
    new_state: list[Request | None] = [None]

    def apply() -> list[str]:
        paths = []
        if document is not None and result_rel is not None:
            text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
            write_text_atomic(repo.path(result_rel), text)
            paths.append(result_rel)
        current = repo.load_request(outcome.request)
        new_state[0] = next_state(current, outcome, settings)
        if new_state[0] is not None:
            repo.write_request(outcome.request, new_state[0])
            paths.append(outcome.request)
        return paths

    what = (
        "result" if outcome.status is Status.finished else f"failure ({outcome.failure_category})"
    )
    message = f"Record {what} of {outcome.request} (attempt {outcome.attempt}, {outcome.runner})"
    if outcome.failure_reason:
        message += f"\n\n{outcome.failure_reason}"
    _write(repo, git, message, apply)
    return new_state[0]


def _write(repo: Repo, git: Git, message: str, apply: Callable[[], list[str]]) -> None:
    if not (git.enabled and gitops.is_git_repo(repo.root)):
        apply()
        return
    if git.remote:
        branch = git.branch or gitops.current_branch(repo.root)
        gitops.commit_and_push(repo.root, message, apply, remote=git.remote, branch=branch)
    else:
        gitops.commit_and_push(repo.root, message, apply, remote=None)


# -- all in one ---------------------------------------------------------------------------------


def evaluate_request(
    repo: Repo,
    *,
    runner: str,
    git: Git,
    options: harness.EvalOptions,
    suite: str | None = None,
    only: str | None = None,
    skip: Iterable[str] = (),
    progress: Progress = _quiet,
) -> RunOutcome | None:
    """Claim (the oldest pending but ``skip``, or ``only``), evaluate and record. None: none."""
    require_checkout(repo)
    claimed = claim(repo, runner=runner, git=git, only=only, skip=skip)
    if claimed is None:
        return None
    progress(f"claimed {claimed.path} (attempt {claimed.request.attempts})")
    chosen = load_suite(suite or repo.settings().suite)
    bundle = Path(tempfile.mkdtemp(prefix="lb-run-"))
    try:
        outcome = run_bundle(
            repo, claimed.path, chosen, options, bundle, runner=runner, progress=progress
        )
        state = record(repo, bundle, git=git, progress=progress)
    except RecordFailed:
        raise  # the bundle stays where the error says, to be recorded later
    except BaseException:
        shutil.rmtree(bundle, ignore_errors=True)
        raise
    shutil.rmtree(bundle, ignore_errors=True)
    final = state.status.value if state else "unchanged"
    progress(f"recorded {claimed.path}: {final}")
    return outcome


def evaluate_all(
    repo: Repo,
    *,
    runner: str,
    git: Git,
    options: harness.EvalOptions,
    suite: str | None = None,
    progress: Progress = _quiet,
) -> list[RunOutcome]:
    """Evaluate pending requests until none is left, each at most once per call.

    An infrastructure failure sends a request back to PENDING; taking it again at once would
    spend all its attempts in seconds during a Hub outage, so it waits for the next run.
    """
    outcomes: list[RunOutcome] = []
    done: set[str] = set()
    while True:
        outcome = evaluate_request(
            repo,
            runner=runner,
            git=git,
            options=options,
            suite=suite,
            skip=done,
            progress=progress,
        )
        if outcome is None:
            return outcomes
        outcomes.append(outcome)
        done.add(outcome.request)


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


def reconcile(repo: Repo, *, git: Git, now: datetime | None = None) -> list[tuple[str, Request]]:
    """Send RUNNING requests older than the timeout back to PENDING, or FAILED at the limit."""
    root = repo.root
    if git.enabled and git.remote and gitops.is_git_repo(root):
        gitops.sync_clean(root, git.remote, git.branch or gitops.current_branch(root))
    moment = now or utcnow()

    def stale() -> list[tuple[str, Request]]:
        settings = repo.settings()
        running = requests_with_status(repo, Status.running)
        found = [(rel, stale_state(r, moment, settings)) for rel, r in running]
        return [(rel, new) for rel, new in found if new is not None]

    changes = stale()
    if not changes:
        return []

    def apply() -> list[str]:
        current = stale()  # again: after a rejected push the remote's state decides
        for rel, new in current:
            repo.write_request(rel, new)
        return [rel for rel, _ in current]

    message = "Reconcile stale runs\n\n" + "\n".join(
        f"{rel}: RUNNING -> {new.status.value}" for rel, new in changes
    )
    _write(repo, git, message, apply)
    return changes
