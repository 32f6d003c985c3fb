"""Small helpers the curation rules share: line numbers of keys, and what changed."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from ..core.errors import ValidationFailed
from ..core.ids import REQUESTS_DIR, RESULTS_DIR
from ..store.repo import Repo
from ..store.yaml_strict import KeyPath, load_yaml

# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------

Lines = dict[KeyPath, int]


def key_lines(repo: Repo, rel: str) -> Lines:
    try:
        return load_yaml(rel, repo.path(rel).read_bytes())[1]
    except (ValidationFailed, OSError):
        return {}


def changed_keys(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """Top-level keys whose values differ, in a's order then b's."""
    keys = list(a) + [k for k in b if k not in a]
    return [k for k in keys if a.get(k) != b.get(k)]


def entry_key(flag: Any) -> str:
    return flag.model_dump_json()


def top_folder(rel: str) -> str:
    return rel.split("/", 1)[0]


def is_data(rel: str) -> bool:
    return top_folder(rel) in (REQUESTS_DIR, RESULTS_DIR)


def has_request(repo: Repo, model: str, sha: str | None) -> bool:
    files = repo.request_files(model)
    if sha is None:
        return bool(files)
    return any(PurePosixPath(f).name.startswith(f"{sha}_") for f in files)
