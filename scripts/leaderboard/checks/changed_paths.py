"""The trust boundary: every path a pull request changes is judged, not only the data.

A submitter may add request files and nothing else. Anything else the pull request touches
(workflows, CODEOWNERS, code, docs, configuration) and any symbolic link or submodule anywhere
is ``needs-maintainer``, named by its path (a link inside the data folders is refused
outright, as ``path``: no one may add one there), so that a submission cannot carry a change nobody
reviewed. A maintainer's change outside the data is reviewed by people, but a hand edit of
CODEOWNERS is handed to the curation rules, whose ``codeowners`` rule keeps it in step with
the maintainers in the settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.ids import CODEOWNERS_PATH
from ..core.models import Change, ChangeKind, Problem, problem
from ..core.rules import Rule
from ..store.changes import DATA_DIRS
from .context import Context

_VERB = {
    ChangeKind.modified: "changes",
    ChangeKind.deleted: "deletes",
    ChangeKind.renamed: "moves a file to",
    ChangeKind.added: "adds",
}


@dataclass
class Boundary:
    """What the boundary decided: its problems, the paths it judged itself (the data rules
    must not judge them again), and the changes it hands on to the curation rules."""

    problems: list[Problem] = field(default_factory=list)
    judged: set[str] = field(default_factory=set)
    handed_on: list[Change] = field(default_factory=list)


def in_data(path: str) -> bool:
    return path.split("/", 1)[0] in DATA_DIRS


def judge(ctx: Context, entries: list[tuple[Change, bool]]) -> Boundary:
    """Judge ``entries`` (every changed path, and whether it is a link or a submodule)."""
    out = Boundary()
    maintainer = ctx.base_settings.is_maintainer(ctx.author)
    ask = ctx.base_settings.maintainers_text()
    for change, odd in entries:
        paths = [change.path, *([change.old_path] if change.old_path else [])]
        if odd:
            out.judged.update(paths)
            data = any(in_data(p) for p in paths)
            if maintainer and not data:
                continue  # a maintainer's link in the code or docs: people review it
            # In the data no one may add a link (the runner would follow it); elsewhere a
            # maintainer may, after review.
            why = "" if data else f" Ask {ask}."
            out.problems.append(
                problem(
                    change.path,
                    Rule.path if data else Rule.needs_maintainer,
                    f"{change.path} is a symbolic link or a submodule: the leaderboard's "
                    f"files must be plain files.{why}",
                )
            )
            continue
        if all(in_data(p) for p in paths):
            continue  # the data rules judge it
        out.judged.update(paths)
        if maintainer:
            if CODEOWNERS_PATH in paths:
                out.handed_on.append(change)
            continue
        verb = _VERB[change.kind]
        out.problems.append(
            problem(
                change.path,
                Rule.needs_maintainer,
                f"this pull request {verb} {change.path}, outside requests/: a submission "
                f"may only add request files, so a maintainer must make or approve this "
                f"change. Ask {ask}, or open a separate pull request for it.",
            )
        )
    return out
