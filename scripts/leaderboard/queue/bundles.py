"""Evaluating one request into a bundle, and reading a bundle back.

A bundle is ``outcome.json``, ``result.json`` when the run finished, and lm-eval's samples. The
GPU job writes it without a write token; ``record`` turns it into a commit.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from ..core import errors
from ..core.errors import BundleRefused, LeaderboardError, MissingScore
from ..core.ids import parse_request_path
from ..core.models import (
    DatasetRevision,
    FailureCategory,
    HubFacts,
    Provenance,
    Request,
    RunOutcome,
    RunPlan,
    Status,
    Suite,
    WeightType,
    json_ready,
    utcnow,
)
from ..core.models.types import MAX_RUNNER
from ..core.printable import QUOTE, bounded, printable, quoted
from ..harness import run as harness_run
from ..harness.hardware import gpu_inventory, hardware, software_versions
from ..harness.options import EvalOptions, EvalOutput
from ..store import git
from ..store.files import write_text_atomic
from ..store.repo import Repo
from ..suites.scoring import score
from .claims import Progress, quiet

log = logging.getLogger(__name__)

OUTCOME_FILE = "outcome.json"
RESULT_FILE = "result.json"
LM_EVAL_DIR = "lm-eval"
#: A results file larger than this is not lm-eval's: refuse it rather than commit it.
MAX_RESULT_BYTES = 20 * 1024 * 1024


# -- evaluate (into a bundle) -------------------------------------------------------------------


def require_checkout(repo: Repo) -> None:
    """Results name the commit of their claim, so evaluating needs a git checkout."""
    if not git.is_git_repo(repo.root):
        raise LeaderboardError(
            f"{repo.root} is not a git checkout of the leaderboard repository: results record "
            "the commit of their claim (use `git clone`, or `git init` and commit the requests)"
        )


def hub_facts(request: Request) -> HubFacts | None:
    """What the Hub says about the model, for the record; None if it cannot say."""
    from ..hub.facts import model_facts

    try:
        return model_facts(request.model, request.revision)
    except Exception as exc:  # facts are a courtesy: a Hub hiccup must not fail a finished run
        log.warning("could not read Hub facts for %s: %s", request.model, exc)
        return None


def run_bundle(
    repo: Repo,
    rel: str,
    suite: Suite,
    options: EvalOptions,
    out_dir: Path,
    *,
    runner: str,
    progress: Progress = quiet,
    plan: RunPlan | None = None,
) -> RunOutcome:
    """Evaluate one request into ``out_dir`` (a bundle); never touches git or the request.

    ``plan`` is the request's run plan (``leaderboard claim --plan`` made it); it must be for
    this request."""
    if parse_request_path(rel) is None or not repo.path(rel).is_file():
        raise LeaderboardError(f"{rel}: no such request file in {repo.root}")
    require_checkout(repo)
    if plan is not None and plan.request and plan.request != rel:
        raise LeaderboardError(f"the plan given is for {plan.request}, not for {rel}")
    request = repo.read_request(rel)
    request_commit = git.head(repo.root)
    attempt = max(request.attempts, 1)
    started = utcnow()
    out_dir.mkdir(parents=True, exist_ok=True)
    progress(f"evaluating {request.model}@{request.revision[:12]} on suite {suite.name}")
    status: Literal[Status.finished, Status.failed] = Status.finished
    reason: str | None = None
    category: FailureCategory | None = None
    try:
        request = pin_base(repo, rel, request)
        output = harness_run.evaluate(request, suite, options, out_dir / LM_EVAL_DIR, plan=plan)
        try:
            score(output.results, suite)
        except MissingScore as exc:
            raise errors.EvaluationFailed(
                f"the results cannot be scored: {exc}", FailureCategory.infrastructure
            ) from exc
        provenance = _provenance(
            rel, request, request_commit, attempt, suite, options, output, runner, started, plan
        )
        document = {**output.results, "provenance": json_ready(provenance)}
        write_text_atomic(out_dir / RESULT_FILE, json.dumps(document, indent=2) + "\n")
    except errors.EvaluationFailed as exc:
        status, reason, category = Status.failed, exc.reason, exc.category
        progress(f"failed ({category.value}): {reason}")
    outcome = RunOutcome(
        request=rel,
        attempt=attempt,
        runner=runner[:MAX_RUNNER],
        status=status,
        failure_reason=reason,
        failure_category=category,
        started_at=started,
        finished_at=utcnow(),
    )
    write_text_atomic(out_dir / OUTCOME_FILE, outcome.model_dump_json(indent=2) + "\n")
    return outcome


def pin_base(repo: Repo, rel: str, request: Request) -> Request:
    """The request with its base model pinned: as it is, or, for an Adapter or Delta request
    older than ``base_revision``, at the base's commit on main now, judged again by every Hub
    check before it is loaded.

    Validation judged such a base as it was when the pull request was opened; its owner may
    have pushed anything since (a model of a trillion parameters), so the checks run again on
    the commit that will be loaded, and a base that fails them is the model's failure.
    """
    from ..checks.context import Context
    from ..checks.hub_rules import hub_problems
    from ..core.rules import RETRY_RULES
    from ..hub.facts import resolve_revision
    from ..store.request_file import ParsedRequest

    if (
        request.weight_type is WeightType.original
        or request.base_revision
        or not request.base_model
    ):
        return request
    try:
        sha = resolve_revision(request.base_model, "main")
    except errors.HubUnavailable as exc:
        raise errors.EvaluationFailed(str(exc), FailureCategory.infrastructure) from None
    except errors.HubError as exc:
        raise errors.EvaluationFailed(f"base model: {exc}", FailureCategory.model) from None
    pinned = request.model_copy(update={"base_revision": sha})
    problems = hub_problems(Context(head=repo, base=repo), ParsedRequest(rel, pinned, {}, []))
    if not problems:
        return pinned
    ours = all(p.rule in RETRY_RULES for p in problems)
    raise errors.EvaluationFailed(
        f"the request does not pin its base model, so {request.base_model} was checked again at "
        f"its commit on main now ({sha[:12]}) and fails: "
        + "; ".join(f"[{p.rule}] {p.message}" for p in problems[:3])
        + ". Submit it again with base_revision pinned to a commit that passes",
        FailureCategory.infrastructure if ours else FailureCategory.model,
    )


def _provenance(
    rel: str,
    request: Request,
    request_commit: str,
    attempt: int,
    suite: Suite,
    options: EvalOptions,
    output: EvalOutput,
    runner: str,
    started: datetime,
    plan: RunPlan | None,
) -> Provenance:
    gpu_model, gpu_count = gpu_inventory()
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
        **software_versions(),
        hardware=hardware(),
        device=output.device or None,
        batch_size=output.batch_size or None,
        pool=plan.pool if plan else None,
        parallelism=plan.parallelism if plan else None,
        gpu_model=gpu_model,
        gpu_count=gpu_count or None,
        planned_memory_gb=plan.memory_gb if plan else None,
        peak_memory_gb=output.peak_memory_gb,
        runner=runner[:MAX_RUNNER],
        started_at=started,
        finished_at=utcnow(),
        wall_time_seconds=round(output.wall_time_seconds, 3),
        command=output.command,
        hub=hub_facts(request),
        datasets=[DatasetRevision.model_validate(d) for d in output.datasets],
    )


# -- reading a bundle back, for record -----------------------------------------------------


def _bundle_file(bundle: Path, name: str) -> Path:
    """A file of the bundle itself: a link could make ``record`` read or publish any file of
    the machine it runs on."""
    file = bundle / name
    if file.is_symlink() or (file.exists() and not file.is_file()):
        raise BundleRefused(f"{printable(file)} is not a plain file")
    return file


def read_bundle(bundle: Path) -> tuple[RunOutcome, dict[str, Any] | None]:
    """The outcome and (when finished) the result document of a bundle, checked.

    Raises ``BundleRefused`` for anything that is not a well-formed bundle: the bundle was
    written by a job that held no write token, and is read as a stranger's data.
    """
    try:
        outcome = RunOutcome.model_validate_json(_bundle_file(bundle, OUTCOME_FILE).read_bytes())
    except FileNotFoundError:
        raise BundleRefused(
            f"{printable(bundle)}: no {OUTCOME_FILE}: not an evaluation bundle"
        ) from None
    except (ValueError, OSError) as exc:
        raise BundleRefused(
            f"{printable(bundle)}/{OUTCOME_FILE}: invalid: {bounded(exc, QUOTE)}"
        ) from None
    if parse_request_path(outcome.request) is None:
        raise BundleRefused(f"{printable(bundle)}: {quoted(outcome.request)} is not a request path")
    if outcome.status is not Status.finished:
        return outcome, None
    file = _bundle_file(bundle, RESULT_FILE)
    if not file.exists() or file.stat().st_size > MAX_RESULT_BYTES:
        raise BundleRefused(
            f"{printable(bundle)}: a finished run needs {RESULT_FILE} (at most 20 MB)"
        )
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
        if not isinstance(document, dict) or not isinstance(document.get("results"), dict):
            raise ValueError("not an lm-eval results document")
        provenance = Provenance.model_validate(document.get("provenance"))
    except (ValueError, RecursionError) as exc:
        raise BundleRefused(f"{printable(file)}: {bounded(exc, QUOTE)}") from None
    if provenance.request != outcome.request or provenance.attempt != outcome.attempt:
        raise BundleRefused(f"{printable(file)}: its provenance is for another request or attempt")
    return outcome, document


def samples_of(bundle: Path) -> list[Path]:
    """lm-eval's sample files in a bundle: plain files only, never a link out of it."""
    return sorted(
        p
        for p in (bundle / LM_EVAL_DIR).rglob("samples_*.jsonl")
        if p.is_file() and not p.is_symlink()
    )
