"""How much the Hub checks may take: a deadline, and bytes to download.

A per-call timeout is not a deadline: ``httpx`` restarts its read timeout with every byte, so a
Hub that sends one byte every few seconds is never timed out, and fifty requests with large
tokenizers each take their full time. Validation runs in a job that GitHub kills at its timeout,
after which the pull request gets no report at all. So the checks run under an allowance: a
deadline for one request's checks inside one for the whole pull request, and a number of bytes
the pull request's checks may download (each file once: the same tokenizer at two commits is
one download). :func:`hub.outage.call` enforces the deadline on every Hub call; the facts
charge the bytes before they download anything (``hub.facts``).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..core.errors import HubError
from ..core.rules import Rule


class OverBudget(HubError):
    """The pull request's Hub checks would download more than they may: a verdict on the pull
    request's size, which trying again does not change."""

    rule = Rule.pr_size


@dataclass
class Deadline:
    ends: float  # time.monotonic()
    reason: str  # what it bounds, for the message

    def left(self) -> float:
        return self.ends - time.monotonic()


@dataclass
class Bytes:
    left: int
    limit: int
    seen: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)


# One validation runs its Hub checks one request at a time; the threads that fetch a model's
# shard headers read these, so they are plain module state rather than context variables.
_deadline: Deadline | None = None
_bytes: Bytes | None = None


def current_deadline() -> Deadline | None:
    return _deadline


@contextlib.contextmanager
def deadline(seconds: float, reason: str) -> Iterator[None]:
    """Hub calls in the block end within ``seconds`` (or an enclosing block's deadline, if it
    ends sooner)."""
    global _deadline
    outer = _deadline
    mine = Deadline(time.monotonic() + seconds, reason)
    _deadline = outer if outer is not None and outer.ends <= mine.ends else mine
    try:
        yield
    finally:
        _deadline = outer


@contextlib.contextmanager
def byte_budget(limit: int) -> Iterator[None]:
    """The Hub checks in the block download at most ``limit`` bytes together."""
    global _bytes
    outer = _bytes
    _bytes = Bytes(limit, limit)
    try:
        yield
    finally:
        _bytes = outer


def charge(files: dict[str, tuple[str, int]], model: str) -> None:
    """Count ``files`` (``name: (blob id, size)``) of ``model`` against the byte budget, each
    blob of a repository once (the client caches per repository); :class:`OverBudget`, with
    nothing charged, when they do not fit."""
    budget = _bytes
    if budget is None:
        return
    with budget.lock:
        keys = {f"{model.lower()}:{oid}": size for oid, size in files.values()}
        new = {key: size for key, size in keys.items() if key not in budget.seen}
        total = sum(new.values())
        if total > budget.left:
            raise OverBudget(
                f"checking {model} downloads {total / 2**20:,.1f} MiB from the Hub (its card, "
                f"config and tokenizer), and this pull request's checks may download "
                f"{budget.limit / 2**20:,.0f} MiB in all: split it into smaller pull requests"
            )
        budget.left -= total
        budget.seen |= set(new)
