"""The details store: per-sample outputs, too big for git.

By default a local folder (``settings.details.path``, ``.details`` at the repository root,
ignored by git); a Hub dataset repository when ``settings.details`` says ``kind: hub``. Each
run gets its own folder named like its result file, so nothing is ever overwritten.
"""

from __future__ import annotations

import shutil
from pathlib import Path

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


def _upload(samples: list[Path], store: DetailsStore, key: str) -> str:
    from huggingface_hub import HfApi, constants

    if not store.repo:
        raise LeaderboardError("settings.details.kind is 'hub' but settings.details.repo is empty")
    api = HfApi()
    api.create_repo(store.repo, repo_type="dataset", exist_ok=True)
    # The samples and the fields moved out of the result (queue.caps) lie in two folders.
    for parent in sorted({s.parent for s in samples}):
        api.upload_folder(
            repo_id=store.repo,
            repo_type="dataset",
            folder_path=parent,
            path_in_repo=key,
            allow_patterns=[s.name for s in samples if s.parent == parent],
            commit_message=f"Details of {key}",
        )
    return f"{constants.ENDPOINT}/datasets/{store.repo}/tree/main/{key}"
