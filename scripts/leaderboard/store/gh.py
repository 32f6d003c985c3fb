"""The GitHub API, through the ``gh`` CLI that every GitHub-hosted runner has.

Used only by workflow steps (the sticky comment, reconcile's look at a run, the merge queue's
author): ``gh`` takes its token from ``GH_TOKEN``, which the workflow passes to those steps
alone. Tests put a recording stand-in named ``gh`` on ``PATH``.
"""

from __future__ import annotations

import json
import re
import subprocess
from typing import Any

from ..core.errors import LeaderboardError
from ..core.printable import EXCERPT

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
        if (
            isinstance(pull, dict)
            and pull.get("merged_at")
            and pull.get("merge_commit_sha") == sha
            and isinstance(pull.get("number"), int)
        ):
            return pull["number"]
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
