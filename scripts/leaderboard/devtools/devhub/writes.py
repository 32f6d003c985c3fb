"""The devhub's write side: creating repos, committing files, opening pull requests, and the
Trusted Publishers token exchange, as the real ``huggingface_hub`` client asks for them.

What is copied, and from where (``huggingface_hub`` 2.4.0, the version this project pins):

- ``POST /api/repos/create`` (``HfApi.create_repo``): ``{name, organization, type, private}``;
  an existing repo is ``409`` (the client's ``exist_ok`` reads that as success).
- ``POST /api/{models,datasets}/{repo}/preupload/{rev}[?create_pr=1]``
  (``_commit_api._fetch_upload_modes``): ``{"files": [{path, sample, size}]}`` answered with
  each file's ``uploadMode``, ``shouldIgnore`` and the ``oid`` it has now. The devhub says
  ``regular`` for every file (git blobs inlined in the commit): it serves no LFS or Xet
  storage, so a client never uploads through them here.
- ``POST /api/{models,datasets}/{repo}/commit/{rev}[?create_pr=1]`` (``_send_commit``): an
  NDJSON body of ``{"key": "header", "value": {summary, description, parentCommit?}}``, then
  ``file`` (``{path, content, encoding: "base64"}``) and ``deletedFile``/``deletedFolder``
  lines; the answer is ``{commitUrl, commitOid, pullRequestUrl}``. With ``create_pr=1`` the
  commit goes on a new ``refs/pr/<n>`` (the Hub numbers pull requests with its discussions)
  on top of ``rev``, and ``rev`` itself does not move; ``hf_hub_download(revision="refs/pr/1")``
  then reads it, as on the Hub.
- ``POST /oauth/token`` (``_oidc.exchange_oidc_token``, RFC 8693): ``{grant_type:
  urn:ietf:params:oauth:grant-type:token-exchange, subject_token_type:
  urn:ietf:params:oauth:token-type:id_token, subject_token, resource}`` answered with
  ``{access_token, token_type: bearer, expires_in}``. The resource is ``namespace/name`` (a
  model) or ``datasets/namespace/name``; the exchanged token writes that repo and no other.
  Which CI identities may publish is the repo's ``trusted_publishers`` metadata (``[{repository:
  owner/name, workflow: file.yml}]``), matched against the id token's ``repository`` and
  ``workflow_ref`` claims. The devhub reads those claims without checking the token's
  signature (it has no key of GitHub's): it checks the exchange's shape and its scoping, not
  GitHub's cryptography.

Every write is appended to ``ROOT/.devhub-writes.jsonl`` (repo, ref, commit, and whether a
stored or an exchanged token made it), so tests can tell which credential wrote what.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import secrets
import tempfile
from pathlib import Path
from typing import Any

from ...core.errors import DevhubHTTPError
from .repos import RepoType, git, read_meta, repo_dir, set_meta

#: The exchange's constants (RFC 8693), as huggingface_hub._oidc sends them.
GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange"
ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token"
WRITES_LOG = ".devhub-writes.jsonl"
#: Exchanged tokens look like the Hub's short-lived ones.
OIDC_PREFIX = "hf_oidc_"


def _claims(token: str) -> dict[str, Any]:
    """The payload of a JWT, unverified (see the module's docstring)."""
    try:
        payload = token.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError, binascii.Error) as exc:
        raise DevhubHTTPError(400, None, f"subject_token is not a JWT: {exc}") from None


def _resource(resource: str) -> tuple[RepoType, str]:
    """``(repo type, repo id)`` of a token-exchange resource."""
    if resource.startswith("datasets/"):
        return "dataset", resource.removeprefix("datasets/")
    return "model", resource


def exchange(handler: Any, body: bytes, tokens: dict[str, str]) -> dict[str, Any]:
    """Trade a CI id token for a token that writes one repo."""

    try:
        form = json.loads(body)
    except ValueError:
        raise DevhubHTTPError(400, None, "the token exchange wants a JSON body") from None
    if form.get("grant_type") != GRANT_TYPE or form.get("subject_token_type") != ID_TOKEN_TYPE:
        raise DevhubHTTPError(400, None, "unsupported grant_type or subject_token_type")
    resource = str(form.get("resource") or "")
    kind, repo_id = _resource(resource)
    store = handler.server.store
    if store.repo(repo_id, kind) is None:
        raise DevhubHTTPError(404, "RepoNotFound", f"no such repository: {resource}")
    claims = _claims(str(form.get("subject_token") or ""))
    workflow = str(claims.get("workflow_ref") or "").split("@", 1)[0].rsplit("/", 1)[-1]
    publishers = read_meta(store.root, repo_id, kind).get("trusted_publishers") or []
    if not any(
        p.get("repository") == claims.get("repository") and p.get("workflow") == workflow
        for p in publishers
        if isinstance(p, dict)
    ):
        raise DevhubHTTPError(
            403,
            None,
            f"{claims.get('repository')} ({workflow}) is not a trusted publisher of {resource}",
        )
    token = OIDC_PREFIX + secrets.token_hex(16)
    tokens[token] = resource
    return {"access_token": token, "token_type": "bearer", "expires_in": 3600}


def _writer(handler: Any, kind: RepoType, repo_id: str) -> str:
    """Who writes: ``token`` or ``oidc``; an exchanged token only writes its own repo."""
    auth = handler.headers.get("Authorization") or ""
    if not auth.startswith("Bearer "):
        raise DevhubHTTPError(401, None, "writing needs a token")
    token = auth.removeprefix("Bearer ").strip()
    if token.startswith(OIDC_PREFIX):
        resource = handler.server.oidc_tokens.get(token)
        want = repo_id if kind == "model" else f"datasets/{repo_id}"
        if resource != want:
            raise DevhubHTTPError(403, None, f"this token may only write {resource}")
        return "oidc"
    return "token"


def _log(root: Path, **fields: Any) -> None:
    with open(root / WRITES_LOG, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(fields) + "\n")


def create_repo(handler: Any, body: bytes) -> tuple[int, dict[str, Any]]:

    form = json.loads(body or b"{}")
    kind: RepoType = "dataset" if form.get("type") == "dataset" else "model"
    repo_id = f"{form.get('organization') or 'user'}/{form.get('name')}"
    if "/" in str(form.get("name")):
        repo_id = str(form.get("name"))
    _writer(handler, kind, repo_id)
    store = handler.server.store
    url = f"{handler.server.url}/{'datasets/' if kind == 'dataset' else ''}{repo_id}"
    if store.repo(repo_id, kind) is not None:
        return 409, {"error": "You already created this repo", "url": url}
    repo = repo_dir(store.root, repo_id, kind)
    repo.mkdir(parents=True)

    git(repo, "init", "-q", "--bare", "-b", "main")
    if form.get("private"):
        set_meta(store.root, repo_id, kind, private=True)
    return 200, {"url": url, "name": repo_id}


def preupload(handler: Any, kind: RepoType, repo_id: str, rev: str, body: bytes) -> dict[str, Any]:
    repo, _ = handler._repo(repo_id, kind)
    _writer(handler, kind, repo_id)
    store = handler.server.store
    sha = store.resolve(repo, rev)
    tree = store.tree(repo, sha) if sha else {}
    files = json.loads(body).get("files") or []
    return {
        "files": [
            {
                "path": f["path"],
                "uploadMode": "regular",
                "shouldIgnore": False,
                "oid": tree[f["path"]].oid if f["path"] in tree else None,
            }
            for f in files
        ]
    }


def commit(
    handler: Any, kind: RepoType, repo_id: str, rev: str, body: bytes, create_pr: bool
) -> dict[str, Any]:
    """Commit the NDJSON operations on top of ``rev``, or on a new pull request from it."""

    repo, _ = handler._repo(repo_id, kind)
    writer = _writer(handler, kind, repo_id)
    store = handler.server.store
    lines = [json.loads(line) for line in body.splitlines() if line.strip()]
    header = next((x["value"] for x in lines if x.get("key") == "header"), None)
    if not header or not header.get("summary"):
        raise DevhubHTTPError(400, None, "a commit needs a header with a summary")
    parent = store.resolve(repo, rev)
    if parent is None and rev != "main":
        raise DevhubHTTPError(404, "RevisionNotFound", f"Invalid rev id: {rev}")
    if header.get("parentCommit") and parent and header["parentCommit"] != parent and not create_pr:
        raise DevhubHTTPError(
            412, None, "A commit has happened since. Please refresh and try again."
        )
    with tempfile.TemporaryDirectory() as tmp:
        env = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
        if parent:
            git(repo, "read-tree", parent, env=env)
        for item in lines:
            key, value = item.get("key"), item.get("value") or {}
            path = str(value.get("path") or "").strip("/")
            if key == "file":
                data = base64.b64decode(value.get("content") or "")
                blob = git(repo, "hash-object", "-w", "--stdin", input=data).decode().strip()
                info = f"100644 {blob}\t{path}".encode()
                git(repo, "update-index", "--add", "--index-info", input=info, env=env)
            elif key in ("deletedFile", "deletedFolder"):
                git(repo, "rm", "-r", "-q", "--cached", "--ignore-unmatch", "--", path, env=env)
            elif key in ("lfsFile", "copyFile"):
                raise DevhubHTTPError(400, None, f"the devhub stores no LFS files ({key})")
        tree = git(repo, "write-tree", env=env).decode().strip()
    message = header["summary"] + (
        f"\n\n{header['description']}" if header.get("description") else ""
    )
    args = ["commit-tree", tree, "-m", message] + (["-p", parent] if parent else [])
    sha = git(repo, *args).decode().strip()
    prefix = f"{handler.server.url}/{'datasets/' if kind == 'dataset' else ''}{repo_id}"
    pr_url = None
    if create_pr:
        numbers = [
            int(r.rsplit("/", 1)[1])
            for r in git(repo, "for-each-ref", "--format=%(refname)", "refs/pr/").decode().split()
        ]
        number = max(numbers, default=0) + 1
        ref = f"refs/pr/{number}"
        pr_url = f"{prefix}/discussions/{number}"
    else:
        ref = f"refs/heads/{rev}" if not rev.startswith("refs/") else rev
    git(repo, "update-ref", ref, sha)
    token = (handler.headers.get("Authorization") or "").removeprefix("Bearer ").strip()
    _log(
        store.root,
        repo=repo_id,
        type=kind,
        ref=ref,
        commit=sha,
        writer=writer,
        token_sha256=hashlib.sha256(token.encode()).hexdigest()[:16],
    )
    return {"commitUrl": f"{prefix}/commit/{sha}", "commitOid": sha, "pullRequestUrl": pr_url}


def writes(root: Path) -> list[dict[str, Any]]:
    """Every write the devhub at ``root`` accepted, in order."""
    file = Path(root) / WRITES_LOG
    return [json.loads(x) for x in file.read_text().splitlines()] if file.exists() else []
