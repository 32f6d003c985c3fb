"""Validating a checkout: find the changes, build the base's view, run the rules.

The rules read two things of the base. Which files exist comes from git's trees, whole
(``store.scans.GitFolders``: every spelling of a model, every model of a namespace, every name
a rename links), without reading a single file. What files say is exported from git into a
scratch folder, for the few the rules read: the curation files, CODEOWNERS, the suites, and the
folders of the models the pull request touches or names. A pull request's own commit
(``--head``) is judged as its merge into the base would be, read the same way, within the
bounds of ``store.objects.Limits``. A full checkout of 100,000 files is never needed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..core import env
from ..core.errors import LeaderboardError, ValidationFailed
from ..core.ids import (
    CODEOWNERS_PATH,
    CURATION_DIR,
    FLAGS_FILE,
    INDEX_DIR,
    RENAMES_FILE,
    REQUESTS_DIR,
    RESULTS_DIR,
    SUITES_DIR,
)
from ..core.models import Change, ChangeKind, Problem, Request, Settings, Status
from ..core.models.change import problem
from ..core.rules import Rule
from ..hub import allowance
from ..store import changes as store_changes
from ..store import git
from ..store.objects import Budget, Objects, TooBig
from ..store.repo import Repo
from ..store.request_file import ParsedRequest, parse_request_file
from ..store.scans import GitFolders
from . import changed_paths, classify, curation_rules, runner_rules, suite_rules
from .context import Context
from .hub_rules import base_revision_problems, do_not_submit_problems, hub_problems
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
    parsed: ParsedRequest,
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
    out += base_revision_problems(ctx, parsed, ask_hub=hub)
    return out


def validate_changes(ctx: Context, changes: list[Change]) -> Report:
    """Judge a pull request's changes. Settings and maintainers come from ``ctx.base``.

    Cheap rules first: the size of the pull request, then each file's parse, path and
    submitter, then the rate limit and duplicates; the Hub is asked only about requests that
    nothing has refused yet, so a pull request of 2,000 requests cannot keep CI busy for hours.
    """
    outcome = Report()
    ctx.changed = {c.path for c in changes} | {c.old_path for c in changes if c.old_path}
    maintainer = ctx.base_settings.is_maintainer(ctx.author)
    if not maintainer and (too_many := pr_size_problems(ctx, changes)):
        outcome.checked = [c.path for c in changes]
        outcome.problems = too_many
        return outcome
    submissions: list[ParsedRequest] = []
    recorded: list[ParsedRequest] = []  # a maintainer's new requests past PENDING
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
    seconds = env.hub_pr_seconds()
    with (
        allowance.deadline(seconds, f"{seconds:g} s for the checks of one pull request"),
        allowance.byte_budget(env.hub_pr_bytes()),
    ):
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
    return size_problems(ctx.base_settings, [(c.path, c.kind is ChangeKind.added) for c in changes])


def size_problems(settings: Settings, changed: list[tuple[str, bool]]) -> list[Problem]:
    """A submitter's pull request over ``max_requests_per_pr``, from its paths alone
    (``(path, added)``): new requests past the cap, or more paths than a submission may have
    (anything but a new request is refused anyway, one problem per path)."""
    cap = settings.max_requests_per_pr
    new = sorted(p for p, added in changed if added and p.startswith(f"{REQUESTS_DIR}/"))
    if len(new) > cap:
        return [
            problem(
                new[cap],
                Rule.pr_size,
                f"this pull request adds {len(new):,} requests; at most {cap} are judged in one "
                "pull request (max_requests_per_pr in curation/settings.yaml): split it into "
                "smaller ones",
            )
        ]
    if len(changed) > cap:
        first = sorted(p for p, _ in changed)[0]
        return [
            problem(
                first,
                Rule.pr_size,
                f"this pull request changes {len(changed):,} files; a submission adds at most "
                f"{cap} request files, and anything else needs a maintainer: "
                f"ask {settings.maintainers_text()}, or split it",
            )
        ]
    return []


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
        ctx.base,
        ctx.head,
        changes,
        ctx.author or "",
        settings=ctx.base_settings,
        folders=ctx.base_folders,
    )
    problems += suite_rules.check_suites(
        ctx.base, ctx.head, changes, ctx.base_settings, ctx.suite_tasks
    )
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

    With ``head_ref``, the pull request is that commit, read from git's objects only: what its
    merge into ``base`` would change is exported as data, never checked out (the base branch's
    workflow judges it this way).
    """
    root = Path(root).resolve()
    if paths:
        # Explicit files: judged against the checkout as it is.
        head = Repo(root)
        changes = [Change(kind=ChangeKind.added, path=_relative(root, p)) for p in paths]
        history = (root, "HEAD") if git.is_git_repo(root) else None
        ctx = Context(
            head=head, base=head, author=author, hub=hub, history=history, suite_tasks=suite_tasks
        )
        return _judge(ctx, changes, [])
    if not (root / ".git").exists():
        raise LeaderboardError(f"{root} is not a git checkout: pass PATHs or run inside one")
    ref = base or "origin/main"
    with Objects(root) as objects:
        try:
            return _validate_commits(
                objects,
                ref,
                head_ref,
                scratch,
                committed=committed,
                author=author,
                hub=hub,
                suite_tasks=suite_tasks,
            )
        except TooBig as exc:
            return _refused([problem(exc.path, exc.rule, str(exc))], "needs-maintainer")
        except ValidationFailed as exc:
            return _refused(exc.problems, "submission")


def _validate_commits(
    objects: Objects,
    ref: str,
    head_ref: str | None,
    scratch: Path,
    *,
    committed: bool,
    author: str | None,
    hub: bool,
    suite_tasks: Callable[..., list[Problem]] | None,
) -> Report:
    """Judge the commits of a repository: the checkout's branch (and, unless ``committed``,
    its uncommitted files), or the commit ``head_ref`` as its merge into ``ref`` would be."""
    root = Path(objects.repo)
    budget = Budget(objects.limits.entries)
    base_tree = objects.root(ref)
    base_dir = scratch / "base"
    objects.export(base_tree, _ALWAYS_READ, base_dir, budget)
    settings = Repo(base_dir).settings()
    if head_ref is None:
        # The checkout's branch, from where it left the base; the rules read the base as it is
        # now, whole (``folders``), so a request merged since the branch was made still counts.
        target = "HEAD"
        fork = store_changes.merge_base(root, ref, target)
        changes = store_changes.changed_files(root, fork, worktree=not committed, head=target)
        entries = store_changes.changed_entries(root, fork, target)
        head = Repo(root)
    else:
        target = head_ref
        merged, conflicts = store_changes.merged_tree(root, ref, head_ref)
        if conflicts:
            return _refused([_conflict(path, ref) for path in conflicts], "submission")
        # The paths first, within bounds, and the request cap on them alone: nothing of the
        # pull request is read before it is known to be of a size that may be read.
        changed = objects.compare(base_tree, merged, budget)
        if not settings.is_maintainer(author):
            listed = [(e.path, old is None) for old, new in changed if (e := new or old)]
            if too_many := size_problems(settings, listed):
                return _refused(too_many, "needs-maintainer")
        changes = store_changes.changed_files(root, base_tree, worktree=False, head=merged)
        entries = store_changes.changed_entries(root, base_tree, merged)
        objects.export(merged, _ALWAYS_READ, scratch / "head", budget)
        head = Repo(scratch / "head")
    models = _model_paths(changes, head, Repo(base_dir))  # named by the head's renames and flags
    if head_ref is not None:
        objects.export(merged, models, scratch / "head", budget)
    objects.export(base_tree, models, base_dir, budget)
    ctx = Context(
        head=head,
        base=Repo(base_dir),
        author=author,
        hub=hub,
        settings=settings,
        history=(root, ref),
        commits=(root, target) if committed else None,
        suite_tasks=suite_tasks,
        folders=GitFolders(objects, base_tree),
    )
    return _judge(ctx, changes, entries)


def _judge(ctx: Context, changes: list[Change], entries: list[tuple[Change, bool]]) -> Report:
    """The trust boundary on every changed path, then the rules on the data."""
    boundary = changed_paths.judge(ctx, entries)
    kept = [c for c in changes if c.path not in boundary.judged]
    outcome = validate_changes(ctx, kept + boundary.handed_on)
    outcome.problems[:0] = boundary.problems
    for refused in boundary.problems:
        outcome.checked.append(refused.path)
        outcome.kinds[refused.path] = "needs-maintainer"
    return outcome


def _refused(problems: list[Problem], kind: str) -> Report:
    """A report that stops at ``problems``: nothing past them was read."""
    outcome = Report(problems=problems)
    for p in problems:
        outcome.checked.append(p.path)
        outcome.kinds[p.path] = kind
    return outcome


def _conflict(path: str, ref: str) -> Problem:
    return problem(
        path,
        Rule.merge_conflict,
        f"this pull request and {ref} both change {path}, and git cannot merge the two: update "
        "your branch from the base branch (merge or rebase), resolve it, and push again",
    )


#: What every rule may read whatever the pull request touches: settings, lists, CODEOWNERS and
#: the suites (a few small folders).
_ALWAYS_READ = (CURATION_DIR, CODEOWNERS_PATH, SUITES_DIR)


def _model_paths(changes: list[Change], head: Repo, base: Repo) -> list[str]:
    """The folders of every model the pull request touches or names: its requests', results'
    and index entries' folders, a changed rename's old and new names, and the requests of a
    model a new flag names (the rules read their files; existence alone comes from folders)."""
    models: set[str] = set()
    for change in changes:
        for path in (change.path, change.old_path):
            parts = (path or "").split("/")
            if len(parts) >= 4 and parts[0] in (REQUESTS_DIR, RESULTS_DIR, INDEX_DIR):
                models.add(f"{parts[1]}/{parts[2]}")
    changed = {c.path for c in changes}
    flagged: set[str] = set()
    try:
        if RENAMES_FILE in changed:
            for entry in head.renames().renames:
                models |= {entry.old, entry.new}
        if FLAGS_FILE in changed:
            before = {f.model_dump_json() for f in base.flags().flags}
            flagged = {f.model for f in head.flags().flags if f.model_dump_json() not in before}
    except ValidationFailed:
        pass  # the rules report the broken file
    specs = [f"{top}/{m}" for m in sorted(models) for top in (REQUESTS_DIR, RESULTS_DIR, INDEX_DIR)]
    return specs + [f"{REQUESTS_DIR}/{m}" for m in sorted(flagged - models)]


def _relative(root: Path, path: str) -> str:
    p = Path(path)
    absolute = p if p.is_absolute() else (Path.cwd() / p)
    try:
        # Resolve the folder but not the file: a symlinked file must be seen, and refused.
        return (absolute.parent.resolve() / absolute.name).relative_to(root).as_posix()
    except ValueError:
        raise LeaderboardError(f"{path} is not inside the repository {root}") from None
