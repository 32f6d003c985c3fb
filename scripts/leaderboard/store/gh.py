"""The GitHub API, through the ``gh`` CLI that every GitHub-hosted runner has.

Used only by workflow steps (the sticky comment, reconcile's look at a run, the merge queue's
author, the votes on the queue): ``gh`` takes its token from ``GH_TOKEN``, which the workflow
passes to those steps alone. Tests put a recording stand-in named ``gh`` on ``PATH``.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..core.errors import LeaderboardError
from ..core.printable import EXCERPT
from ..core.votes import Reaction

#: One API call; gh retries nothing itself, and a workflow step must not hang on it.
TIMEOUT_S = 60


def gh(*args: str, input: str | None = None) -> str:
    """Run ``gh ARGS`` and return its standard output; a failure is a LeaderboardError."""
    try:
        proc = subprocess.run(
            ["gh", *args],
            input=input,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise LeaderboardError(f"gh {args[0] if args else ''} failed: {exc}") from None
    if proc.returncode != 0:
        raise LeaderboardError(
            f"gh {' '.join(args[:2])} failed ({proc.returncode}): {proc.stderr.strip()[:EXCERPT]}"
        )
    return proc.stdout


def _decode(path: str, out: str) -> Any:
    try:
        return json.loads(out) if out.strip() else None
    except json.JSONDecodeError:
        raise LeaderboardError(f"gh api {path}: the answer is not JSON") from None


def api(path: str, *, method: str = "GET", body: dict[str, Any] | None = None) -> Any:
    """One REST call, its JSON answer decoded."""
    args = ["api", "--method", method, path]
    if body is not None:
        args += ["--input", "-"]
    return _decode(path, gh(*args, input=json.dumps(body) if body is not None else None))


def api_list(path: str) -> list[Any]:
    """Every item of a paginated list (``--paginate --slurp`` gives one list per page)."""
    pages = _decode(path, gh("api", "--paginate", "--slurp", path)) or []
    return [item for page in pages if isinstance(page, list) for item in page]


#: ``refs/heads/gh-readonly-queue/<base>/pr-<number>-<sha>``: a merge group's branch.
_QUEUE_REF = re.compile(r"(?:^|/)gh-readonly-queue/.+/pr-(\d+)-[0-9a-f]{40}$")


def merge_group_pr(ref: str) -> int:
    """The pull request a merge group's branch was made for."""
    match = _QUEUE_REF.search(ref)
    if match is None:
        raise LeaderboardError(
            f"{ref!r} is not a merge queue branch (gh-readonly-queue/…/pr-N-SHA)"
        )
    return int(match.group(1))


def pr_author(merge_group_ref: str) -> str:
    """The login of the author of the pull request a merge group tests ($GITHUB_REPOSITORY)."""
    from ..core.env import github_repository

    repository = github_repository()
    if repository is None:
        raise LeaderboardError("asking GitHub for the author needs $GITHUB_REPOSITORY")
    pull = api(f"repos/{repository}/pulls/{merge_group_pr(merge_group_ref)}")
    login = (pull or {}).get("user", {}).get("login") if isinstance(pull, dict) else None
    if not isinstance(login, str) or not login:
        raise LeaderboardError("GitHub's answer names no author for the pull request")
    return login


def merged_pull(repository: str, sha: str) -> int | None:
    """The pull request whose merge made commit ``sha`` on the default branch, if any.

    GitHub lists every pull request "associated" with a commit, which includes open ones whose
    branch happens to contain it; only the one GitHub merged *as* this commit counts, so that a
    maintainer's direct push is never taken for somebody's pull request.
    """
    pulls = api(f"repos/{repository}/commits/{sha}/pulls")
    for pull in pulls if isinstance(pulls, list) else []:
        number = pull.get("number") if isinstance(pull, dict) else None
        if (
            isinstance(number, int)
            and pull.get("merged_at")
            and pull.get("merge_commit_sha") == sha
        ):
            return number
    return None


def branch_rules(repository: str, branch: str) -> list[dict[str, Any]]:
    """The rules of every active ruleset that applies to ``branch`` (any token that can read
    the repository may ask)."""
    rules = api_list(f"repos/{repository}/rules/branches/{branch}")
    return [r for r in rules if isinstance(r, dict)]


def branch_protection(repository: str, branch: str) -> dict[str, Any] | None:
    """The branch's classic protection, or None when it has none. Reading it takes an admin's
    token: without one, the LeaderboardError says GitHub refused."""
    try:
        found = api(f"repos/{repository}/branches/{branch}/protection")
    except LeaderboardError as exc:
        if "Branch not protected" in str(exc):
            return None
        raise
    return found if isinstance(found, dict) else None


def run_artifacts(repository: str, run_id: str) -> dict[str, dict[str, Any]]:
    """The artifacts of a workflow run by name (``id``, ``digest`` = ``sha256:…``, …): GitHub
    lists each artifact's digest since upload-artifact v4, and the attestation names it."""
    pages = _decode(
        "artifacts",
        gh("api", "--paginate", "--slurp", f"repos/{repository}/actions/runs/{run_id}/artifacts"),
    )
    out: dict[str, dict[str, Any]] = {}
    for page in pages if isinstance(pages, list) else []:
        for item in (page or {}).get("artifacts") or [] if isinstance(page, dict) else []:
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                out[item["name"]] = item
    return out


# -- votes: the 👍 on each pending request's pull request (GraphQL) -----------------------------

#: Merge commits asked about per GraphQL query: 100 commits × 10 pull requests × 100 reactions
#: is 100,000 nodes, a fifth of GitHub's limit per query.
COMMITS_PER_QUERY = 100
_REACTIONS = (
    "reactions(content: THUMBS_UP, first: 100<after>) { totalCount "
    "pageInfo { hasNextPage endCursor } nodes { user { login createdAt } } }"
)
#: One commit's pull requests (GitHub lists every one "associated" with it; the one merged as
#: this very commit is the request's) with their first 100 👍.
_COMMIT = (
    "<alias>: object(oid: $<alias>) { ... on Commit { associatedPullRequests(first: 10) { "
    "nodes { number merged mergeCommit { oid } author { login } "
    + _REACTIONS.replace("<after>", "")
    + " } } } }"
)
#: The next 100 👍 of one pull request.
REACTIONS_PAGE_QUERY = (
    "query($owner: String!, $name: String!, $number: Int!, $after: String!) { "
    "repository(owner: $owner, name: $name) { pullRequest(number: $number) { "
    + _REACTIONS.replace("<after>", ", after: $after")
    + " } } }"
)


def pulls_query(count: int) -> str:
    """The GraphQL query for ``count`` merge commits, given as variables ``$c0``…"""
    aliases = [f"c{i}" for i in range(count)]
    variables = "".join(f", ${a}: GitObjectID!" for a in aliases)
    fields = " ".join(_COMMIT.replace("<alias>", a) for a in aliases)
    return (
        f"query($owner: String!, $name: String!{variables}) {{ "
        f"repository(owner: $owner, name: $name) {{ {fields} }} }}"
    )


@dataclass(frozen=True)
class PullVotes:
    """The pull request merged as a commit: its number, author and 👍 reactions."""

    number: int
    author: str | None
    reactions: tuple[Reaction, ...]


def graphql(query: str, **variables: str | int) -> dict[str, Any]:
    """One GraphQL query through ``gh api graphql``; its ``data``. Strings go as ``-f`` (never
    read as numbers or booleans), integers as ``-F``."""
    args = ["api", "graphql", "-f", f"query={query}"]
    for key, value in variables.items():
        args += ["-F" if isinstance(value, int) else "-f", f"{key}={value}"]
    answer = _decode("graphql", gh(*args))
    data = answer.get("data") if isinstance(answer, dict) else None
    if not isinstance(data, dict) or answer.get("errors"):
        errors = answer.get("errors") if isinstance(answer, dict) else None
        raise LeaderboardError(
            f"gh api graphql: GitHub answered with errors: {str(errors)[:EXCERPT]}"
        )
    return data


def _reactions(connection: Any) -> tuple[list[Reaction], str | None]:
    """The reactions of one page, and the cursor of the next page (None: the last)."""
    if not isinstance(connection, dict):
        return [], None
    out = []
    for node in connection.get("nodes") or []:
        user = node.get("user") if isinstance(node, dict) else None
        login = user.get("login") if isinstance(user, dict) else None
        created = user.get("createdAt") if isinstance(user, dict) else None
        out.append(Reaction(login if isinstance(login, str) else None, _github_time(created)))
    page = connection.get("pageInfo") or {}
    more = page.get("hasNextPage") is True and isinstance(page.get("endCursor"), str)
    return out, page["endCursor"] if more else None


def _github_time(value: Any) -> datetime | None:
    """GitHub's DateTime (ISO 8601, ``Z``), or None."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def merged_pull_reactions(repository: str, shas: list[str]) -> dict[str, PullVotes]:
    """For each merge commit of ``shas``, the pull request merged as it and its 👍: one query
    per :data:`COMMITS_PER_QUERY` commits, and one more per 100 👍 beyond a pull request's
    first 100. A commit no pull request was merged as (a maintainer's push) is absent."""
    owner, _, name = repository.partition("/")
    out: dict[str, PullVotes] = {}
    unique = sorted(set(shas))
    for start in range(0, len(unique), COMMITS_PER_QUERY):
        batch = unique[start : start + COMMITS_PER_QUERY]
        data = graphql(
            pulls_query(len(batch)),
            owner=owner,
            name=name,
            **{f"c{i}": sha for i, sha in enumerate(batch)},
        )
        repo = data.get("repository") or {}
        for i, sha in enumerate(batch):
            commit = repo.get(f"c{i}") if isinstance(repo, dict) else None
            pulls = ((commit or {}).get("associatedPullRequests") or {}).get("nodes") or []
            for pull in pulls if isinstance(pulls, list) else []:
                if not isinstance(pull, dict) or not isinstance(pull.get("number"), int):
                    continue
                if (
                    pull.get("merged") is not True
                    or (pull.get("mergeCommit") or {}).get("oid") != sha
                ):
                    continue
                reactions, after = _reactions(pull.get("reactions"))
                while after is not None:
                    page = graphql(
                        REACTIONS_PAGE_QUERY,
                        owner=owner,
                        name=name,
                        number=pull["number"],
                        after=after,
                    )
                    more, after = _reactions(
                        ((page.get("repository") or {}).get("pullRequest") or {}).get("reactions")
                    )
                    reactions += more
                author = (pull.get("author") or {}).get("login")
                out[sha] = PullVotes(
                    pull["number"], author if isinstance(author, str) else None, tuple(reactions)
                )
    return out
