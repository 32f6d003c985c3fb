"""The evaluation queue: claim, evaluate, record, reconcile.

Statuses move ``PENDING → RUNNING → FINISHED | FAILED`` and only here. A claim is a commit
that sets ``RUNNING``; pushing it is the lock, so two runners never evaluate the same request.
An evaluation writes a *bundle* (``outcome.json``, ``result.json``, lm-eval's samples), which
``record`` turns into ``results/…json`` and the request's new status. On one machine the three
steps run in one process (``evaluate_request``); in GitHub Actions they are three jobs, so that
the GPU job never holds a write token. ``reconcile`` recovers runs whose runner vanished.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ..core.errors import RecordFailed
from ..core.models import RunOutcome
from ..harness.options import EvalOptions
from ..store.repo import Repo
from ..suites.loader import load_suite
from .bundles import require_checkout, run_bundle
from .claims import CommitPolicy, Progress, claim, quiet
from .records import record

# -- all in one ---------------------------------------------------------------------------------


def evaluate_request(
    repo: Repo,
    *,
    runner: str,
    policy: CommitPolicy,
    options: EvalOptions,
    suite: str | None = None,
    only: str | None = None,
    skip: Iterable[str] = (),
    progress: Progress = quiet,
) -> RunOutcome | None:
    """Claim (the oldest pending but ``skip``, or ``only``), evaluate and record. None: none."""
    require_checkout(repo)
    claimed = claim(repo, runner=runner, policy=policy, only=only, skip=skip)
    if claimed is None:
        return None
    progress(f"claimed {claimed.path} (attempt {claimed.request.attempts})")
    settings = repo.settings()  # after the claim: as on the remote now
    chosen = load_suite(suite or settings.suite, repo.root)
    bundle = Path(tempfile.mkdtemp(prefix="lb-run-"))
    try:
        outcome = run_bundle(
            repo, claimed.path, chosen, options, bundle, runner=runner, progress=progress
        )
        state = record(repo, bundle, policy=policy, progress=progress, settings=settings)
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
    policy: CommitPolicy,
    options: EvalOptions,
    suite: str | None = None,
    progress: Progress = quiet,
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
            policy=policy,
            options=options,
            suite=suite,
            skip=done,
            progress=progress,
        )
        if outcome is None:
            return outcomes
        outcomes.append(outcome)
        done.add(outcome.request)
