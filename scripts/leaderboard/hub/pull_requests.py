"""Opening a pull request on a model's Hub repository (Community Evals files, for now).

One ``create_commit(..., create_pr=True)`` with every file: the Hub opens a pull request (a
discussion) from the repository's ``main``, which the model's authors merge or close. The token
is the caller's (``HF_TOKEN``): Trusted Publishers' tokens write only the leaderboard's own
repositories, not other people's.
"""

from __future__ import annotations

from ..core.errors import HubError


def open_pr(repo_id: str, files: dict[str, bytes], *, title: str, description: str) -> str:
    """Open a pull request adding ``files`` to ``repo_id``; its URL."""
    from huggingface_hub import CommitOperationAdd, HfApi
    from huggingface_hub.errors import HfHubHTTPError

    operations = [CommitOperationAdd(path, data) for path, data in sorted(files.items())]
    try:
        info = HfApi().create_commit(
            repo_id=repo_id,
            repo_type="model",
            operations=operations,
            commit_message=title,
            commit_description=description,
            create_pr=True,
        )
    except HfHubHTTPError as exc:
        raise HubError(f"{repo_id}: the Hub refused the pull request: {exc}") from exc
    return str(info.pr_url)
