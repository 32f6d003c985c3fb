"""Which 👍 reactions count as votes: arithmetic on what GitHub answered, no I/O.

A vote is a 👍 on the pull request that added a request (``store.gh.merged_pull_reactions``
reads them). One per account: GitHub allows an account one reaction of each kind on a pull
request, and a login seen twice counts once anyway. These do not count, and the claim commit
says how many of each it left out:

- ``not a user``: a reaction whose author GitHub gives as no user (a GitHub App, a deleted
  account), or a login ending in ``[bot]``;
- ``submitter``: the request's submitter, or the pull request's author;
- ``young account``: an account created less than ``min_account_age_days`` before the count
  (a fresh account is the cheapest vote to make).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Reaction:
    """One 👍: who left it, and when their account was created (None: GitHub gave no user)."""

    login: str | None
    account_created: datetime | None = None


@dataclass(frozen=True)
class Tally:
    """The votes of one pull request: the logins counted, and how many were left out, why."""

    counted: tuple[str, ...] = ()
    not_counted: dict[str, int] = field(default_factory=dict)

    @property
    def votes(self) -> int:
        return len(self.counted)


def tally(
    reactions: Iterable[Reaction],
    *,
    submitter: str,
    author: str | None,
    now: datetime,
    min_account_age_days: int,
) -> Tally:
    """The 👍 that count (see the module's docstring). GitHub logins ignore case."""
    own = {submitter.lower()} | ({author.lower()} if author else set())
    oldest = now - timedelta(days=min_account_age_days)
    counted: dict[str, str] = {}
    refused: Counter[str] = Counter()
    for reaction in reactions:
        login = reaction.login
        if not login or login.lower().endswith("[bot]"):
            refused["not a user"] += 1
        elif login.lower() in own:
            refused["submitter"] += 1
        elif reaction.account_created is None or reaction.account_created > oldest:
            refused["young account"] += 1
        else:
            counted.setdefault(login.lower(), login)
    return Tally(tuple(sorted(counted.values(), key=str.lower)), dict(sorted(refused.items())))
