"""Settings are read once per command and passed down, not parsed again at every use.

Each test counts the parses of ``curation/settings.yaml`` during one command's work.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from leaderboard.core.models import Change, ChangeKind
from leaderboard.devtools.synthetic import make_repo
from leaderboard.site.data import SiteData
from leaderboard.store.repo import Repo
from leaderboard.table.rows import rows


@pytest.fixture
def settings_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The repositories whose settings were read, one entry per read."""
    reads: list[Path] = []
    real = Repo.read_curation  # the one reader of curation files, settings included

    def counting(self: Repo, kind: str) -> Any:
        if kind == "settings":
            reads.append(self.root)
        return real(self, kind)

    monkeypatch.setattr(Repo, "read_curation", counting)
    return reads


def test_the_site_data_reads_settings_once(tmp_path: Path, settings_reads: list[Path]) -> None:
    repo = make_repo(tmp_path / "repo", 5)
    settings_reads.clear()
    data = SiteData.load(repo)
    assert data.rows and data.queue
    assert settings_reads == [repo.root]


def test_the_table_reads_settings_once(tmp_path: Path, settings_reads: list[Path]) -> None:
    repo = make_repo(tmp_path / "repo", 5)
    settings_reads.clear()
    assert rows(repo)
    assert settings_reads == [repo.root]


def test_a_maintainers_change_reads_the_base_settings_once(
    tmp_path: Path, settings_reads: list[Path]
) -> None:
    """The validator's context reads the base's settings; the curation rules reuse them."""
    from leaderboard.checks.context import Context
    from leaderboard.checks.validate import validate_changes

    base = make_repo(tmp_path / "base", 3)
    head = make_repo(tmp_path / "head", 3)
    settings_reads.clear()
    ctx = Context(head=head, base=base, author="alice", hub=False)
    ctx.settings = ctx.base_settings.model_copy(update={"maintainers": ["alice"]})
    change = Change(kind=ChangeKind.modified, path="curation/flags.yaml")
    validate_changes(ctx, [change])
    assert settings_reads == [base.root]
