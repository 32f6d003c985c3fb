"""The devhub's HTTP side: the Hub's routes that ``huggingface_hub`` and ``transformers`` call
(reads here, writes in ``writes.py``), and :func:`serve` in a thread or in the
foreground."""

from __future__ import annotations

import contextlib
import json
import re
import sys
import threading
from collections.abc import Iterator
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from ...core.env import devhub_log
from ...core.errors import DevhubHTTPError
from . import writes
from .repos import RepoType, git, read_meta
from .snapshots import RepoReader, dataset_info, model_info

# Each route's first group is the repo type as the Hub spells it in URLs ("models"/"datasets").
_API_INFO = re.compile(r"^/api/(models|datasets)/([^/]+/[^/]+)(?:/revision/(.+))?$")
_API_TREE = re.compile(r"^/api/(models|datasets)/([^/]+/[^/]+)/tree/([^/]+)(?:/(.*))?$")
_API_REFS = re.compile(r"^/api/(models|datasets)/([^/]+/[^/]+)/refs$")
_API_PATHS_INFO = re.compile(r"^/api/(models|datasets)/([^/]+/[^/]+)/paths-info/([^/]+)$")
# Writes (writes.py): the revision may be a quoted "refs/pr/1".
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
                self._json(writes.preupload(self, kind, repo_id, m.group(3), body))
            elif m := _API_COMMIT.match(path):
                kind, repo_id = _URL_TYPES[m.group(1)], m.group(2)
                self._json(writes.commit(self, kind, repo_id, m.group(3), body, create_pr))
            elif path == "/api/repos/create":
                status, answer = writes.create_repo(self, body)
                data = json.dumps(answer).encode()
                self._send(status, {"Content-Type": "application/json"}, data, length=len(data))
            elif path == "/oauth/token":
                self._json(writes.exchange(self, body, self.server.oidc_tokens))
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
        out = git(
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
        self.store = RepoReader(root)
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
