"""The project's one exception tree.

Everything the project raises on purpose is a :class:`LeaderboardError`, which the CLI prints
without a traceback (exit 2); :class:`ValidationFailed` carries located problems (exit 1).
"""

from __future__ import annotations

from .models import FailureCategory, Problem, RunnerPool
from .models.types import MAX_REASON
from .printable import bounded
from .rules import Rule


class LeaderboardError(Exception):
    """Base of the project's own errors; the CLI prints them without a traceback."""


class ValidationFailed(LeaderboardError):
    """A file or change broke one or more rules."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(p.render() for p in problems))


class GitError(LeaderboardError):
    """A git command failed."""


class PushRejected(GitError):
    """The remote refused the push: someone else pushed first."""


class HubError(LeaderboardError):
    """The Hub answered, and the answer is that the model cannot be used as asked."""

    rule = Rule.hub


class HubUnavailable(LeaderboardError):
    """The Hub could not be reached or failed (5xx): try again later; says nothing of the model."""

    rule = Rule.hub_unavailable


class ModelNotFound(HubError):
    rule = Rule.hub_not_found


class RevisionNotFound(HubError):
    rule = Rule.hub_revision


class ModelGated(HubError):
    rule = Rule.hub_gated


class HubFileRefused(HubError):
    """A file of the model that is not read: too large, or not what it says it is; ``rule``
    names the check it belongs to (the card's, the config's, the weights'...)."""

    def __init__(self, message: str, rule: Rule):
        super().__init__(message)
        self.rule = rule


class UnknownSuite(LeaderboardError):
    """The named suite is not in the package."""


class MissingScore(LeaderboardError):
    """The results lack a subtask or metric that the suite needs: never a silent zero."""


class EvaluationFailed(LeaderboardError):
    """An evaluation that did not produce results, with who must act."""

    def __init__(self, reason: str, category: FailureCategory):
        # A reason may quote the model's files (an exception's text): shown as printable text,
        # so that it is always a valid failure_reason and never more than one line.
        self.reason = bounded(reason, MAX_REASON)
        self.category = category
        super().__init__(f"{category.value}: {self.reason}")


class NoPoolFits(LeaderboardError):
    """No runner pool can run a request: the model is too large for every pool, or its
    precision needs what no runner has. ``need_gb`` is the estimate, ``largest`` the largest
    pool by total GPU memory."""

    def __init__(self, message: str, *, need_gb: float, largest: RunnerPool):
        super().__init__(message)
        self.need_gb, self.largest = need_gb, largest


class RecordFailed(LeaderboardError):
    """A bundle could not be recorded; the bundle itself is kept, so nothing is lost."""


class BundleRefused(LeaderboardError):
    """A bundle that is not for a claimed attempt, or not a well-formed bundle: nothing of it
    is written (its claim is then recorded as an infrastructure failure, and retried)."""


class DemoError(LeaderboardError):
    """A step of ``leaderboard demo`` failed; the message holds the command's output."""


class DevhubHTTPError(LeaderboardError):
    """What the devhub answers with an error status, shaped like the Hub's own errors."""

    def __init__(self, status: int, code: str | None, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
