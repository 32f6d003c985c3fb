"""The kind of change a pull request is (submission, flag, rename…), for the sticky comment."""

from __future__ import annotations

from ..core.errors import ValidationFailed
from ..core.ids import CURATION_DIR, INDEX_DIR, REQUESTS_DIR, RESULTS_DIR
from ..core.models import CURATION_PATHS, Change, ChangeKind, Status
from ..store.repo import Repo
from .located import entry_key, is_data, top_folder

# --------------------------------------------------------------------------------------------
# classify
# --------------------------------------------------------------------------------------------

KINDS = (
    "submission",
    "flag",
    "unflag",
    "rename",
    "removal",
    "relaunch",
    "maintainer's choice",
    "do-not-submit",
    "settings",
    "suite",
    "mixed",
)


def classify(changes: list[Change], base: Repo | None = None, head: Repo | None = None) -> str:
    """The kind of change a pull request is, for the sticky comment.

    One of :data:`KINDS`, or "other" when it touches no leaderboard data. Pass the two
    checkouts to tell a flag from an unflag and a relaunch from a removal by content; from
    paths alone a flags change reads as "flag" and a request edit as "mixed" (unknown).
    """
    kinds: set[str] = set()
    moved = any(
        c.kind in (ChangeKind.deleted, ChangeKind.renamed) and is_data(c.old_path or c.path)
        for c in changes
    )
    for c in changes:
        top = top_folder(c.path)
        if c.path in CURATION_PATHS:
            kinds.add(_curation_kind(c.path, base, head))
        elif top == CURATION_DIR:
            kinds.add("settings")
        elif top == "suites":
            kinds.add("suite")
        elif c.kind is ChangeKind.added and top == REQUESTS_DIR and not moved:
            kinds.add("submission")
        elif c.kind is ChangeKind.modified and top == REQUESTS_DIR:
            kinds.add(_request_edit_kind(c.path, base, head))
        elif top in (REQUESTS_DIR, RESULTS_DIR, INDEX_DIR):
            kinds.add("rename" if moved else "mixed")
    if "rename" in kinds:
        kinds -= {"flag"}  # a rename carries flags along to the new name
    if not kinds:
        return "other"
    return kinds.pop() if len(kinds) == 1 else "mixed"


def _curation_kind(rel: str, base: Repo | None, head: Repo | None) -> str:
    kind = CURATION_PATHS[rel]
    if kind == "flags":
        if base is not None and head is not None:
            try:
                before = {entry_key(f) for f in base.flags().flags}
                after = {entry_key(f) for f in head.flags().flags}
            except ValidationFailed:
                return "flag"
            if after <= before and before != after:
                return "unflag"
        return "flag"
    return {
        "settings": "settings",
        "maintainers_choice": "maintainer's choice",
        "do_not_submit": "do-not-submit",
        "renames": "rename",
    }[kind]


def _request_edit_kind(rel: str, base: Repo | None, head: Repo | None) -> str:
    if base is None or head is None:
        return "mixed"
    try:
        before, after = base.read_request(rel), head.read_request(rel)
    except (ValidationFailed, OSError):
        return "mixed"
    if before.removed is None and after.removed is not None:
        return "removal"
    if before.status is Status.failed and after.status is Status.pending:
        return "relaunch"
    return "mixed"
