"""What every rule reads: the pull request's tree, the base's view and the base's settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..core.models import Settings, utcnow
from ..store.repo import Repo
from ..store.scans import DiskFolders, Folders


@dataclass
class Context:
    """Everything the rules read: the pull request's tree, the base's view and its settings."""

    head: Repo
    #: The files the rules read the content of: the base's settings and lists, and the folders
    #: of the models the pull request touches (an export, in CI).
    base: Repo
    author: str | None = None
    now: datetime = field(default_factory=utcnow)
    hub: bool = True
    #: The base's settings; read from ``base`` when not given, never from the pull request.
    settings: Settings | None = None
    #: Paths the pull request changed: the head's copy of these is not the base's.
    changed: set[str] = field(default_factory=set)
    #: ``(git folder, base ref)``: where the base's history is, for the times requests were
    #: added (the rate limit's clock); None outside git, where the files' own dates are all
    #: there is.
    history: tuple[Path, str] | None = None
    #: ``(git folder, ref)`` of the pull request's commits, for the time of the commit that
    #: added each new request; None outside git.
    commits: tuple[Path, str] | None = None
    #: Checks a changed suite's tasks and metric keys with lm-eval, where it is installed
    #: (``harness.suite_check.check_suite_tasks``); None: those checks are skipped.
    suite_tasks: Callable[..., list[Any]] | None = None
    #: Every folder and file name of the base, whole (what exists already: duplicates, the
    #: rate limit, a rename's target); ``base``'s own files when not given.
    folders: Folders | None = None

    def __post_init__(self) -> None:
        if self.settings is None:
            self.settings = self.base.settings()
        if self.folders is None:
            self.folders = DiskFolders(self.base.root)

    @property
    def base_settings(self) -> Settings:
        assert self.settings is not None  # read in __post_init__ when not given
        return self.settings

    @property
    def base_folders(self) -> Folders:
        assert self.folders is not None
        return self.folders
