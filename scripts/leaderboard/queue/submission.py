"""What enters the queue: a submitter's request, its commit resolved, checked by every rule CI
will run (``checks``), written as the PENDING file of a pull request."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError as PydanticValidationError

from ..checks.context import Context
from ..checks.submission_rules import rate_limit_problems, submitter_problems
from ..checks.validate import check_new_request
from ..core import errors
from ..core.errors import LeaderboardError, ValidationFailed
from ..core.ids import request_path
from ..core.models import Request, problem, utcnow
from ..core.plan import params_in_billions
from ..core.rules import Rule
from ..hub import facts, sizes
from ..store.repo import Repo
from ..store.request_file import ParsedRequest


def _params(request: Request) -> float | None:
    """The request's ``params``, so that the runner pools can be planned offline; None when the
    Hub cannot count them (the checks below then say why)."""
    try:
        counted = sizes.loaded_params(request)
    except errors.HubError:
        return None
    return None if counted is None else params_in_billions(counted)


@dataclass
class Submitted:
    path: str
    request: Request
    git_commands: list[str]


def submit(
    root: Path | str,
    *,
    model: str,
    revision: str,
    precision: str,
    weight_type: str,
    base_model: str | None,
    model_type: str,
    base_revision: str | None = None,
    use_chat_template: bool,
    submitter: str | None,
    dry_run: bool = False,
    eval_results_pr: bool = False,
) -> Submitted:
    """Check a new request as CI will, then write it (unless ``dry_run``). Never overwrites."""
    if not submitter:
        raise LeaderboardError(
            "who is submitting? pass --submitter LOGIN (your GitHub login), or set it once with "
            "`git config --global github.user LOGIN`"
        )
    repo = Repo(root)
    if base_revision and (weight_type == "Original" or not base_model):
        raise LeaderboardError(
            "--base-revision pins the base model of Adapter and Delta weights: give it with "
            "--weight-type Adapter|Delta and --base-model"
        )
    try:
        draft: dict[str, Any] = dict(
            model=model,
            revision="0" * 40,
            precision=precision,
            weight_type=weight_type,
            base_model=base_model,
            model_type=model_type,
            use_chat_template=use_chat_template,
            submitter=submitter,
            submitted_at=utcnow(),
        )
        if eval_results_pr:  # written only when asked: other requests keep their exact form
            draft["eval_results_pr"] = True
        Request.model_validate(draft)  # bad arguments fail before any Hub call
        draft["revision"] = facts.resolve_revision(model, revision)
        if base_model and weight_type != "Original":
            # The base is pinned too: the runner loads exactly the commit the checks judged.
            draft["base_revision"] = facts.resolve_revision(base_model, base_revision or "main")
        draft["params"] = _params(Request.model_validate(draft))
        request = Request.model_validate(draft)
    except PydanticValidationError as exc:
        raise LeaderboardError(
            "; ".join(
                f"{'.'.join(map(str, e['loc'])) or 'request'}: {e['msg']}" for e in exc.errors()
            )
        ) from None
    except errors.HubError as exc:
        raise ValidationFailed([problem(model, exc.rule, str(exc))]) from None
    rel = request_path(request.identity)
    if (repo.root / rel).exists():
        raise ValidationFailed(
            [
                problem(
                    rel,
                    Rule.duplicate,
                    "this request already exists (same model, commit, precision and chat "
                    "template); it is not written again",
                )
            ]
        )
    ctx = Context(head=repo, base=repo, author=submitter)
    parsed = ParsedRequest(rel, request, {}, [])
    problems = submitter_problems(ctx, parsed) + check_new_request(ctx, parsed)
    problems += rate_limit_problems(ctx, [parsed])
    if problems:
        raise ValidationFailed(problems)
    if not dry_run:
        repo.write_request(rel, request, create=True)
    return Submitted(rel, request, pull_request_commands(request, rel))


def pull_request_title(request: Request) -> str:
    """The pull request's title (and its one commit's message)."""
    return f"Submit {request.model} @ {request.revision[:8]} ({request.precision.value})"


def pull_request_commands(request: Request, rel: str) -> list[str]:
    """The git commands that open the pull request adding ``rel`` (the Submit page shows
    them too, for an example request)."""
    branch = f"submit/{request.model.replace('/', '-')}-{request.revision[:8]}"
    return [
        f"git switch -c {shlex.quote(branch)}",
        f"git add {shlex.quote(rel)}",
        f"git commit -m {shlex.quote(pull_request_title(request))}",
        f"git push -u origin {shlex.quote(branch)}",
        "gh pr create --fill   # or open the link that git push prints",
    ]
