"""The validator's rules for a maintainer's changes to requests, results and their index.

History is kept: nothing under ``requests/`` or ``results/`` may be deleted, except files moved
by a rename that ``curation/renames.yaml`` records. A request may change in exactly two ways:
a relaunch (FAILED -> PENDING with a note) or a removal (``removed`` set). Index entries follow
their results. The curation files' own rules, and the driver, are ``curation_rules``.
"""

from __future__ import annotations

from ..core.errors import LeaderboardError, ValidationFailed
from ..core.ids import INDEX_DIR, RENAMES_FILE, REQUESTS_DIR, RESULTS_DIR, result_of_index
from ..core.models import Change, ChangeKind, Rename, Request, Status
from ..core.models.settings import Settings
from ..core.rules import Rule
from ..core.transitions import apply_relaunch, renamed_path, renamed_request, renamed_result
from ..store import result_index
from ..store.repo import Repo
from ..suites.loader import load_suite
from ..suites.versions import latest_suite_version
from .located import Findings, changed_keys, is_data, top_folder


class HistoryChecks(Findings):
    """A pull request's changes, by kind, and the rules on its data files."""

    def __init__(self, base: Repo, head: Repo, changes: list[Change], settings: Settings):
        super().__init__(head)
        self.base, self.settings = base, settings
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
                    f"{src} must move to {moves[src][0]} (per {RENAMES_FILE}), not here",
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
                self.at(
                    dst,
                    Rule.rename,
                    f"a moved request may only change 'model' to {entry.new}; also changed: "
                    + ", ".join(diff),
                    (diff[0],),
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
        if not diff:
            return
        if diff == ["removed"]:
            self.check_removal(rel, before, got)
        elif "status" in diff:
            self.check_relaunch(rel, before, got)
        else:
            self.at(
                rel,
                Rule.request_edit,
                "a request may change only by a relaunch (`leaderboard relaunch`) or a removal "
                f"(`leaderboard remove`); this changes {', '.join(diff)}",
                (diff[0],),
            )

    def check_removal(self, rel: str, before: Request, got: Request) -> None:
        if before.removed is not None:
            self.at(
                rel,
                Rule.removal,
                "this request was already removed; its removal record is history and stays",
                ("removed",),
            )
            return
        assert got.removed is not None
        if not self.settings.is_maintainer(got.removed.by):
            self.at(
                rel,
                Rule.removal,
                f"{got.removed.by} is not a maintainer ({self.settings.maintainers_text()})",
                ("removed", "by"),
            )
        if not got.removed.reason.strip():
            self.at(
                rel,
                Rule.removal,
                "a removal needs a reason that the site can show",
                ("removed", "reason"),
            )

    def outdated(self, request: Request) -> bool:
        """Whether the base's latest result for ``request`` is from another suite version."""
        try:
            current = load_suite(self.settings.suite, self.base.root).version
        except LeaderboardError:
            return False
        found = latest_suite_version(self.base, request, self.settings.suite)
        return found is not None and found != current

    def check_relaunch(self, rel: str, before: Request, got: Request) -> None:
        def bad(message: str, *keypath: str | int) -> None:
            self.at(rel, Rule.relaunch, message, keypath)

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
        at = ("relaunches", n)
        if len(got.relaunches) != n + 1 or got.relaunches[:n] != before.relaunches:
            bad(
                "a relaunch appends exactly one entry to 'relaunches' and keeps the earlier ones",
                "relaunches",
            )
            return
        entry = got.relaunches[-1]
        if not entry.note.strip():
            bad("the relaunch needs a note that says why it should work this time", *at, "note")
        if not self.settings.is_maintainer(entry.by):
            bad(f"{entry.by} is not a maintainer ({self.settings.maintainers_text()})", *at, "by")
        if (entry.previous_reason, entry.previous_category) != (
            before.failure_reason,
            before.failure_category,
        ):
            bad(
                "previous_reason and previous_category must keep the failure being relaunched: "
                f"{before.failure_reason!r} ({before.failure_category})",
                *at,
                "previous_reason",
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
