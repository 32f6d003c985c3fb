"""Votes on the queue: asked from GitHub when the dispatch job claims, recorded in its claim
commits, and read back from git by everything built without GitHub (the Queue page,
``leaderboard queue``).

A vote is a 👍 on the pull request that added a request: found from git (the merge commit that
added the file, ``store.git.additions``) and GitHub (the pull request merged as that commit),
never from anything the request says. ``core.votes`` decides which count. No vote is ever a
file: the claim commit's ``Votes: {…}`` line says what the claim saw, for audit.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from ..core.models import Request, Votes, VotesSeen, iso_z
from ..core.votes import tally
from ..store import gh, git

#: The author of the dispatch job's commits (evaluate.yml): only its claim commits are read
#: back, so a squash-merged pull request whose message copies the line counts for nothing.
BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"
TRAILER = "Votes: "


def ask_github(
    root: Path,
    repository: str,
    settings: Votes,
    pending: list[tuple[str, Request]],
    now: datetime,
) -> VotesSeen:
    """The votes on each pending request's pull request, as GitHub has them now: one GraphQL
    query per 100 requests (``store.gh.merged_pull_reactions``). Raises LeaderboardError when
    GitHub cannot be asked."""
    added = git.additions(root, [rel for rel, _ in pending])
    pulls = gh.merged_pull_reactions(repository, [a.sha for a in added.values()])
    seen = VotesSeen(at=now)
    for rel, request in pending:
        commit = added.get(rel)
        pull = pulls.get(commit.sha) if commit else None
        if pull is None:
            continue  # a maintainer's push: no pull request to vote on
        count = tally(
            pull.reactions,
            submitter=request.submitter,
            author=pull.author,
            now=now,
            min_account_age_days=settings.min_account_age_days,
        )
        if count.votes:
            seen.votes[rel] = count.votes
            seen.voters[rel] = list(count.counted)
        if count.not_counted:
            seen.not_counted[rel] = count.not_counted
    return seen


def trailer(seen: VotesSeen) -> str:
    """The claim commit's line: ``Votes: {…}``, one line of JSON."""
    data = seen.model_dump(mode="json")
    data["at"] = iso_z(seen.at)
    return TRAILER + json.dumps(data, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def parse(message: str) -> VotesSeen | None:
    """The votes a claim commit's message records, or None."""
    for line in message.splitlines():
        if line.startswith(TRAILER):
            try:
                return VotesSeen.model_validate_json(line[len(TRAILER) :])
            except ValueError:
                return None
    return None


def recorded(root: Path) -> VotesSeen | None:
    """The votes the latest claim counted, from git (the bot's commits only); None when no
    claim has counted any yet, or git cannot say."""
    for email, body in git.messages(root, f"^{TRAILER}"):
        if email.lower() == BOT_EMAIL and (seen := parse(body)) is not None:
            return seen
    return None
