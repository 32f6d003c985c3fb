"""The devhub's folder: bare git repositories that :func:`publish` commits to, and the Hub
metadata git does not hold (``NAME.devhub.yaml``: :func:`read_meta`, :func:`set_meta`)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, Literal

import yaml

from ...core.errors import LeaderboardError
from ...core.ids import MODEL_ID_RE
from ..gitenv import git_as

RepoType = Literal["model", "dataset"]
#: Dataset repos live under ``ROOT/datasets/``, as the Hub keeps them under ``/datasets/``.
_TYPE_FOLDERS: dict[str, str] = {"model": "", "dataset": "datasets"}
META_SUFFIX = ".devhub.yaml"
META_FIELDS = {
    "private",
    "gated",
    "disabled",
    "likes",
    "downloads",
    "trusted_publishers",
    "test_drip_seconds",
}


def git(
    repo: Path, *args: str, input: bytes | None = None, env: dict[str, str] | None = None
) -> bytes:
    return git_as("devhub", repo, *args, input=input, env=env)


def repo_dir(root: Path | str, repo_id: str, repo_type: RepoType = "model") -> Path:
    if not MODEL_ID_RE.fullmatch(repo_id) or ".." in repo_id:
        raise LeaderboardError(f"{repo_id!r} is not a Hub repo id ('org/name')")
    return Path(root) / _TYPE_FOLDERS[repo_type] / repo_id


def _read_files(files: Path | dict[str, bytes]) -> dict[str, bytes]:
    if isinstance(files, dict):
        return files
    folder = Path(files)
    if not folder.is_dir():
        raise LeaderboardError(f"{folder} is not a folder of model files")
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(folder).parts
    }


def publish(
    root: Path | str,
    repo_id: str,
    files: Path | dict[str, bytes],
    *,
    message: str = "Upload model",
    branch: str = "main",
    tag: str | None = None,
    delete: tuple[str, ...] = (),
    repo_type: RepoType = "model",
) -> str:
    """Commit ``files`` on top of ``branch`` (created if new) and return the commit sha.

    ``files`` is a folder (uploaded whole, like ``upload_folder``) or ``{path: bytes}``.
    Existing files stay unless listed in ``delete``. ``tag`` also tags the new commit.
    ``repo_type="dataset"`` makes a dataset repo (``ROOT/datasets/<org>/<name>``).
    """
    repo = repo_dir(root, repo_id, repo_type)
    if not (repo / "HEAD").exists():
        repo.mkdir(parents=True, exist_ok=True)
        git(repo, "init", "-q", "--bare", "-b", "main")
    ref = f"refs/heads/{branch}"
    parent = git(repo, "for-each-ref", "--format=%(objectname)", ref).decode().strip()
    with tempfile.TemporaryDirectory() as tmp:
        env = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
        if parent:
            git(repo, "read-tree", parent, env=env)
        if delete:
            git(repo, "rm", "-q", "--cached", "--ignore-unmatch", "--", *delete, env=env)
        entries = []
        for path, data in _read_files(files).items():
            blob = git(repo, "hash-object", "-w", "--stdin", input=data).decode().strip()
            entries.append(f"100644 {blob}\t{path}")
        if entries:
            git(
                repo,
                "update-index",
                "--add",
                "--index-info",
                input="\n".join(entries).encode(),
                env=env,
            )
        tree = git(repo, "write-tree", env=env).decode().strip()
    args = ["commit-tree", tree, "-m", message] + (["-p", parent] if parent else [])
    sha = git(repo, *args).decode().strip()
    git(repo, "update-ref", ref, sha)
    if tag:
        git(repo, "tag", "-f", tag, sha)
    return sha


def _meta_file(root: Path | str, repo_id: str, repo_type: RepoType) -> Path:
    return Path(root) / _TYPE_FOLDERS[repo_type] / f"{repo_id}{META_SUFFIX}"


def read_meta(root: Path | str, repo_id: str, repo_type: RepoType = "model") -> dict[str, Any]:
    file = _meta_file(root, repo_id, repo_type)
    if not file.exists():
        return {}
    data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    unknown = set(data) - META_FIELDS
    if unknown:
        raise LeaderboardError(
            f"{file}: unknown fields {sorted(unknown)}; known: {sorted(META_FIELDS)}"
        )
    return data


def set_meta(root: Path | str, repo_id: str, repo_type: RepoType = "model", **fields: Any) -> None:
    """Merge Hub metadata (private, gated, disabled, likes, downloads) into the repo's file."""
    unknown = set(fields) - META_FIELDS
    if unknown:
        raise LeaderboardError(
            f"unknown devhub metadata {sorted(unknown)}; known: {sorted(META_FIELDS)}"
        )
    data = {**read_meta(root, repo_id, repo_type), **fields}
    file = _meta_file(root, repo_id, repo_type)
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(yaml.safe_dump(data, sort_keys=True), encoding="utf-8")
