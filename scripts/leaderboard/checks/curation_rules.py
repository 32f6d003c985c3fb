"""The validator's rules for maintainers' changes: the curation files here, and the edits of
requests, results and the index through ``history_rules`` (what :class:`_Checker` extends).

``leaderboard validate`` calls :func:`check_change` for a pull request's changes that are not
plain submissions, once it has checked that the author is a maintainer, and ``classify``
for the kind of change shown in the sticky comment. The base checkout is trusted (it passed
these rules when it was merged); the head checkout is the pull request, read as data only.
A rule reports with ``self.at(file, rule, message, keypath)`` (``located.Findings``), which
takes the line and the field from the one key path, or ``self.add`` for a whole file.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pydantic import BaseModel

from ..core import ids
from ..core.errors import LeaderboardError, ValidationFailed
from ..core.ids import CURATION_DIR, REQUESTS_DIR, is_safe_relpath
from ..core.models import (
    CURATION_PATHS,
    Change,
    FlagsFile,
    Problem,
    Rename,
    utcnow,
)
from ..core.models.settings import Settings
from ..core.rules import Rule
from ..store.repo import Repo
from ..store.scans import DiskFolders, Folders, request_files_of
from ..suites.loader import load_suite
from . import codeowners_rule
from .history_rules import HistoryChecks
from .located import entry_key, has_request, top_folder

#: How far in the future a date may be (clocks differ; a day is plenty).
_CLOCK_SKEW = timedelta(days=1)
#: Sensible bounds of ``reconcile_timeout_hours``: an hour to a month.
RECONCILE_HOURS = (1.0, 720.0)


# --------------------------------------------------------------------------------------------
# check_change
# --------------------------------------------------------------------------------------------


def check_change(
    base: Repo,
    head: Repo,
    changes: list[Change],
    author: str,
    *,
    settings: Settings | None = None,
    folders: Folders | None = None,
) -> list[Problem]:
    """Every problem with a maintainer's pull request, located by file, line and field.

    ``author`` is part of the validator's interface; the caller has already checked that the
    author is a maintainer. The logins recorded in the files (a flag's maintainer, a removal's
    ``by``) must be maintainers of the base too: ``settings`` are the base's (read from it when
    not given), since a pull request cannot make its author a maintainer and approve itself.
    ``folders`` lists the whole base, when ``base`` holds only the files the change touches.
    """
    del author  # who may open the PR is the caller's rule; who is recorded is checked below
    listing = folders or DiskFolders(base.root)
    return _Checker(base, head, changes, settings or base.settings(), listing).run()


class _Checker(HistoryChecks):
    def __init__(
        self, base: Repo, head: Repo, changes: list[Change], settings: Settings, folders: Folders
    ):
        super().__init__(base, head, changes, settings)
        self.folders = folders

    # -- driver ------------------------------------------------------------------------------

    def run(self) -> list[Problem]:
        for rel in sorted(self.added | self.modified | self.deleted):
            if not is_safe_relpath(rel):
                self.add(rel, Rule.path, "not a safe repository-relative path")
                for paths in (self.added, self.modified, self.deleted):
                    paths.discard(rel)
        curation = sorted(
            p for p in self.added | self.modified | self.deleted if top_folder(p) == CURATION_DIR
        )
        parsed: dict[str, Any] = {}
        for rel in curation:
            model = self.curation_file(rel)
            if model is not None:
                parsed[rel] = model
        renames = self.check_renames(parsed.get(ids.RENAMES_FILE))
        self.check_flags(parsed.get(ids.FLAGS_FILE), renames)
        self.check_choice(parsed.get(ids.CHOICE_FILE))
        self.check_do_not_submit(parsed.get(ids.DO_NOT_SUBMIT_FILE))
        settings = ids.SETTINGS_FILE
        self.check_settings(parsed.get(settings))
        touched = self.added | self.modified | self.deleted
        if settings in parsed or ids.CODEOWNERS_PATH in touched:
            self.check_codeowners()
        self.check_data_files(renames)
        return self.problems

    # -- curation files ----------------------------------------------------------------------

    def curation_file(self, rel: str) -> BaseModel | None:
        """Parse a changed curation file strictly; None when it is gone, unknown or invalid."""
        if rel not in CURATION_PATHS:
            known = ", ".join(sorted(CURATION_PATHS))
            self.add(rel, Rule.curation, f"not a curation file; the curation files are {known}")
            return None
        if rel in self.deleted and rel not in self.added:
            self.add(
                rel, Rule.history, "a curation file may not be deleted: empty its list instead"
            )
            return None
        try:
            return self.head.read_curation(CURATION_PATHS[rel])
        except ValidationFailed as exc:
            self.problems += exc.problems
        except OSError as exc:
            self.add(rel, Rule.curation, f"cannot be read: {exc.strerror}")
        return None

    def check_flags(self, flags: FlagsFile | None, renames: list[Rename]) -> None:
        rel = ids.FLAGS_FILE
        if flags is None:
            return
        moved = {r.old.lower(): r.new for r in renames}
        before = set()
        for f in self.base.flags().flags:
            before.add(entry_key(f))
            if f.model.lower() in moved:  # a rename carries the flag along
                before.add(entry_key(f.model_copy(update={"model": moved[f.model.lower()]})))
        seen: dict[tuple[str, str | None], int] = {}
        for i, f in enumerate(flags.flags):
            at = ("flags", i)
            ident = (f.model.lower(), f.sha)
            if ident in seen:
                self.at(
                    rel,
                    Rule.flag,
                    f"{f.model}{'@' + f.sha if f.sha else ''} is flagged twice "
                    f"(entries {seen[ident] + 1} and {i + 1}); keep one",
                    (*at, "model"),
                )
            seen[ident] = i
            if entry_key(f) in before:
                continue  # unchanged entries were checked when they were added
            if not self.settings.is_maintainer(f.maintainer):
                self.at(
                    rel,
                    Rule.flag,
                    f"{f.maintainer} is not a maintainer ({self.settings.maintainers_text()})",
                    (*at, "maintainer"),
                )
            if f.date > utcnow() + _CLOCK_SKEW:
                self.at(rel, Rule.flag, "the date is in the future", (*at, "date"))
            if not has_request(self.head, f.model, f.sha):
                what = f"{f.model} at {f.sha}" if f.sha else f.model
                self.at(
                    rel,
                    Rule.flag,
                    f"there is no request for {what} under {REQUESTS_DIR}/: check the name",
                    (*at, "sha" if f.sha else "model"),
                )

    def check_choice(self, choice: Any) -> None:
        if choice is None:
            return
        rel = ids.CHOICE_FILE
        self.no_duplicates(rel, "organisations", [o.lower() for o in choice.organisations])

    def check_do_not_submit(self, dns: Any) -> None:
        if dns is None:
            return
        rel = ids.DO_NOT_SUBMIT_FILE
        self.no_duplicates(rel, "models", [e.model.lower() for e in dns.models], sub="model")
        before = {e.model_dump_json() for e in self.base.do_not_submit().models}
        for i, e in enumerate(dns.models):
            if e.model_dump_json() in before:
                continue
            if not e.reason.strip():
                self.at(
                    rel,
                    Rule.do_not_submit,
                    "give the reason (e.g. a link to the authors' request)",
                    ("models", i, "reason"),
                )
            if e.date > utcnow() + _CLOCK_SKEW:
                self.at(rel, Rule.do_not_submit, "the date is in the future", ("models", i, "date"))

    def check_settings(self, settings: Any) -> None:
        if settings is None:
            return
        rel = ids.SETTINGS_FILE
        if not settings.maintainers:
            self.at(
                rel,
                Rule.settings,
                "the maintainers list is empty: nobody could curate the leaderboard any more",
                ("maintainers",),
            )
        self.no_duplicates(rel, "maintainers", [m.lower() for m in settings.maintainers])
        self.check_settings_sense(settings)

    def check_settings_sense(self, settings: Settings) -> None:
        """Values the schema accepts but the runner or the build would fail on later."""
        try:
            # The head's suites: a pull request may add a suite and name it in one go.
            load_suite(settings.suite, self.head.root)
        except LeaderboardError as exc:
            self.at(
                ids.SETTINGS_FILE,
                Rule.settings,
                f"suite {settings.suite!r} cannot be loaded: {exc}",
                ("suite",),
            )
        self.check_runner_pools(settings)
        low, high = RECONCILE_HOURS
        if not low <= settings.reconcile_timeout_hours <= high:
            self.at(
                ids.SETTINGS_FILE,
                Rule.settings,
                f"reconcile_timeout_hours must be between {low:g} and {high:g} (got "
                f"{settings.reconcile_timeout_hours:g}): a shorter one sends evaluations that "
                "are still running back to the queue",
                ("reconcile_timeout_hours",),
            )

    def check_runner_pools(self, settings: Settings) -> None:
        """Each pool is told apart by its labels: GitHub gives a job to any runner that has
        all the labels it asks for, so a pool whose labels are all another's could have its
        jobs taken by that pool's runners, which the plan did not size for."""
        pools = settings.runner_pools
        self.no_duplicates(ids.SETTINGS_FILE, "runner_pools", [p.name for p in pools], "name")
        for i, pool in enumerate(pools):
            mine = {label.lower() for label in pool.labels}
            for other in pools[:i] + pools[i + 1 :]:
                if mine <= {label.lower() for label in other.labels} and pool.name != other.name:
                    self.at(
                        ids.SETTINGS_FILE,
                        Rule.settings,
                        f"runner pool {pool.name!r} has no label that {other.name!r} lacks "
                        f"({', '.join(pool.labels)}): a job planned for {pool.name} could run "
                        f"on a runner of {other.name}. Give each pool a label of its own "
                        "(e.g. gpu-24gb, gpu-8x80gb)",
                        ("runner_pools", i, "labels"),
                    )
                    break

    def check_codeowners(self) -> None:
        try:
            self.problems += codeowners_rule.codeowners_problems(self.head)
        except ValidationFailed as exc:  # settings.yaml itself is broken: reported already
            if not any(p.path == ids.SETTINGS_FILE for p in self.problems):
                self.problems += exc.problems

    def no_duplicates(self, rel: str, key: str, values: list[str], sub: str | None = None) -> None:
        first: dict[str, int] = {}
        for i, value in enumerate(values):
            if value in first:
                at = (key, i, sub) if sub else (key, i)
                self.at(
                    rel,
                    Rule.duplicate,
                    f"{value!r} is listed twice (entries {first[value] + 1} and {i + 1})",
                    at,
                )
            first.setdefault(value, i)

    # -- renames -----------------------------------------------------------------------------

    def check_renames(self, renames: Any) -> list[Rename]:
        """Check renames.yaml's new entries; return them (the moves they explain)."""
        rel = ids.RENAMES_FILE
        if renames is None:
            return []
        base_entries = self.base.renames().renames
        head_keys = [e.model_dump_json() for e in renames.renames]
        for old in base_entries:
            if old.model_dump_json() not in head_keys:
                self.at(
                    rel,
                    Rule.history,
                    f"the rename {old.old} -> {old.new} was removed or changed: recorded renames "
                    "keep old links and searches working, so they stay",
                    ("renames",),
                )
        base_keys = {e.model_dump_json() for e in base_entries}
        new_entries = []
        olds: dict[str, int] = {}
        for i, e in enumerate(renames.renames):
            at = ("renames", i)
            if e.old.lower() in olds:
                self.at(
                    rel,
                    Rule.rename,
                    f"{e.old} is renamed twice (entries {olds[e.old.lower()] + 1} and {i + 1})",
                    (*at, "old"),
                )
            olds.setdefault(e.old.lower(), i)
            if e.model_dump_json() in base_keys:
                continue
            new_entries.append(e)
            if e.old.lower() == e.new.lower():
                self.at(rel, Rule.rename, "old and new are the same name", (*at, "new"))
                continue
            if any(r.old.lower() == e.new.lower() for r in renames.renames):
                self.at(
                    rel,
                    Rule.rename,
                    f"{e.new} is itself recorded as an old name: renames would loop",
                    (*at, "new"),
                )
            if not self.settings.is_maintainer(e.maintainer):
                self.at(
                    rel,
                    Rule.rename,
                    f"{e.maintainer} is not a maintainer ({self.settings.maintainers_text()})",
                    (*at, "maintainer"),
                )
            if not self.base.request_files(e.old):
                self.at(
                    rel,
                    Rule.rename,
                    f"{e.old} has no request under {REQUESTS_DIR}/ to rename",
                    (*at, "old"),
                )
            if taken := self.requests_of_any_case(e.new):
                self.at(
                    rel,
                    Rule.rename,
                    f"{e.new} already has requests ({taken[0]}…): renaming {e.old} onto it "
                    "would merge two models' rows. Pick a name nobody uses",
                    (*at, "new"),
                )
        return new_entries

    def requests_of_any_case(self, model: str) -> list[str]:
        """The base's request files of ``model``, whatever case its folders use."""
        org, name = model.split("/")
        return request_files_of(self.folders, org, name)
