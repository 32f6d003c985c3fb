"""The validator's rules for maintainers' changes: curation files and edits of existing requests.

``leaderboard validate`` calls :func:`check_change` for a pull request's changes that are not
plain submissions, once it has checked that the author is a maintainer, and :func:`classify`
for the kind of change shown in the sticky comment. The base checkout is trusted (it passed
these rules when it was merged); the head checkout is the pull request, read as data only.

History is kept: nothing under ``requests/`` or ``results/`` may be deleted, except files moved
by a rename that ``curation/renames.yaml`` records. A request may change in exactly two ways:
a relaunch (FAILED -> PENDING with a note) or a removal (``removed`` set).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pydantic import BaseModel

from ..core import ids
from ..core.errors import LeaderboardError, ValidationFailed
from ..core.ids import (
    CURATION_DIR,
    INDEX_DIR,
    REQUESTS_DIR,
    RESULTS_DIR,
    is_safe_relpath,
    result_of_index,
)
from ..core.models import (
    CURATION_FILES,
    CURATION_PATHS,
    Change,
    ChangeKind,
    FlagsFile,
    Problem,
    Rename,
    Request,
    Status,
    utcnow,
)
from ..core.models.settings import Settings
from ..core.rules import Rule
from ..core.transitions import apply_relaunch, renamed_path, renamed_request, renamed_result
from ..store import result_index
from ..store.repo import Repo
from ..store.scans import DiskFolders, Folders, request_files_of
from ..store.yaml_strict import line_at, read_model
from ..suites.loader import load_suite
from ..suites.versions import latest_suite_version
from . import codeowners_rule
from .located import (
    Lines,
    changed_keys,
    entry_key,
    has_request,
    is_data,
    key_lines,
    top_folder,
)

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


class _Checker:
    def __init__(
        self, base: Repo, head: Repo, changes: list[Change], settings: Settings, folders: Folders
    ):
        self.base, self.head, self.settings, self.folders = base, head, settings, folders
        self.problems: list[Problem] = []
        self.deleted: set[str] = set()
        self.added: set[str] = set()
        self.modified: set[str] = set()
        self.git_moves: dict[str, str] = {}
        for c in changes:
            if c.kind is ChangeKind.added:
                self.added.add(c.path)
            elif c.kind is ChangeKind.deleted:
                self.deleted.add(c.path)
            elif c.kind is ChangeKind.modified:
                self.modified.add(c.path)
            elif c.kind is ChangeKind.renamed and c.old_path:
                self.deleted.add(c.old_path)
                self.added.add(c.path)
                self.git_moves[c.old_path] = c.path

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

    def add(
        self,
        path: str,
        rule: Rule,
        message: str,
        *,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.problems.append(Problem(path=path, line=line, field=field, rule=rule, message=message))

    # -- curation files ----------------------------------------------------------------------

    def curation_file(self, rel: str) -> BaseModel | None:
        """Parse a changed curation file strictly; None when it is gone, unknown or invalid."""
        if rel not in CURATION_PATHS:
            known = ", ".join(sorted(CURATION_PATHS))
            self.add(rel, Rule.curation, f"not a curation file; the curation files are {known}")
            return None
        if rel in self.deleted and rel not in self.added:
            self.add(
                rel,
                Rule.history,
                "a curation file may not be deleted: empty its list instead",
            )
            return None
        model_cls = CURATION_FILES[CURATION_PATHS[rel]][1]
        try:
            return read_model(model_cls, self.head.path(rel), rel)
        except ValidationFailed as exc:
            self.problems += exc.problems
        except OSError as exc:
            self.add(rel, Rule.curation, f"cannot be read: {exc.strerror}")
        return None

    def check_flags(self, flags: FlagsFile | None, renames: list[Rename]) -> None:
        rel = ids.FLAGS_FILE
        if flags is None:
            return
        lines = key_lines(self.head, rel)
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
                self.add(
                    rel,
                    Rule.flag,
                    f"{f.model}{'@' + f.sha if f.sha else ''} is flagged twice "
                    f"(entries {seen[ident] + 1} and {i + 1}); keep one",
                    line=line_at(lines, at),
                    field=f"flags.{i}.model",
                )
            seen[ident] = i
            if entry_key(f) in before:
                continue  # unchanged entries were checked when they were added
            if not self.settings.is_maintainer(f.maintainer):
                self.add(
                    rel,
                    Rule.flag,
                    f"{f.maintainer} is not a maintainer ({self.settings.maintainers_text()})",
                    line=line_at(lines, (*at, "maintainer")),
                    field=f"flags.{i}.maintainer",
                )
            if f.date > utcnow() + _CLOCK_SKEW:
                self.add(
                    rel,
                    Rule.flag,
                    "the date is in the future",
                    line=line_at(lines, (*at, "date")),
                    field=f"flags.{i}.date",
                )
            if not has_request(self.head, f.model, f.sha):
                what = f"{f.model} at {f.sha}" if f.sha else f.model
                self.add(
                    rel,
                    Rule.flag,
                    f"there is no request for {what} under {REQUESTS_DIR}/: check the name",
                    line=line_at(lines, (*at, "sha" if f.sha else "model")),
                    field=f"flags.{i}.{'sha' if f.sha else 'model'}",
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
        lines = key_lines(self.head, rel)
        self.no_duplicates(rel, "models", [e.model.lower() for e in dns.models], sub="model")
        before = {e.model_dump_json() for e in self.base.do_not_submit().models}
        for i, e in enumerate(dns.models):
            if e.model_dump_json() in before:
                continue
            if not e.reason.strip():
                self.add(
                    rel,
                    Rule.do_not_submit,
                    "give the reason (e.g. a link to the authors' request)",
                    line=line_at(lines, ("models", i, "reason")),
                    field=f"models.{i}.reason",
                )
            if e.date > utcnow() + _CLOCK_SKEW:
                self.add(
                    rel,
                    Rule.do_not_submit,
                    "the date is in the future",
                    line=line_at(lines, ("models", i, "date")),
                    field=f"models.{i}.date",
                )

    def check_settings(self, settings: Any) -> None:
        if settings is None:
            return
        rel = ids.SETTINGS_FILE
        lines = key_lines(self.head, rel)
        if not settings.maintainers:
            self.add(
                rel,
                Rule.settings,
                "the maintainers list is empty: nobody could curate the leaderboard any more",
                line=line_at(lines, ("maintainers",)),
                field="maintainers",
            )
        self.no_duplicates(rel, "maintainers", [m.lower() for m in settings.maintainers])
        self.check_settings_sense(settings, lines)

    def check_settings_sense(self, settings: Settings, lines: Lines) -> None:
        """Values the schema accepts but the runner or the build would fail on later."""
        try:
            # The head's suites: a pull request may add a suite and name it in one go.
            load_suite(settings.suite, self.head.root)
        except LeaderboardError as exc:
            self.add(
                ids.SETTINGS_FILE,
                Rule.settings,
                f"suite {settings.suite!r} cannot be loaded: {exc}",
                line=line_at(lines, ("suite",)),
                field="suite",
            )
        self.check_runner_pools(settings, lines)
        low, high = RECONCILE_HOURS
        if not low <= settings.reconcile_timeout_hours <= high:
            self.add(
                ids.SETTINGS_FILE,
                Rule.settings,
                f"reconcile_timeout_hours must be between {low:g} and {high:g} (got "
                f"{settings.reconcile_timeout_hours:g}): a shorter one sends evaluations that "
                "are still running back to the queue",
                line=line_at(lines, ("reconcile_timeout_hours",)),
                field="reconcile_timeout_hours",
            )

    def check_runner_pools(self, settings: Settings, lines: Lines) -> None:
        """Each pool is told apart by its labels: GitHub gives a job to any runner that has
        all the labels it asks for, so a pool whose labels are all another's could have its
        jobs taken by that pool's runners, which the plan did not size for."""
        pools = settings.runner_pools
        self.no_duplicates(ids.SETTINGS_FILE, "runner_pools", [p.name for p in pools], "name")
        for i, pool in enumerate(pools):
            mine = {label.lower() for label in pool.labels}
            for other in pools[:i] + pools[i + 1 :]:
                if mine <= {label.lower() for label in other.labels} and pool.name != other.name:
                    self.add(
                        ids.SETTINGS_FILE,
                        Rule.settings,
                        f"runner pool {pool.name!r} has no label that {other.name!r} lacks "
                        f"({', '.join(pool.labels)}): a job planned for {pool.name} could run "
                        f"on a runner of {other.name}. Give each pool a label of its own "
                        "(e.g. gpu-24gb, gpu-8x80gb)",
                        line=line_at(lines, ("runner_pools", i, "labels")),
                        field=f"runner_pools.{i}.labels",
                    )
                    break

    def check_codeowners(self) -> None:
        try:
            self.problems += codeowners_rule.codeowners_problems(self.head)
        except ValidationFailed as exc:  # settings.yaml itself is broken: reported already
            if not any(p.path == ids.SETTINGS_FILE for p in self.problems):
                self.problems += exc.problems

    def no_duplicates(self, rel: str, key: str, values: list[str], sub: str | None = None) -> None:
        lines = key_lines(self.head, rel)
        first: dict[str, int] = {}
        for i, value in enumerate(values):
            if value in first:
                at = (key, i, sub) if sub else (key, i)
                self.add(
                    rel,
                    Rule.duplicate,
                    f"{value!r} is listed twice (entries {first[value] + 1} and {i + 1})",
                    line=line_at(lines, at),
                    field=".".join(str(p) for p in at),
                )
            first.setdefault(value, i)

    # -- renames -----------------------------------------------------------------------------

    def check_renames(self, renames: Any) -> list[Rename]:
        """Check renames.yaml's new entries; return them (the moves they explain)."""
        rel = ids.RENAMES_FILE
        if renames is None:
            return []
        lines = key_lines(self.head, rel)
        base_entries = self.base.renames().renames
        head_keys = [e.model_dump_json() for e in renames.renames]
        for old in base_entries:
            if old.model_dump_json() not in head_keys:
                self.add(
                    rel,
                    Rule.history,
                    f"the rename {old.old} -> {old.new} was removed or changed: recorded renames "
                    "keep old links and searches working, so they stay",
                    line=line_at(lines, ("renames",)),
                    field="renames",
                )
        base_keys = {e.model_dump_json() for e in base_entries}
        new_entries = []
        olds: dict[str, int] = {}
        for i, e in enumerate(renames.renames):
            at = ("renames", i)
            if e.old.lower() in olds:
                self.add(
                    rel,
                    Rule.rename,
                    f"{e.old} is renamed twice (entries {olds[e.old.lower()] + 1} and {i + 1})",
                    line=line_at(lines, (*at, "old")),
                    field=f"renames.{i}.old",
                )
            olds.setdefault(e.old.lower(), i)
            if e.model_dump_json() in base_keys:
                continue
            new_entries.append(e)
            if e.old.lower() == e.new.lower():
                self.add(
                    rel,
                    Rule.rename,
                    "old and new are the same name",
                    line=line_at(lines, (*at, "new")),
                    field=f"renames.{i}.new",
                )
                continue
            if any(r.old.lower() == e.new.lower() for r in renames.renames):
                self.add(
                    rel,
                    Rule.rename,
                    f"{e.new} is itself recorded as an old name: renames would loop",
                    line=line_at(lines, (*at, "new")),
                    field=f"renames.{i}.new",
                )
            if not self.settings.is_maintainer(e.maintainer):
                self.add(
                    rel,
                    Rule.rename,
                    f"{e.maintainer} is not a maintainer ({self.settings.maintainers_text()})",
                    line=line_at(lines, (*at, "maintainer")),
                    field=f"renames.{i}.maintainer",
                )
            if not self.base.request_files(e.old):
                self.add(
                    rel,
                    Rule.rename,
                    f"{e.old} has no request under {REQUESTS_DIR}/ to rename",
                    line=line_at(lines, (*at, "old")),
                    field=f"renames.{i}.old",
                )
            if taken := self.requests_of_any_case(e.new):
                self.add(
                    rel,
                    Rule.rename,
                    f"{e.new} already has requests ({taken[0]}…): renaming {e.old} onto it "
                    "would merge two models' rows. Pick a name nobody uses",
                    line=line_at(lines, (*at, "new")),
                    field=f"renames.{i}.new",
                )
        return new_entries

    def requests_of_any_case(self, model: str) -> list[str]:
        """The base's request files of ``model``, whatever case its folders use."""
        org, name = model.split("/")
        return request_files_of(self.folders, org, name)

    def expected_moves(self, renames: list[Rename]) -> dict[str, tuple[str, Rename]]:
        """Every file a new rename entry moves: source -> (destination, entry)."""
        out = {}
        for e in renames:
            for src in self.base.request_files(e.old) + self.base.result_files(e.old):
                out[src] = (renamed_path(src, e.old, e.new), e)
        return out

    # -- requests and results ----------------------------------------------------------------

    def check_data_files(self, renames: list[Rename]) -> None:
        moves = self.expected_moves(renames)
        targets = {dst: src for src, (dst, _) in moves.items()}
        for src, (dst, entry) in sorted(moves.items()):
            self.check_move(src, dst, entry)
        for src, dst in sorted(self.git_moves.items()):
            if is_data(src) and src in moves and moves[src][0] != dst:
                self.add(
                    dst,
                    Rule.rename,
                    f"{src} must move to {moves[src][0]} (per {ids.RENAMES_FILE}), not here",
                )
        for rel in sorted(self.deleted):
            if is_data(rel) and rel not in moves:
                self.add(
                    rel,
                    Rule.history,
                    "files under requests/ and results/ are never deleted: to take a row off "
                    "the leaderboard use `leaderboard remove`; to move it, `leaderboard rename` "
                    "(which records the move in curation/renames.yaml)",
                )
        for rel in sorted(self.added):
            if rel in targets:
                continue
            if top_folder(rel) == RESULTS_DIR:
                self.add(
                    rel, Rule.results, "results are written by the evaluation runner, not by PRs"
                )
            # New request files are submissions, judged by the submission rules.
        for rel in sorted(self.modified):
            if top_folder(rel) == RESULTS_DIR:
                self.add(rel, Rule.results, "results are the runner's record and are never edited")
            elif top_folder(rel) == REQUESTS_DIR:
                self.check_request_edit(rel)
        self.check_index()

    def check_index(self) -> None:
        """Index entries follow their results: whatever a pull request writes under ``index/``
        (a rename's moved entries, a maintainer's ``leaderboard index rebuild``) must be
        exactly what the head's raw result gives, and an entry goes only with its result."""
        for rel in sorted(self.added | self.modified):
            if top_folder(rel) != INDEX_DIR:
                continue
            result_rel = result_of_index(rel)
            if not self.head.path(result_rel).is_file():
                self.add(rel, Rule.results, f"is an index entry, but {result_rel} does not exist")
                continue
            try:
                want = result_index.derive_file(self.head, result_rel)
                got = result_index.read_entry(self.head, rel)
            except ValidationFailed as exc:
                self.problems += exc.problems
                continue
            except (OSError, ValueError) as exc:
                self.add(rel, Rule.results, f"not valid JSON: {exc}")
                continue
            field = result_index.difference(want, got)
            if field is not None:
                self.add(
                    rel,
                    Rule.results,
                    f"differs from what {result_rel} gives in {field!r}: index entries are "
                    "written by `leaderboard index rebuild`, never by hand",
                    field=field,
                )
        for rel in sorted(self.deleted):
            if top_folder(rel) == INDEX_DIR and self.head.path(result_of_index(rel)).is_file():
                self.add(
                    rel,
                    Rule.results,
                    f"an index entry goes only with its result, and {result_of_index(rel)} stays",
                )

    def check_move(self, src: str, dst: str, entry: Rename) -> None:
        # Judged on the head checkout's files, not on the change list: a moved PENDING request
        # may reach the validator as a new submission rather than as a deletion and an addition.
        if (self.head.root / src).exists():
            self.add(
                src,
                Rule.rename,
                f"renaming {entry.old} to {entry.new} must move this file to {dst} "
                "(`leaderboard rename` does it)",
            )
            return
        if not (self.head.root / dst).is_file():
            self.add(dst, Rule.rename, f"missing: {src} must be moved here")
            return
        if (self.base.root / dst).exists():
            self.add(
                dst,
                Rule.rename,
                "this file already exists on the base branch; a move may not overwrite it",
            )
            return
        if top_folder(src) == REQUESTS_DIR:
            try:
                got = self.head.read_request(dst)
            except ValidationFailed as exc:
                self.problems += exc.problems
                return
            want = renamed_request(self.base.read_request(src), entry.new)
            diff = changed_keys(want.model_dump(mode="json"), got.model_dump(mode="json"))
            if diff:
                lines = key_lines(self.head, dst)
                self.add(
                    dst,
                    Rule.rename,
                    f"a moved request may only change 'model' to {entry.new}; also changed: "
                    + ", ".join(diff),
                    line=line_at(lines, (diff[0],)),
                    field=diff[0],
                )
        else:
            try:
                got_json = self.head.read_json(dst)
            except (ValidationFailed, ValueError) as exc:
                self.add(dst, Rule.results, f"not valid JSON: {exc}")
                return
            want_json = renamed_result(self.base.read_json(src), entry.old, entry.new)
            if got_json != want_json:
                diff = changed_keys(want_json.get("provenance", {}), got_json.get("provenance", {}))
                where = ", ".join(f"provenance.{d}" for d in diff) or "lm-eval's own output"
                self.add(
                    dst,
                    Rule.rename,
                    "a moved result may only change the provenance's model, request path, Hub "
                    f"model and command to the new name; differs in: {where}",
                    field=f"provenance.{diff[0]}" if diff else None,
                )

    def check_request_edit(self, rel: str) -> None:
        try:
            got = self.head.read_request(rel)
        except ValidationFailed as exc:
            self.problems += exc.problems
            return
        before = self.base.read_request(rel)
        diff = changed_keys(before.model_dump(mode="json"), got.model_dump(mode="json"))
        lines = key_lines(self.head, rel)
        if not diff:
            return
        if diff == ["removed"]:
            self.check_removal(rel, before, got, lines)
        elif "status" in diff:
            self.check_relaunch(rel, before, got, diff, lines)
        else:
            self.add(
                rel,
                Rule.request_edit,
                "a request may change only by a relaunch (`leaderboard relaunch`) or a removal "
                f"(`leaderboard remove`); this changes {', '.join(diff)}",
                line=line_at(lines, (diff[0],)),
                field=diff[0],
            )

    def check_removal(self, rel: str, before: Request, got: Request, lines: Lines) -> None:
        if before.removed is not None:
            self.add(
                rel,
                Rule.removal,
                "this request was already removed; its removal record is history and stays",
                line=line_at(lines, ("removed",)),
                field="removed",
            )
            return
        assert got.removed is not None
        if not self.settings.is_maintainer(got.removed.by):
            self.add(
                rel,
                Rule.removal,
                f"{got.removed.by} is not a maintainer ({self.settings.maintainers_text()})",
                line=line_at(lines, ("removed", "by")),
                field="removed.by",
            )
        if not got.removed.reason.strip():
            self.add(
                rel,
                Rule.removal,
                "a removal needs a reason that the site can show",
                line=line_at(lines, ("removed", "reason")),
                field="removed.reason",
            )

    def outdated(self, request: Request) -> bool:
        """Whether the base's latest result for ``request`` is from another suite version."""
        try:
            current = load_suite(self.settings.suite, self.base.root).version
        except LeaderboardError:
            return False
        found = latest_suite_version(self.base, request, self.settings.suite)
        return found is not None and found != current

    def check_relaunch(
        self, rel: str, before: Request, got: Request, diff: list[str], lines: Lines
    ) -> None:
        def bad(message: str, field: str) -> None:
            key = tuple(field.split("."))
            self.add(rel, Rule.relaunch, message, line=line_at(lines, key), field=field)

        requeue = before.status is Status.finished and self.outdated(before)
        if got.status is not Status.pending or (before.status is not Status.failed and not requeue):
            bad(
                "a status may change by hand only from FAILED to PENDING (a relaunch), or from "
                "FINISHED to PENDING when the latest result is from an older suite version "
                f"(`leaderboard requeue --suite-version`), not "
                f"{before.status.value} -> {got.status.value}; the runner moves it otherwise",
                "status",
            )
            return
        n = len(before.relaunches)
        if len(got.relaunches) != n + 1 or got.relaunches[:n] != before.relaunches:
            bad(
                "a relaunch appends exactly one entry to 'relaunches' and keeps the earlier ones",
                "relaunches",
            )
            return
        entry = got.relaunches[-1]
        field = f"relaunches.{n}"
        if not entry.note.strip():
            bad("the relaunch needs a note that says why it should work this time", f"{field}.note")
        if not self.settings.is_maintainer(entry.by):
            bad(
                f"{entry.by} is not a maintainer ({self.settings.maintainers_text()})",
                f"{field}.by",
            )
        if (entry.previous_reason, entry.previous_category) != (
            before.failure_reason,
            before.failure_category,
        ):
            bad(
                "previous_reason and previous_category must keep the failure being relaunched: "
                f"{before.failure_reason!r} ({before.failure_category})",
                f"{field}.previous_reason",
            )
        want = apply_relaunch(before, entry)
        others = changed_keys(want.model_dump(mode="json"), got.model_dump(mode="json"))
        if others:
            bad(
                "a relaunch changes only status, the failure fields, runner, started_at, "
                "finished_at and "
                "'relaunches'; "
                f"this also changes {', '.join(others)}",
                others[0],
            )
