"""The details store: per-sample outputs, too big for git.

By default a local folder (``settings.details.path``, ``.details`` at the repository root,
ignored by git); a Hub dataset repository when ``settings.details`` says ``kind: hub``. Each
run gets its own folder named like its result file, so nothing is ever overwritten.

The Hub push authenticates with Hugging Face's Trusted Publishers when the settings say
``trusted_publisher: true``: the record job's OIDC identity is exchanged for a short-lived
token that writes the details dataset alone (``huggingface_hub`` does the exchange when
``HF_OIDC_RESOURCE`` names the repository). The stored ``HF_DETAILS_TOKEN`` (``HF_TOKEN`` in
the step) is the fallback, used when the exchange cannot be made, and said so.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from ..core.env import HF_OIDC_RESOURCE_ENV, hf_oidc_resource, hf_token
from ..core.errors import LeaderboardError
from ..core.models import DetailsStore


def store_details(samples: list[Path], store: DetailsStore, repo_root: Path, key: str) -> str:
    """Keep ``samples`` under ``key``; return where they are (a path or a Hub URL)."""
    if store.kind == "hub":
        return _upload(samples, store, key)
    base = Path(store.path)
    base = base if base.is_absolute() else repo_root / base
    folder = base / key
    if not folder.resolve().is_relative_to(base.resolve()):
        raise LeaderboardError(f"details key {key!r} leads outside {base}")
    folder.mkdir(parents=True, exist_ok=True)
    for sample in samples:
        shutil.copyfile(sample, folder / sample.name)
    try:
        return str(folder.relative_to(repo_root))
    except ValueError:
        return str(folder)


def hub_token(store: DetailsStore) -> str | None:
    """The token to push the details with: Trusted Publishers' when configured and possible,
    else None (``huggingface_hub`` then reads ``HF_TOKEN``, the stored secret)."""
    if not store.trusted_publisher:
        return None
    from huggingface_hub import get_token

    previous = hf_oidc_resource()
    os.environ[HF_OIDC_RESOURCE_ENV] = f"datasets/{store.repo}"
    try:
        return get_token()
    except Exception as exc:  # OIDCError, or the Hub refusing the exchange (HfHubHTTPError)
        if hf_token():
            print(
                f"warning: Trusted Publishers gave no token for datasets/{store.repo} ({exc}); "
                "pushing the details with the stored HF_DETAILS_TOKEN instead",
                file=sys.stderr,
            )
            return None
        raise LeaderboardError(
            f"Trusted Publishers gave no token for datasets/{store.repo}: {exc}. Register this "
            "repository's evaluate workflow as a trusted publisher of the dataset (the record "
            "job has id-token: write), or store HF_DETAILS_TOKEN"
        ) from exc
    finally:
        if previous is None:
            os.environ.pop(HF_OIDC_RESOURCE_ENV, None)
        else:
            os.environ[HF_OIDC_RESOURCE_ENV] = previous


def _upload(samples: list[Path], store: DetailsStore, key: str) -> str:
    from huggingface_hub import CommitOperationAdd, HfApi, constants

    if not store.repo:
        raise LeaderboardError("settings.details.kind is 'hub' but settings.details.repo is empty")
    token = hub_token(store)
    api = HfApi(token=token)
    if token is None:
        # A publisher's token writes an existing dataset (registering one needs it to exist).
        api.create_repo(store.repo, repo_type="dataset", exist_ok=True)
    # The samples and the fields moved out of the result (queue.caps), in one commit.
    api.create_commit(
        repo_id=store.repo,
        repo_type="dataset",
        operations=[CommitOperationAdd(f"{key}/{s.name}", s) for s in samples],
        commit_message=f"Details of {key}",
    )
    return f"{constants.ENDPOINT}/datasets/{store.repo}/tree/main/{key}"
