"""A small Hugging Face Hub-compatible HTTP server over a folder of model repos.

``huggingface.co`` is unreachable in the tests and in the offline demo, so the project serves
its own Hub: point ``HF_ENDPOINT`` at :func:`serve`'s URL and the real ``huggingface_hub``
client, ``transformers.AutoConfig`` and ``AutoTokenizer`` work unchanged over real HTTP.

Folder format (``ROOT`` is any directory)::

    ROOT/<org>/<name>/               a bare git repository: the model repo itself. Real commits,
                                     so real 40-hex shas; branches and tags are git's own.
    ROOT/<org>/<name>.devhub.yaml    optional Hub metadata that is not in git:
                                       private: bool, gated: false|auto|manual, disabled: bool,
                                       likes: int, downloads: int; and one test mode,
                                       test_drip_seconds: float (files are sent one byte at a
                                       time, this far apart: a Hub too slow to finish, yet
                                       never silent long enough for a per-read timeout)

Make repos with :func:`publish` (or ``leaderboard devhub publish DIR ORG/NAME``), or by hand:
``git clone ROOT/org/name``, commit, ``git push``. Set metadata with :func:`set_meta`.

Served endpoints (what the client reads, measured in docs/devhub.md): model info with and
without a revision, the file tree, refs, and ``resolve`` with ``HEAD``/``GET``,
``X-Repo-Commit``, ``ETag``, ``Content-Length`` and ``Range``. Errors carry ``X-Error-Code``
(``RepoNotFound``, ``RevisionNotFound``, ``EntryNotFound``, ``GatedRepo``), because the client
picks its exception from that header. Private repos look missing (401 ``RepoNotFound``) to a
request without ``Authorization``, as on the real Hub; with any token they are visible, so
owners can be told their model is private. Gated repos show their info but refuse files (401
without a token, 403 with one). Files are always served from git, never from a working tree.
"""

from __future__ import annotations

import contextlib
import json
import re
import struct
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qs, unquote, urlsplit

import yaml

from ..core.env import devhub_log
from ..core.errors import DevhubHTTPError, LeaderboardError
from ..core.ids import MODEL_ID_RE
from ..store import git as store_git
from .gitenv import git_as

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


# --------------------------------------------------------------------------------------------
# The folder: git plumbing over bare repositories
# --------------------------------------------------------------------------------------------


def _git(
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
        _git(repo, "init", "-q", "--bare", "-b", "main")
    ref = f"refs/heads/{branch}"
    parent = _git(repo, "for-each-ref", "--format=%(objectname)", ref).decode().strip()
    with tempfile.TemporaryDirectory() as tmp:
        env = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
        if parent:
            _git(repo, "read-tree", parent, env=env)
        if delete:
            _git(repo, "rm", "-q", "--cached", "--ignore-unmatch", "--", *delete, env=env)
        entries = []
        for path, data in _read_files(files).items():
            blob = _git(repo, "hash-object", "-w", "--stdin", input=data).decode().strip()
            entries.append(f"100644 {blob}\t{path}")
        if entries:
            _git(
                repo,
                "update-index",
                "--add",
                "--index-info",
                input="\n".join(entries).encode(),
                env=env,
            )
        tree = _git(repo, "write-tree", env=env).decode().strip()
    args = ["commit-tree", tree, "-m", message] + (["-p", parent] if parent else [])
    sha = _git(repo, *args).decode().strip()
    _git(repo, "update-ref", ref, sha)
    if tag:
        _git(repo, "tag", "-f", tag, sha)
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


# --------------------------------------------------------------------------------------------
# What a repo looks like at one commit (immutable, so cached by sha)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    path: str
    oid: str
    size: int


class _Store:
    """Reads repos through git; results for a commit are cached, since commits never change."""

    def __init__(self, root: Path):
        self.root = root
        self._lock = threading.Lock()
        self._trees: dict[tuple[str, str], dict[str, Entry]] = {}
        self._blobs: dict[tuple[str, str], bytes] = {}

    def repo(self, repo_id: str, repo_type: RepoType = "model") -> Path | None:
        if not MODEL_ID_RE.fullmatch(repo_id) or ".." in repo_id:
            return None
        path = self.root / _TYPE_FOLDERS[repo_type] / repo_id
        return path if (path / "HEAD").is_file() else None

    def resolve(self, repo: Path, rev: str) -> str | None:
        if not rev or rev.startswith("-") or any(c in rev for c in " \t\n~^:?*[\\"):
            return None
        out = store_git.run(repo, "rev-parse", "-q", "--verify", f"{rev}^{{commit}}")
        return store_git.text(out.stdout) if out.returncode == 0 else None

    def tree(self, repo: Path, sha: str) -> dict[str, Entry]:
        key = (str(repo), sha)
        if key not in self._trees:
            out = _git(repo, "ls-tree", "-r", "-l", "-z", sha)
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
            data = _git(repo, "cat-file", "blob", oid)
            with self._lock:
                self._blobs[key] = data
        return self._blobs[key]

    def commit_time(self, repo: Path, sha: str) -> str:
        """The commit's time in the Hub's format (the client parses exactly this shape)."""
        seconds = int(_git(repo, "show", "-s", "--format=%ct", sha).decode().strip())
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
    store: _Store, repo_id: str, repo: Path, sha: str, meta: dict[str, Any]
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
        repo, _git(repo, "rev-list", "--max-parents=0", "-n1", sha).decode().strip()
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
    store: _Store, repo_id: str, repo: Path, sha: str, meta: dict[str, Any]
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
            repo, _git(repo, "rev-list", "--max-parents=0", "-n1", sha).decode().strip()
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


# --------------------------------------------------------------------------------------------
# HTTP
# --------------------------------------------------------------------------------------------

# Each route's first group is the repo type as the Hub spells it in URLs ("models"/"datasets").
_API_INFO = re.compile(r"^/api/(models|datasets)/([^/]+/[^/]+)(?:/revision/(.+))?$")
_API_TREE = re.compile(r"^/api/(models|datasets)/([^/]+/[^/]+)/tree/([^/]+)(?:/(.*))?$")
_API_REFS = re.compile(r"^/api/(models|datasets)/([^/]+/[^/]+)/refs$")
_API_PATHS_INFO = re.compile(r"^/api/(models|datasets)/([^/]+/[^/]+)/paths-info/([^/]+)$")
# Writes (devtools.hubwrites): the revision may be a quoted "refs/pr/1".
_API_PREUPLOAD = re.compile(r"^/api/(models|datasets)/([^/]+/[^/]+)/preupload/(.+)$")
_API_COMMIT = re.compile(r"^/api/(models|datasets)/([^/]+/[^/]+)/commit/(.+)$")
_RESOLVE = re.compile(r"^/(?:(models|datasets)/)?([^/]+/[^/]+)/resolve/([^/]+)/(.+)$")
_URL_TYPES: dict[str | None, RepoType] = {None: "model", "models": "model", "datasets": "dataset"}
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


#: The Hub's cross-origin headers on every answer: a browser page on another origin (the
#: leaderboard's Submit page) may read the JSON and the error code.
_CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "X-Error-Code, X-Error-Message, X-Repo-Commit",
}


class _Handler(BaseHTTPRequestHandler):
    # Without this, every response with a body costs ~45 ms (Nagle + delayed ACK).
    disable_nagle_algorithm = True
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        if devhub_log():
            sys.stderr.write(f"devhub: {format % args}\n")

    def do_GET(self) -> None:
        self._dispatch(head=False)

    def do_HEAD(self) -> None:
        self._dispatch(head=True)

    def do_POST(self) -> None:
        from . import hubwrites

        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        path = unquote(url.path)
        create_pr = parse_qs(url.query).get("create_pr", [""])[0] == "1"
        try:
            if m := _API_PATHS_INFO.match(path):
                form = parse_qs(body.decode("utf-8", "replace"))
                self._paths_info(_URL_TYPES[m.group(1)], m.group(2), m.group(3), form)
            elif m := _API_PREUPLOAD.match(path):
                kind, repo_id = _URL_TYPES[m.group(1)], m.group(2)
                self._json(hubwrites.preupload(self, kind, repo_id, m.group(3), body))
            elif m := _API_COMMIT.match(path):
                kind, repo_id = _URL_TYPES[m.group(1)], m.group(2)
                self._json(hubwrites.commit(self, kind, repo_id, m.group(3), body, create_pr))
            elif path == "/api/repos/create":
                status, answer = hubwrites.create_repo(self, body)
                data = json.dumps(answer).encode()
                self._send(status, {"Content-Type": "application/json"}, data, length=len(data))
            elif path == "/oauth/token":
                self._json(hubwrites.exchange(self, body, self.server.oidc_tokens))
            else:
                raise DevhubHTTPError(404, None, f"no such endpoint: {url.path}")
        except DevhubHTTPError as exc:
            self._error(exc, head=False)

    # -- routing ----------------------------------------------------------------------------

    def _dispatch(self, head: bool) -> None:
        url = urlsplit(self.path)
        path = unquote(url.path)
        try:
            if m := _API_TREE.match(path):
                kind = _URL_TYPES[m.group(1)]
                self._tree(kind, m.group(2), m.group(3), m.group(4) or "", parse_qs(url.query))
            elif m := _API_REFS.match(path):
                self._refs(_URL_TYPES[m.group(1)], m.group(2))
            elif m := _API_INFO.match(path):
                self._info(_URL_TYPES[m.group(1)], m.group(2), m.group(3))
            elif m := _RESOLVE.match(url.path):
                # Matched before unquoting: a revision may be a quoted "refs%2Fpr%2F1".
                rev, file = unquote(m.group(3)), unquote(m.group(4))
                self._resolve(_URL_TYPES[m.group(1)], unquote(m.group(2)), rev, file, head)
            else:
                raise DevhubHTTPError(404, None, f"no such endpoint: {path}")
        except DevhubHTTPError as exc:
            self._error(exc, head)

    def _authorized(self) -> bool:
        return bool(self.headers.get("Authorization"))

    def _repo(
        self, repo_id: str, repo_type: RepoType = "model", *, files: bool = False
    ) -> tuple[Path, dict[str, Any]]:
        store = self.server.store
        repo = store.repo(repo_id, repo_type)
        missing = DevhubHTTPError(
            401 if not self._authorized() else 404,
            "RepoNotFound",
            f"Repository Not Found for url: {self.path}. Please make sure you specified the "
            "correct `repo_id` and `repo_type`. If you are trying to access a private or gated "
            "repo, make "
            "sure you are authenticated.",
        )
        if repo is None:
            raise missing
        meta = read_meta(store.root, repo_id, repo_type)
        if meta.get("private") and not self._authorized():
            raise missing
        if meta.get("disabled"):
            raise DevhubHTTPError(403, "DisabledRepo", "Access to this resource is disabled.")
        if files and meta.get("gated"):
            raise DevhubHTTPError(
                403 if self._authorized() else 401,
                "GatedRepo",
                f"Access to model {repo_id} is restricted. You must have access to it and be "
                "authenticated to access it. Please log in.",
            )
        return repo, meta

    def _sha(self, repo: Path, rev: str) -> str:
        sha = self.server.store.resolve(repo, rev)
        if sha is None:
            raise DevhubHTTPError(404, "RevisionNotFound", f"Invalid rev id: {rev}")
        return sha

    # -- endpoints --------------------------------------------------------------------------

    def _info(self, repo_type: RepoType, repo_id: str, rev: str | None) -> None:
        repo, meta = self._repo(repo_id, repo_type)
        sha = self._sha(repo, rev or "HEAD")
        if repo_type == "dataset":
            self._json(dataset_info(self.server.store, repo_id, repo, sha, meta))
        else:
            self._json(model_info(self.server.store, repo_id, repo, sha, meta))

    def _paths_info(
        self, repo_type: RepoType, repo_id: str, rev: str, form: dict[str, list[str]]
    ) -> None:
        repo, _ = self._repo(repo_id, repo_type)
        tree = self.server.store.tree(repo, self._sha(repo, rev))
        items = []
        for path in form.get("paths", []):
            path = path.strip("/")
            if path in tree:
                entry = tree[path]
                items.append({"type": "file", "path": path, "oid": entry.oid, "size": entry.size})
            elif any(p.startswith(f"{path}/") for p in tree):
                items.append({"type": "directory", "path": path, "oid": "", "size": 0})
        self._json(items)

    def _tree(
        self,
        repo_type: RepoType,
        repo_id: str,
        rev: str,
        prefix: str,
        query: dict[str, list[str]],
    ) -> None:
        repo, _ = self._repo(repo_id, repo_type)
        sha = self._sha(repo, rev)
        recursive = query.get("recursive", ["false"])[0].lower() == "true"
        prefix = prefix.strip("/")
        base = f"{prefix}/" if prefix else ""
        items: dict[str, dict[str, Any]] = {}
        for path, entry in self.server.store.tree(repo, sha).items():
            if not path.startswith(base):
                continue
            rest = path[len(base) :].split("/")
            if recursive:
                for i in range(1, len(rest)):
                    folder = base + "/".join(rest[:i])
                    items.setdefault(
                        folder, {"type": "directory", "path": folder, "oid": "", "size": 0}
                    )
            elif len(rest) > 1:
                folder = base + rest[0]
                items.setdefault(
                    folder, {"type": "directory", "path": folder, "oid": "", "size": 0}
                )
                continue
            items[path] = {"type": "file", "path": path, "oid": entry.oid, "size": entry.size}
        if prefix and not items:
            raise DevhubHTTPError(404, "EntryNotFound", f"{prefix} does not exist at {rev}")
        self._json([items[k] for k in sorted(items)])

    def _refs(self, repo_type: RepoType, repo_id: str) -> None:
        repo, _ = self._repo(repo_id, repo_type)
        out = _git(
            repo, "for-each-ref", "--format=%(refname)%00%(objectname)%00%(*objectname)"
        ).decode()
        branches, tags = [], []
        for line in out.splitlines():
            ref, obj, peeled = line.split("\0")
            target = peeled or obj
            if ref.startswith("refs/heads/"):
                branches.append({"name": ref[11:], "ref": ref, "targetCommit": target})
            elif ref.startswith("refs/tags/"):
                tags.append({"name": ref[10:], "ref": ref, "targetCommit": target})
        self._json({"branches": branches, "tags": tags, "converts": []})

    def _resolve(self, repo_type: RepoType, repo_id: str, rev: str, file: str, head: bool) -> None:
        repo, meta = self._repo(repo_id, repo_type, files=True)
        sha = self._sha(repo, rev)
        entry = self.server.store.tree(repo, sha).get(file)
        if entry is None:
            raise DevhubHTTPError(404, "EntryNotFound", f"{file} does not exist at {rev}")
        data = (
            b""
            if head and not self.headers.get("Range")
            else self.server.store.blob(repo, entry.oid)
        )
        status, start, end = 200, 0, entry.size
        if (rng := self.headers.get("Range")) and (m := _RANGE.match(rng.strip())):
            first, last = m.group(1), m.group(2)
            if first:
                start, end = int(first), min(entry.size, int(last) + 1 if last else entry.size)
            elif last:
                start, end = max(0, entry.size - int(last)), entry.size
            if start >= entry.size and entry.size:
                raise DevhubHTTPError(416, None, "range not satisfiable")
            status = 206
        headers = {
            "X-Repo-Commit": sha,
            "ETag": f'"{entry.oid}"',
            "Accept-Ranges": "bytes",
            "Content-Type": "application/octet-stream",
            "Last-Modified": formatdate(usegmt=True),
        }
        if status == 206:
            headers["Content-Range"] = f"bytes {start}-{max(start, end - 1)}/{entry.size}"
        body = data[start:end] if not head else b""
        drip = float(meta.get("test_drip_seconds") or 0)
        self._send(status, headers, body, length=end - start, drip=drip)

    # -- responses --------------------------------------------------------------------------

    def _json(self, value: Any) -> None:
        body = json.dumps(value).encode()
        self._send(200, {"Content-Type": "application/json"}, body, length=len(body))

    def _error(self, exc: DevhubHTTPError, head: bool) -> None:
        body = json.dumps({"error": exc.message}).encode()
        headers = {"Content-Type": "application/json", "X-Error-Message": exc.message}
        if exc.code:
            headers["X-Error-Code"] = exc.code
        self._send(exc.status, headers, b"" if head else body, length=len(body))

    def _send(
        self, status: int, headers: dict[str, str], body: bytes, *, length: int, drip: float = 0
    ) -> None:
        self.send_response(status)
        # As the Hub does: any page may read its public answers (the Submit page asks for a
        # revision's commit), error codes included.
        headers = {**_CORS, **headers}
        for key, value in headers.items():
            clean = value.replace("\r", " ").replace("\n", " ")
            self.send_header(key, clean.encode("latin-1", "replace").decode("latin-1"))
        self.send_header("Content-Length", str(length))
        self.end_headers()
        if not body or self.command == "HEAD":
            return
        if not drip:
            self.wfile.write(body)
            return
        # The test mode ``test_drip_seconds``: one byte, then a pause, until the server stops.
        self.close_connection = True
        for i in range(len(body)):
            if self.server.stopping.wait(drip if i else 0):
                return
            self.wfile.write(body[i : i + 1])
            self.wfile.flush()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, root: Path, port: int, host: str = "127.0.0.1"):
        super().__init__((host, port), _Handler)
        self.store = _Store(root)
        self.url = f"http://{host}:{self.server_address[1]}"
        #: Tokens from the Trusted Publishers exchange, each with the one repo it may write.
        self.oidc_tokens: dict[str, str] = {}
        #: Set when the server stops: a dripping answer (a test mode) ends there.
        self.stopping = threading.Event()


@contextlib.contextmanager
def serve(root: Path | str, port: int = 0, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve ``root`` in a background thread; yield its URL (for ``HF_ENDPOINT``)."""
    server = _Server(Path(root).resolve(), port, host)
    thread = threading.Thread(target=server.serve_forever, name="devhub", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        # Pooled keep-alive connections would otherwise keep reaching the old server.
        if "huggingface_hub" in sys.modules:
            sys.modules["huggingface_hub"].close_session()


def serve_forever(root: Path | str, port: int, host: str = "127.0.0.1") -> None:
    """Serve in the foreground until interrupted (the CLI)."""
    server = _Server(Path(root).resolve(), port, host)
    print(
        f"devhub serving {Path(root).resolve()} at http://{host}:{server.server_address[1]}",
        flush=True,
    )
    print(f"  export HF_ENDPOINT=http://{host}:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
