"""What every rule reads: the pull request's tree, the base's view and the base's settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ..core.models import Problem, Settings, utcnow
from ..store.repo import Repo


@dataclass
class Context:
    """Everything the rules read: the pull request's tree, the base's view and its settings."""

    head: Repo
    base: Repo
    author: str | None = None
    now: datetime = field(default_factory=utcnow)
    hub: bool = True
    settings: Settings = field(init=False)
    maintainers: list[str] = field(init=False)
    #: Paths the pull request changed: the head's copy of these is not the base's.
    changed: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.settings = self.base.settings()
        self.maintainers = list(self.settings.maintainers)

    def is_maintainer(self, login: str | None) -> bool:
        return bool(login) and login.lower() in {m.lower() for m in self.maintainers}

    def maintainers_text(self) -> str:
        names = ", ".join(f"@{m}" for m in self.maintainers)
        return names or "a maintainer (none is listed in curation/settings.yaml)"


@dataclass
class Outcome:
    """The problems found, and what kind of change each judged file is (for the comment)."""

    problems: list[Problem] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=dict)
    checked: list[str] = field(default_factory=list)
