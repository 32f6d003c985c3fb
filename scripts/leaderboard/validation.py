"""Validating a checkout: find the changes, build the base's view, run the rules.

The base's view is exported from git into a scratch folder, and only the parts the rules read:
the curation files, CODEOWNERS, and the request and result folders of the models the pull
request touches (renames included). A full checkout of 100,000 files is never needed.
"""

from __future__ import annotations

from pathlib import Path

from . import gitdiff
from .checks import Context, validate_changes
from .repo import CURATION_DIR, CURATION_FILES, REQUESTS_DIR, RESULTS_DIR, Repo
from .report import Report
from .schema import Change, ChangeKind, LeaderboardError, ValidationFailed


def validate_repo(
    root: Path | str,
    *,
    base: str | None = None,
    paths: list[str] | None = None,
    author: str | None = None,
    hub: bool = True,
    scratch: Path,
) -> Report:
    """Validate the changes of the checkout at ``root`` against ``base`` (or given ``paths``)."""
    root = Path(root).resolve()
    head = Repo(root)
    if paths:
        changes = [Change(kind=ChangeKind.added, path=_relative(root, p)) for p in paths]
        base_repo = head  # explicit files: judged against the checkout as it is
    else:
        if not (root / ".git").exists():
            raise LeaderboardError(f"{root} is not a git checkout: pass PATHs or run inside one")
        # A pull request's changes are what its branch did since it left the base (the merge
        # base, as GitHub diffs it), while the rules read the base as it is now: a request
        # merged since the branch was made must not look deleted, and must still count as a
        # duplicate.
        ref = base or "origin/main"
        changes = gitdiff.changed_files(root, gitdiff.merge_base(root, ref))
        export_base(root, ref, changes, head, scratch)
        base_repo = Repo(scratch)
    ctx = Context(head=head, base=base_repo, author=author, hub=hub)
    outcome = validate_changes(ctx, changes)
    return Report(problems=outcome.problems, kinds=outcome.kinds, checked=outcome.checked)


def export_base(root: Path, ref: str, changes: list[Change], head: Repo, dest: Path) -> None:
    models: set[str] = set()
    for change in changes:
        for path in (change.path, change.old_path):
            parts = (path or "").split("/")
            if len(parts) >= 4 and parts[0] in (REQUESTS_DIR, RESULTS_DIR):
                models.add(f"{parts[1]}/{parts[2]}")
    renames_rel = CURATION_FILES["renames"][0]
    if any(c.path == renames_rel for c in changes):
        try:
            for entry in head.renames().renames:
                models |= {entry.old, entry.new}
        except ValidationFailed:
            pass  # the rules report the broken file
    specs = [CURATION_DIR, ".github/CODEOWNERS"]
    specs += [f"{top}/{m}" for m in sorted(models) for top in (REQUESTS_DIR, RESULTS_DIR)]
    gitdiff.export(root, ref, specs, dest)


def _relative(root: Path, path: str) -> str:
    p = Path(path)
    absolute = p if p.is_absolute() else (Path.cwd() / p)
    try:
        # Resolve the folder but not the file: a symlinked file must be seen, and refused.
        return (absolute.parent.resolve() / absolute.name).relative_to(root).as_posix()
    except ValueError:
        raise LeaderboardError(f"{path} is not inside the repository {root}") from None
