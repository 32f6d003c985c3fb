"""Maintainers' acts, each prepared as file changes in a checkout.

Every act (flag, unflag, maintainer's choice, do-not-submit, rename, remove, relaunch) edits
files and nothing else: the maintainer reviews the diff and opens a pull request, CI checks it
with ``checks.curation_rules``, and the site shows it once merged. Each function returns a
:class:`Prepared` that lists what changed and the git commands that open the pull request.

The functions refuse early (``LeaderboardError``) what the validator would refuse later, so a
maintainer learns about a typo before pushing.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticValidationError

from ..core.errors import LeaderboardError
from ..core.ids import (
    CHOICE_FILE,
    DO_NOT_SUBMIT_FILE,
    FLAGS_FILE,
    INDEX_DIR,
    RENAMES_FILE,
    REQUESTS_DIR,
    RESULTS_DIR,
    index_path,
)
from ..core.models import (
    DoNotSubmitEntry,
    Flag,
    GitHubLogin,
    ModelId,
    OrgName,
    Relaunch,
    Removal,
    Rename,
    Sha,
    Status,
    utcnow,
)
from ..core.transitions import apply_relaunch, renamed_path, renamed_request, renamed_result
from ..hub.outage import is_outage
from ..store import result_index
from ..store.files import dump_result, write_text_atomic
from ..store.git import github_login
from ..store.repo import Repo

#: The pull request body the printed ``gh pr create`` starts from.
TEMPLATE = ".github/PULL_REQUEST_TEMPLATE/curation.md"

#: ``(model, revision) -> commit sha`` on the Hub; raises when the model or revision is missing.
Resolver = Callable[[str, str], str]


@dataclass
class Prepared:
    """One curation act, written to the checkout and ready to become a pull request."""

    act: str
    title: str
    changed: list[str] = field(default_factory=list)
    moved: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def branch(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-")[:60].rstrip("-")
        return f"curation/{slug}"

    def paths(self) -> list[str]:
        """Every path to stage: written files, and the folders at both ends of each move."""
        out = list(self.changed)
        for old, new in self.moved:
            out += [str(PurePosixPath(old).parent), str(PurePosixPath(new).parent)]
        return sorted(set(out))

    def git_commands(self) -> list[str]:
        q = shlex.quote
        return [
            f"git switch -c {q(self.branch)}",
            "git add -A -- " + " ".join(q(p) for p in self.paths()),
            f"git commit -m {q(self.title)}",
            f"git push -u origin {q(self.branch)}",
            f"gh pr create --body-file {TEMPLATE} --title {q(self.title)}",
        ]

    def render(self) -> str:
        lines = [f"{self.act}: {self.title}"]
        lines += [f"  moved    {old} -> {new}" for old, new in self.moved]
        lines += [f"  changed  {p}" for p in self.changed]
        lines += [f"note: {n}" for n in self.notes]
        lines += ["", "Review the diff (git diff), then open the pull request:"]
        lines += [f"  {c}" for c in self.git_commands()]
        return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Who acts
# --------------------------------------------------------------------------------------------


def default_login(repo: Repo, explicit: str | None = None) -> str:
    """The acting maintainer: ``explicit``, else ``git config github.user``, else $GITHUB_ACTOR."""
    login = explicit or github_login(repo.root)
    if not login:
        raise LeaderboardError(
            "who is acting? pass --maintainer LOGIN, or set it once with "
            "`git config github.user LOGIN`"
        )
    return _valid(GitHubLogin, login, "maintainer login")


def require_maintainer(repo: Repo, login: str) -> str:
    settings = repo.settings()
    if not settings.is_maintainer(login):
        raise LeaderboardError(
            f"{login} is not a maintainer ({settings.maintainers_text()}); a maintainer "
            "must prepare this change, or the validator will refuse it"
        )
    return login


# --------------------------------------------------------------------------------------------
# Flags
# --------------------------------------------------------------------------------------------


def flag(
    repo: Repo,
    model: str,
    *,
    category: str,
    discussion: str,
    maintainer: str,
    sha: str | None = None,
    note: str | None = None,
    now: datetime | None = None,
) -> Prepared:
    """Flag a model (or one of its commits) with a category and a link to the public discussion."""
    require_maintainer(repo, maintainer)
    try:
        # Validated as typed on the command line: the category is checked against FlagCategory.
        entry = Flag.model_validate(
            {
                "model": model,
                "sha": sha,
                "category": category,
                "discussion": discussion,
                "date": now or utcnow(),
                "maintainer": maintainer,
                "note": note,
            }
        )
    except PydanticValidationError as exc:
        raise LeaderboardError(_pydantic_message(exc)) from None
    _require_requests(repo, entry.model, entry.sha)
    flags = repo.flags()
    for existing in flags.flags:
        if _same_model(existing.model, entry.model) and existing.sha == entry.sha:
            what = f"{entry.model}@{entry.sha[:12]}" if entry.sha else entry.model
            raise LeaderboardError(
                f"{what} is already flagged ({existing.category.value}, {existing.discussion}); "
                "unflag it first to change the flag"
            )
    flags.flags.append(entry)
    rel = repo.write_curation("flags", flags)
    what = f"{entry.model}@{entry.sha[:12]}" if entry.sha else entry.model
    return Prepared("flag", f"Flag {what}: {entry.category.value}", changed=[rel])


def unflag(repo: Repo, model: str, *, sha: str | None = None) -> Prepared:
    """Remove a model's flags: every flag of the model, or only the one for ``sha``."""
    flags = repo.flags()
    keep = [
        f
        for f in flags.flags
        if not (_same_model(f.model, model) and (sha is None or f.sha == sha))
    ]
    if len(keep) == len(flags.flags):
        what = f"{model}@{sha}" if sha else model
        raise LeaderboardError(f"{what} has no flag in {FLAGS_FILE}")
    flags.flags = keep
    rel = repo.write_curation("flags", flags)
    what = f"{model}@{sha[:12]}" if sha else model
    return Prepared("unflag", f"Unflag {what}", changed=[rel])


# --------------------------------------------------------------------------------------------
# Maintainer's choice and do-not-submit
# --------------------------------------------------------------------------------------------


def choice_add(repo: Repo, org: str) -> Prepared:
    """Add a trusted organisation to the maintainer's choice (also exempt from the rate limit)."""
    org = _valid(OrgName, org, "organisation")
    choice = repo.maintainers_choice()
    if any(o.lower() == org.lower() for o in choice.organisations):
        raise LeaderboardError(f"{org} is already in the maintainer's choice")
    choice.organisations = sorted([*choice.organisations, org], key=str.lower)
    rel = repo.write_curation("maintainers_choice", choice)
    return Prepared("maintainer's choice", f"Add {org} to the maintainer's choice", changed=[rel])


def choice_remove(repo: Repo, org: str) -> Prepared:
    choice = repo.maintainers_choice()
    keep = [o for o in choice.organisations if o.lower() != org.lower()]
    if len(keep) == len(choice.organisations):
        raise LeaderboardError(f"{org} is not in the maintainer's choice ({CHOICE_FILE})")
    choice.organisations = keep
    rel = repo.write_curation("maintainers_choice", choice)
    return Prepared(
        "maintainer's choice", f"Remove {org} from the maintainer's choice", changed=[rel]
    )


def do_not_submit_add(
    repo: Repo, model: str, *, reason: str, now: datetime | None = None
) -> Prepared:
    """List a model whose authors asked not to be evaluated; submitting it is then refused."""
    try:
        entry = DoNotSubmitEntry(model=model, reason=reason, date=now or utcnow())
    except PydanticValidationError as exc:
        raise LeaderboardError(_pydantic_message(exc)) from None
    dns = repo.do_not_submit()
    if any(_same_model(e.model, entry.model) for e in dns.models):
        raise LeaderboardError(f"{entry.model} is already on the do-not-submit list")
    dns.models.append(entry)
    rel = repo.write_curation("do_not_submit", dns)
    prepared = Prepared("do-not-submit", f"Do not submit {entry.model}", changed=[rel])
    live = [r for r in repo.request_files(entry.model) if repo.read_request(r).removed is None]
    if live:
        prepared.notes.append(
            f"{entry.model} already has {len(live)} request(s) on the leaderboard; to take them "
            f'off as well, also run: leaderboard remove {entry.model} --reason "..."'
        )
    return prepared


def do_not_submit_remove(repo: Repo, model: str) -> Prepared:
    dns = repo.do_not_submit()
    keep = [e for e in dns.models if not _same_model(e.model, model)]
    if len(keep) == len(dns.models):
        raise LeaderboardError(f"{model} is not on the do-not-submit list ({DO_NOT_SUBMIT_FILE})")
    dns.models = keep
    rel = repo.write_curation("do_not_submit", dns)
    return Prepared("do-not-submit", f"Allow submitting {model} again", changed=[rel])


# --------------------------------------------------------------------------------------------
# Removal and relaunch: edits of request files
# --------------------------------------------------------------------------------------------


def remove(
    repo: Repo,
    model: str,
    *,
    reason: str,
    by: str,
    sha: str | None = None,
    now: datetime | None = None,
) -> Prepared:
    """Take a model's rows (or one commit's) off the leaderboard; the files stay, marked removed."""
    require_maintainer(repo, by)
    model = _valid(ModelId, model, "model")
    if sha is not None:
        sha = _valid(Sha, sha, "sha")
    try:
        removal = Removal(at=now or utcnow(), by=by, reason=reason)
    except PydanticValidationError as exc:
        raise LeaderboardError(_pydantic_message(exc)) from None
    changed = []
    for rel in _require_requests(repo, model, sha):
        request = repo.read_request(rel)
        if request.removed is None:
            request.removed = removal
            repo.write_request(rel, request)
            changed.append(rel)
    if not changed:
        raise LeaderboardError(
            f"every request of {model}{f'@{sha}' if sha else ''} is already removed"
        )
    what = f"{model}@{sha[:12]}" if sha else model
    return Prepared("removal", f"Remove {what}", changed=changed)


def relaunch(
    repo: Repo, request_rel: str, *, note: str, by: str, now: datetime | None = None
) -> Prepared:
    """Send a FAILED request back to the queue (PENDING); the failure is kept in ``relaunches``."""
    require_maintainer(repo, by)
    rel = _repo_relative(repo, request_rel)
    if not (repo.root / rel).is_file():
        raise LeaderboardError(f"{rel}: no such request file")
    request = repo.read_request(rel)
    if request.status is not Status.failed:
        raise LeaderboardError(
            f"{rel} is {request.status.value}; only a FAILED request can be relaunched"
        )
    if not note.strip():
        raise LeaderboardError("a relaunch needs a note that says why it should work this time")
    try:
        entry = Relaunch(
            at=now or utcnow(),
            by=by,
            note=note,
            previous_reason=request.failure_reason,
            previous_category=request.failure_category,
        )
    except PydanticValidationError as exc:
        raise LeaderboardError(_pydantic_message(exc)) from None
    relaunched = apply_relaunch(request, entry)
    repo.write_request(rel, relaunched)
    return Prepared("relaunch", f"Relaunch {request.model}@{request.revision[:12]}", changed=[rel])


# --------------------------------------------------------------------------------------------
# Renames
# --------------------------------------------------------------------------------------------


def rename(
    repo: Repo,
    old: str,
    new: str,
    *,
    maintainer: str,
    resolve: Resolver | None = None,
    now: datetime | None = None,
) -> Prepared:
    """Move a model's request and result files to its new Hub name and record the alias.

    Before touching anything, checks on the Hub that NEW exists and serves every commit that
    was evaluated under OLD (a renamed Hub repo keeps its history; a different repo does not).
    """
    require_maintainer(repo, maintainer)
    old = _valid(ModelId, old, "OLD")
    new = _valid(ModelId, new, "NEW")
    if old == new:
        raise LeaderboardError("OLD and NEW are the same name")
    requests = repo.request_files(old)
    if not requests:
        raise LeaderboardError(f"{old} has no request under {REQUESTS_DIR}/; nothing to rename")
    renames = repo.renames()
    if any(_same_model(r.old, new) for r in renames.renames):
        raise LeaderboardError(f"{new} is already recorded as an old name in {RENAMES_FILE}")
    shas = sorted({repo.read_request(rel).revision for rel in requests})
    check_rename_on_hub(new, shas, resolve or _hub_resolver())

    moves = [(rel, renamed_path(rel, old, new)) for rel in requests]
    moves += [(rel, renamed_path(rel, old, new)) for rel in repo.result_files(old)]
    for _, target in moves:
        if (repo.root / target).exists():
            raise LeaderboardError(
                f"{target} already exists; {new} was evaluated under its own name"
            )
    try:
        entry = Rename(old=old, new=new, date=now or utcnow(), maintainer=maintainer)
    except PydanticValidationError as exc:
        raise LeaderboardError(_pydantic_message(exc)) from None

    entries = []
    for src, dst in moves:
        if src.startswith(f"{REQUESTS_DIR}/"):
            repo.write_request(dst, renamed_request(repo.read_request(src), new))
        else:
            data = renamed_result(repo.read_json(src), old, new)
            write_text_atomic(repo.root / dst, dump_result(data))
            # The renamed result's index entry is made from its new bytes, as the record
            # job makes one; the old entry goes with the old file.
            entries.append((index_path(src), result_index.write_entry(repo, dst)))
        (repo.root / src).unlink()
    for old_entry, _ in entries:
        repo.path(old_entry).unlink(missing_ok=True)
    moves += entries
    for top in (REQUESTS_DIR, RESULTS_DIR, INDEX_DIR):
        _prune_empty(repo.root / top / old, repo.root / top)

    renames.renames.append(entry)
    changed = [repo.write_curation("renames", renames)]
    flags = repo.flags()
    if any(_same_model(f.model, old) for f in flags.flags):
        for f in flags.flags:
            if _same_model(f.model, old):
                f.model = new
        changed.append(repo.write_curation("flags", flags))
    return Prepared("rename", f"Rename {old} to {new}", changed=changed, moved=moves)


def check_rename_on_hub(new: str, shas: list[str], resolve: Resolver) -> None:
    """NEW must exist on the Hub and serve each evaluated commit (a renamed Hub repo keeps its
    history). An unreachable Hub is reported as such: it says nothing about the rename."""
    try:
        resolve(new, "main")
    except LeaderboardError as exc:
        if is_outage(exc):
            raise
        raise LeaderboardError(f"{new} cannot be found on the Hub: {exc}") from None
    for sha in shas:
        try:
            served = resolve(new, sha)
        except LeaderboardError as exc:
            if is_outage(exc):
                raise
            raise LeaderboardError(
                f"{new} does not serve commit {sha}, which was evaluated under the old name, so "
                f"it is not the same repository renamed ({exc})"
            ) from None
        if served != sha:
            raise LeaderboardError(f"{new} resolves {sha} to {served}: not the evaluated commit")


def _hub_resolver() -> Resolver:
    from ..hub import facts  # the Hub client is only needed by the rename command

    return facts.resolve_revision


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def _same_model(a: str, b: str) -> bool:
    """Hub repo ids are case-insensitive."""
    return a.lower() == b.lower()


def _require_requests(repo: Repo, model: str, sha: str | None) -> list[str]:
    files = repo.request_files(model) if "/" in model else []
    if sha is not None:
        files = [rel for rel in files if PurePosixPath(rel).name.startswith(f"{sha}_")]
    if not files:
        what = f"{model} at {sha}" if sha else model
        raise LeaderboardError(f"no request for {what} under {REQUESTS_DIR}/; check the name")
    return files


def _repo_relative(repo: Repo, given: str) -> str:
    path = Path(given)
    if path.is_absolute() or path.exists():
        try:
            return path.resolve().relative_to(repo.root).as_posix()
        except ValueError:
            raise LeaderboardError(f"{given} is not inside the repository {repo.root}") from None
    return PurePosixPath(given).as_posix()


def _prune_empty(folder: Path, stop: Path) -> None:
    while folder != stop and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _valid(kind: Any, value: str, what: str) -> Any:
    try:
        return TypeAdapter(kind).validate_python(value)
    except PydanticValidationError as exc:
        raise LeaderboardError(f"{what}: {_pydantic_message(exc)}") from None


def _pydantic_message(exc: PydanticValidationError) -> str:
    parts = []
    for err in exc.errors(include_url=False):
        where = ".".join(str(p) for p in err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {msg}" if where else msg)
    return "; ".join(parts)
