"""gitdiff on a real repository: changes against a base, and bytes read at a ref."""

from __future__ import annotations

from leaderboard.core.models import Change, ChangeKind
from leaderboard.store import changes


def test_changes_and_reading_at_a_ref(leaderboard_repo, tmp_path):
    repo = leaderboard_repo
    repo.write("requests/a/b/one.yaml", "one: 1\n")
    repo.write("requests/a/b/gone.yaml", "gone: 1\n")
    repo.write("scripts/code.py", "print()\n")
    base = repo.commit("base")
    repo.write("requests/a/b/one.yaml", "one: 2\n")
    repo.git("rm", "-q", "requests/a/b/gone.yaml")
    (repo.path / "requests/a/b/link.yaml").symlink_to("/etc/passwd")
    repo.write("scripts/code.py", "print(1)\n")
    repo.commit("pr")
    repo.write("requests/new/m/untracked.yaml", "new: 1\n")
    assert changes.changed_files(repo.path, base) == [
        Change(kind=ChangeKind.deleted, path="requests/a/b/gone.yaml"),
        Change(kind=ChangeKind.added, path="requests/a/b/link.yaml"),
        Change(kind=ChangeKind.modified, path="requests/a/b/one.yaml"),
        Change(kind=ChangeKind.added, path="requests/new/m/untracked.yaml"),
    ]  # code outside the data folders is for people to review
    written = changes.export(repo.path, base, ["requests/a", "curation"], tmp_path / "view")
    assert sorted(written) == [
        "curation/settings.yaml",
        "requests/a/b/gone.yaml",
        "requests/a/b/one.yaml",
    ]
    assert (tmp_path / "view/requests/a/b/one.yaml").read_text() == "one: 1\n"
