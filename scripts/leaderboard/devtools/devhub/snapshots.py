"""What a devhub repo looks like at one commit, as the Hub's API answers it: the file tree, the
model card's front matter, the parameter count from safetensors headers. Commits never change,
so what is read of one is kept."""

from __future__ import annotations

import contextlib
import json
import re
import struct
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from ...core.errors import LeaderboardError
from ...store import git as store_git
from .repos import RepoType, git, repo_dir


@dataclass(frozen=True)
class Entry:
    path: str
    oid: str
    size: int


class RepoReader:
    """Reads repos through git; results for a commit are cached, since commits never change."""

    def __init__(self, root: Path):
        self.root = root
        self._lock = threading.Lock()
        self._trees: dict[tuple[str, str], dict[str, Entry]] = {}
        self._blobs: dict[tuple[str, str], bytes] = {}

    def repo(self, repo_id: str, repo_type: RepoType = "model") -> Path | None:
        try:
            path = repo_dir(self.root, repo_id, repo_type)
        except LeaderboardError:
            return None
        return path if (path / "HEAD").is_file() else None

    def resolve(self, repo: Path, rev: str) -> str | None:
        if not rev or rev.startswith("-") or any(c in rev for c in " \t\n~^:?*[\\"):
            return None
        out = store_git.run(repo, "rev-parse", "-q", "--verify", f"{rev}^{{commit}}")
        return store_git.text(out.stdout) if out.returncode == 0 else None

    def tree(self, repo: Path, sha: str) -> dict[str, Entry]:
        key = (str(repo), sha)
        if key not in self._trees:
            out = git(repo, "ls-tree", "-r", "-l", "-z", sha)
            entries = {}
            for item in out.split(b"\0"):
                if not item:
                    continue
                meta, path = item.split(b"\t", 1)
                _mode, _kind, oid, size = meta.split()
                entries[path.decode()] = Entry(path.decode(), oid.decode(), int(size))
            with self._lock:
                self._trees[key] = entries
        return self._trees[key]

    def blob(self, repo: Path, oid: str) -> bytes:
        key = (str(repo), oid)
        if key not in self._blobs:
            data = git(repo, "cat-file", "blob", oid)
            with self._lock:
                self._blobs[key] = data
        return self._blobs[key]

    def commit_time(self, repo: Path, sha: str) -> str:
        """The commit's time in the Hub's format (the client parses exactly this shape)."""
        seconds = int(git(repo, "show", "-s", "--format=%ct", sha).decode().strip())
        return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _front_matter(readme: bytes) -> dict[str, Any]:
    match = re.match(rb"^---\s*\n(.*?)\n---\s*(\n|$)", readme, re.S)
    if not match:
        return {}
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def _safetensors_params(header_bytes: bytes) -> dict[str, int]:
    (length,) = struct.unpack("<Q", header_bytes[:8])
    header = json.loads(header_bytes[8 : 8 + length])
    counts: dict[str, int] = {}
    for name, tensor in header.items():
        if name == "__metadata__":
            continue
        n = 1
        for dim in tensor["shape"]:
            n *= dim
        counts[tensor["dtype"]] = counts.get(tensor["dtype"], 0) + n
    return counts


def model_info(
    store: RepoReader, repo_id: str, repo: Path, sha: str, meta: dict[str, Any]
) -> dict[str, Any]:
    """The JSON of ``GET /api/models/{repo}[/revision/{rev}]`` for one commit."""
    tree = store.tree(repo, sha)
    card = _front_matter(store.blob(repo, tree["README.md"].oid)) if "README.md" in tree else {}
    config: dict[str, Any] = {}
    if "config.json" in tree:
        try:
            raw = json.loads(store.blob(repo, tree["config.json"].oid))
            config = {k: raw[k] for k in ("architectures", "model_type", "auto_map") if k in raw}
        except (ValueError, AttributeError):
            config = {}
    params: dict[str, int] = {}
    for path, entry in tree.items():
        if path.endswith(".safetensors"):
            with contextlib.suppress(ValueError, KeyError, struct.error):
                for dtype, n in _safetensors_params(store.blob(repo, entry.oid)).items():
                    params[dtype] = params.get(dtype, 0) + n
    tags = list(card.get("tags") or [])
    if any(p.endswith(".safetensors") for p in tree):
        tags.append("safetensors")
    if card.get("license"):
        tags.append(f"license:{card['license']}")
    created = store.commit_time(
        repo, git(repo, "rev-list", "--max-parents=0", "-n1", sha).decode().strip()
    )
    info: dict[str, Any] = {
        "_id": repo_id,
        "id": repo_id,
        "modelId": repo_id,
        "author": repo_id.split("/")[0],
        "sha": sha,
        "lastModified": store.commit_time(repo, sha),
        "createdAt": created,
        "private": bool(meta.get("private", False)),
        "gated": meta.get("gated", False) or False,
        "disabled": bool(meta.get("disabled", False)),
        "downloads": int(meta.get("downloads", 0)),
        "likes": int(meta.get("likes", 0)),
        "library_name": "transformers",
        "tags": tags,
        "cardData": card,
        "config": config,
        "siblings": [
            {"rfilename": p, "size": e.size, "blobId": e.oid} for p, e in sorted(tree.items())
        ],
    }
    if params:
        info["safetensors"] = {"parameters": params, "total": sum(params.values())}
    return info


def dataset_info(
    store: RepoReader, repo_id: str, repo: Path, sha: str, meta: dict[str, Any]
) -> dict[str, Any]:
    """The JSON of ``GET /api/datasets/{repo}[/revision/{rev}]`` for one commit.

    ``cardData`` carries the README's ``configs``, which is how ``datasets`` maps a config
    name to its data files without any loading script.
    """
    tree = store.tree(repo, sha)
    card = _front_matter(store.blob(repo, tree["README.md"].oid)) if "README.md" in tree else {}
    return {
        "_id": repo_id,
        "id": repo_id,
        "author": repo_id.split("/")[0],
        "sha": sha,
        "lastModified": store.commit_time(repo, sha),
        "createdAt": store.commit_time(
            repo, git(repo, "rev-list", "--max-parents=0", "-n1", sha).decode().strip()
        ),
        "private": bool(meta.get("private", False)),
        "gated": meta.get("gated", False) or False,
        "disabled": bool(meta.get("disabled", False)),
        "downloads": int(meta.get("downloads", 0)),
        "likes": int(meta.get("likes", 0)),
        "tags": list(card.get("tags") or []),
        "cardData": card,
        "siblings": [{"rfilename": p, "size": e.size} for p, e in sorted(tree.items())],
    }
