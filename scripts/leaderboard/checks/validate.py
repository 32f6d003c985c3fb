"""Validating a checkout: find the changes, build the base's view, run the rules.

The base's view is exported from git into a scratch folder, and only the parts the rules read:
the curation files, CODEOWNERS, and the request and result folders of the models the pull
request touches (renames included). A full checkout of 100,000 files is never needed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..core.errors import LeaderboardError, ValidationFailed
from ..core.ids import (
    CURATION_DIR,
    INDEX_DIR,
    RENAMES_FILE,
    REQUESTS_DIR,
    RESULTS_DIR,
)
from ..core.models import Change, ChangeKind, Problem, Request, Status
from ..core.models.change import problem
from ..core.rules import Rule
from ..store import changes as store_changes
from ..store import git as store_git
from ..store.repo import Repo
from ..store.request_file import Parsed, parse_request_file
from . import changed_paths, classify, curation_rules, runner_rules, suite_rules
from .context import Context
from .hub_rules import do_not_submit_problems, hub_problems
from .report import Report
from .submission_rules import (
    date_problems,
    duplicate_problems,
    needs_maintainer,
    rate_limit_problems,
    runner_field_problems,
    submitter_problems,
)

# --------------------------------------------------------------------------------------------
# One new request, and a whole pull request
# --------------------------------------------------------------------------------------------


def check_new_request(
    ctx: Context,
    parsed: Parsed,
    others_in_pr: list[Request] | None = None,
    *,
    hub: bool = True,
) -> list[Problem]:
    """Rules 3 to 5 for one parsed new request (rules 1 and 2 are the caller's). The Hub is
    asked only when ``hub`` and nothing cheaper has refused the request already."""
    others = others_in_pr or []
    out = duplicate_problems(ctx, parsed, others)
    out += do_not_submit_problems(ctx, parsed)
    out += runner_rules.precision_problems(ctx, parsed)
    if ctx.hub and hub and not out:
        out += hub_problems(ctx, parsed)  # runner-capacity with the Hub's parameter count
    elif not out:
        out += runner_rules.capacity_problems(ctx, parsed, None)  # the request's own params
    return out


def validate_changes(ctx: Context, changes: list[Change]) -> Report:
    """Judge a pull request's changes. Settings and maintainers come from ``ctx.base``.

    Cheap rules first: the size of the pull request, then each file's parse, path and
    submitter, then the rate limit and duplicates; the Hub is asked only about requests that
    nothing has refused yet, so a pull request of 2,000 requests cannot keep CI busy for hours.
    """
    outcome = Report()
    ctx.changed = {c.path for c in changes} | {c.old_path for c in changes if c.old_path}
    maintainer = ctx.settings.is_maintainer(ctx.author)
    if not maintainer and (too_many := pr_size_problems(ctx, changes)):
        outcome.checked = [c.path for c in changes]
        outcome.problems = too_many
        return outcome
    submissions: list[Parsed] = []
    recorded: list[Parsed] = []  # a maintainer's new requests past PENDING
    others: list[Change] = []
    for change in changes:
        outcome.checked.append(change.path)
        if change.kind is ChangeKind.added and change.path.startswith(f"{REQUESTS_DIR}/"):
            parsed = parse_request_file(ctx.head, change.path)
            # Every problem the file has, at once: a misplaced file is still judged on its
            # content (submitter, dates, duplicates), so one run lists everything to fix.
            outcome.problems += parsed.problems
            if parsed.request is None:
                outcome.kinds[change.path] = "submission"
                continue
            if parsed.request.status is Status.pending:
                outcome.kinds[change.path] = "submission"
                submissions.append(parsed)
                if not maintainer:
                    outcome.problems += submitter_problems(ctx, parsed)
                else:
                    outcome.problems += date_problems(ctx, parsed, against_commit=False)
                continue
            if maintainer:
                recorded.append(parsed)
        others.append(change)
    if others:
        outcome.problems += _other_changes(ctx, others, maintainer, outcome)
    outcome.problems += rate_limit_problems(ctx, submissions)
    requests = [p.request for p in submissions + recorded if p.request is not None]
    for parsed in submissions:
        refused = any(p.path == parsed.rel for p in outcome.problems)
        outcome.problems += check_new_request(ctx, parsed, requests, hub=not refused)
    for parsed in recorded:
        outcome.problems += duplicate_problems(ctx, parsed, requests)
        outcome.problems += date_problems(ctx, parsed, against_commit=False)
        outcome.problems += runner_field_problems(ctx, parsed)
    return outcome


def pr_size_problems(ctx: Context, changes: list[Change]) -> list[Problem]:
    """More new requests than ``max_requests_per_pr``: refused before any file is read."""
    new = [
        c.path
        for c in changes
        if c.kind is ChangeKind.added and c.path.startswith(f"{REQUESTS_DIR}/")
    ]
    cap = ctx.settings.max_requests_per_pr
    if len(new) <= cap:
        return []
    return [
        problem(
            sorted(new)[cap],
            Rule.pr_size,
            f"this pull request adds {len(new):,} requests; at most {cap} are judged in one "
            "pull request (max_requests_per_pr in curation/settings.yaml): split it into "
            "smaller ones",
        )
    ]


def _other_changes(
    ctx: Context, changes: list[Change], maintainer: bool, outcome: Report
) -> list[Problem]:
    """Changes that are not plain submissions: a maintainer's curation, or needs-maintainer."""
    if not maintainer:
        out = []
        for change in changes:
            parsed = None
            if change.kind is ChangeKind.added and change.path.startswith(f"{REQUESTS_DIR}/"):
                parsed = parse_request_file(ctx.head, change.path)
            outcome.kinds[change.path] = "needs-maintainer"
            out.append(needs_maintainer(ctx, change, parsed))
        return out
    kind = classify.classify(changes, ctx.base, ctx.head)
    problems = curation_rules.check_change(
        ctx.base, ctx.head, changes, ctx.author or "", settings=ctx.settings
    )
    problems += suite_rules.check_suites(ctx.base, ctx.head, changes, ctx.settings, ctx.suite_tasks)
    # A changed request's schema problems were already reported when it was parsed above.
    problems = [p for p in problems if p not in outcome.problems]
    for change in changes:
        outcome.kinds[change.path] = kind
    return problems


def validate_repo(
    root: Path | str,
    *,
    base: str | None = None,
    paths: list[str] | None = None,
    author: str | None = None,
    hub: bool = True,
    committed: bool = False,
    scratch: Path,
    suite_tasks: Callable[..., list[Problem]] | None = None,
    head_ref: str | None = None,
) -> Report:
    """Validate the changes of the checkout at ``root`` against ``base`` (or given ``paths``).

    With ``head_ref``, the pull request is that commit, read from git's objects only: its files
    are exported as data, never checked out (the base branch's workflow judges it this way).
    """
    root = Path(root).resolve()
    head = Repo(root)
    history = commits = None
    entries: list[tuple[Change, bool]] = []
    if paths:
        changes = [Change(kind=ChangeKind.added, path=_relative(root, p)) for p in paths]
        base_repo = head  # explicit files: judged against the checkout as it is
        if store_git.is_git_repo(root):
            history = (root, "HEAD")
    else:
        if not (root / ".git").exists():
            raise LeaderboardError(f"{root} is not a git checkout: pass PATHs or run inside one")
        # A pull request's changes are what its branch did since it left the base (the merge
        # base, as GitHub diffs it), while the rules read the base as it is now: a request
        # merged since the branch was made must not look deleted, and must still count as a
        # duplicate. In CI the checkout is GitHub's merge commit and the base its first parent,
        # so the two are the same commit there.
        ref = base or "origin/main"
        target = head_ref or "HEAD"
        fork = store_changes.merge_base(root, ref, target)
        worktree = not committed and head_ref is None
        changes = store_changes.changed_files(root, fork, worktree=worktree, head=target)
        entries = store_changes.changed_entries(root, fork, target)
        if head_ref is not None:
            store_changes.export(
                root, head_ref, [CURATION_DIR, ".github/CODEOWNERS"], scratch / "head"
            )
            head = Repo(scratch / "head")
            export_base(root, head_ref, changes, head, scratch / "head")
        export_base(root, ref, changes, head, scratch / "base")
        base_repo = Repo(scratch / "base")
        history = (root, ref)
        if committed:
            commits = (root, target)
    ctx = Context(
        head=head,
        base=base_repo,
        author=author,
        hub=hub,
        history=history,
        commits=commits,
        suite_tasks=suite_tasks,
    )
    boundary = changed_paths.judge(ctx, entries)
    kept = [c for c in changes if c.path not in boundary.judged]
    outcome = validate_changes(ctx, kept + boundary.handed_on)
    outcome.problems[:0] = boundary.problems
    for refused in boundary.problems:
        outcome.checked.append(refused.path)
        outcome.kinds[refused.path] = "needs-maintainer"
    return outcome


def export_base(root: Path, ref: str, changes: list[Change], head: Repo, dest: Path) -> None:
    models: set[str] = set()
    for change in changes:
        for path in (change.path, change.old_path):
            parts = (path or "").split("/")
            if len(parts) >= 4 and parts[0] in (REQUESTS_DIR, RESULTS_DIR, INDEX_DIR):
                models.add(f"{parts[1]}/{parts[2]}")
    renames_rel = RENAMES_FILE
    if any(c.path == renames_rel for c in changes):
        try:
            for entry in head.renames().renames:
                models |= {entry.old, entry.new}
        except ValidationFailed:
            pass  # the rules report the broken file
    specs = [CURATION_DIR, ".github/CODEOWNERS"]
    specs.append(suite_rules.REPO_SUITES)  # a few small folders: the suite versions rules read
    specs += [
        f"{top}/{m}" for m in sorted(models) for top in (REQUESTS_DIR, RESULTS_DIR, INDEX_DIR)
    ]
    store_changes.export(root, ref, specs, dest)


def _relative(root: Path, path: str) -> str:
    p = Path(path)
    absolute = p if p.is_absolute() else (Path.cwd() / p)
    try:
        # Resolve the folder but not the file: a symlinked file must be seen, and refused.
        return (absolute.parent.resolve() / absolute.name).relative_to(root).as_posix()
    except ValueError:
        raise LeaderboardError(f"{path} is not inside the repository {root}") from None
