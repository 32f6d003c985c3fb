"""Helpers behind the shared fixtures, for every test folder (``from tests.lbtest import git``)."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from leaderboard.core.ids import request_path
from leaderboard.core.models import Request, iso_z, utcnow
from leaderboard.devtools.gitenv import git_env
from leaderboard.store.repo import Repo

GIT_ENV = git_env("test")
#: The settings of a leaderboard on the demo suite, whose maintainer is alice.
SETTINGS = "schema_version: 1\nsuite: demo\nmaintainers: [alice]\n"


@dataclass
class DevHub:
    """A devhub serving ``root`` at ``url``; publish and set metadata while it runs."""

    root: Path
    url: str
    cache: Path

    def publish(self, repo_id: str, files: Path | dict[str, bytes], **kwargs) -> str:
        from leaderboard.devtools.devhub import publish

        return publish(self.root, repo_id, files, **kwargs)

    def set_meta(self, repo_id: str, **fields) -> None:
        from leaderboard.devtools.devhub import set_meta

        set_meta(self.root, repo_id, **fields)

    def env(self) -> dict[str, str]:
        """Environment for a subprocess that should use this Hub."""
        env = {k: v for k, v in os.environ.items() if k != "HF_TOKEN"}
        env.update(
            HF_ENDPOINT=self.url,
            HF_HUB_CACHE=str(self.cache),
            HF_HOME=str(self.cache.parent / "hf-home"),
            HF_HUB_DISABLE_TELEMETRY="1",
        )
        return env


def start_devhub(root: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[DevHub]:
    """Serve ``root`` and point huggingface_hub (in process and in subprocesses) at it."""
    import huggingface_hub.constants as constants
    import huggingface_hub.hf_api

    from leaderboard.devtools.devhub import serve

    root.mkdir(parents=True, exist_ok=True)
    with serve(root) as url:
        hub = DevHub(root, url, cache)
        monkeypatch.setattr(constants, "ENDPOINT", url)
        monkeypatch.setattr(
            constants,
            "HUGGINGFACE_CO_URL_TEMPLATE",
            url + "/{repo_id}/resolve/{revision}/{filename}",
        )
        monkeypatch.setattr(constants, "HF_HUB_CACHE", str(cache))
        # Module-level helpers (list_repo_files, get_safetensors_metadata...) are bound to an
        # HfApi built at import, which keeps the endpoint of that moment.
        monkeypatch.setattr(huggingface_hub.hf_api.api, "endpoint", url)
        # transformers keeps one shared HfApi too, built on first use: build it again.
        if "transformers.utils.hub" in sys.modules:
            monkeypatch.setattr(sys.modules["transformers.utils.hub"], "_hf_api", None)
        for key, value in hub.env().items():
            monkeypatch.setenv(key, value)
        yield hub


class _QuietFiles(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def static_files(folder: Path) -> Callable[..., http.server.BaseHTTPRequestHandler]:
    """A request handler that serves ``folder``'s files, without a log line for each."""
    return functools.partial(_QuietFiles, directory=str(folder))


@contextlib.contextmanager
def serving(handler: Callable[..., http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """``handler`` on a free port of 127.0.0.1, each request in a thread of its own; yields the
    address, ``http://127.0.0.1:PORT``."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def git(
    cwd: Path, *args: str, env: dict[str, str] | None = None, input: bytes | None = None
) -> str:
    """git's standard output, stripped, as the test identity; a failure fails the test."""
    env = {**os.environ, **GIT_ENV, **(env or {})}
    out = subprocess.run(["git", *args], cwd=cwd, capture_output=True, input=input, env=env)
    if out.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {out.stderr.decode(errors='replace')}")
    return out.stdout.decode(errors="replace").strip()


@dataclass
class GitCheckout:
    """A clone of a bare ``origin`` whose ``main`` holds the leaderboard's data."""

    path: Path
    origin: Path

    def git(self, *args: str) -> str:
        return git(self.path, *args)

    def write(self, rel: str, text: str | bytes) -> Path:
        file = self.path / rel
        file.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            file.write_bytes(text)
        else:
            file.write_text(text, encoding="utf-8")
        return file

    def commit(self, message: str = "change", when: str | None = None) -> str:
        """Commit everything; ``when`` (ISO 8601) dates the commit, as git's own clock would."""
        dates = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when} if when else None
        self.git("add", "-A")
        git(self.path, "commit", "-q", "--allow-empty", "-m", message, env=dates)
        return self.git("rev-parse", "HEAD")


@dataclass
class Queue:
    """A bare remote whose ``main`` holds the leaderboard's data, and runner clones of it."""

    remote: Path
    tmp: Path

    @classmethod
    def create(cls, tmp: Path, requests: list[Request], settings: str = SETTINGS) -> Queue:
        seed = tmp / "seed"
        seed.mkdir(parents=True)
        git(seed, "init", "-q", "-b", "main")
        (seed / ".gitignore").write_text(".details/\n")
        (seed / "curation").mkdir()
        (seed / "curation" / "settings.yaml").write_text(settings)
        for request in requests:
            Repo(seed).write_request(request_path(request.identity), request, create=True)
        git(seed, "add", "-A")
        git(seed, "commit", "-q", "-m", "seed the queue")
        remote = tmp / "remote.git"
        git(tmp, "clone", "-q", "--bare", str(seed), str(remote))
        return cls(remote, tmp)

    def clone(self, name: str) -> Path:
        path = self.tmp / name
        git(self.tmp, "clone", "-q", str(self.remote), str(path))
        return path

    def show(self, rel: str) -> str:
        """A file as the remote's main branch has it now."""
        return git(self.remote, "show", f"main:{rel}")

    def request(self, rel: str) -> Request:
        """A request as the remote's main branch has it now."""
        return Request.model_validate(yaml.safe_load(self.show(rel)))

    def files(self, prefix: str) -> list[str]:
        out = git(self.remote, "ls-tree", "-r", "--name-only", "main", prefix)
        return [line for line in out.splitlines() if line]

    def subjects(self) -> list[str]:
        return git(self.remote, "log", "--format=%s", "main").splitlines()


#: How `leaderboard validate` is run in the tests of its rules: on the pull request's checkout
#: (what a submitter runs), and as validate.yml runs it (the base checked out, the pull
#: request's commit read from git's objects).
VALIDATE_MODES = ("checkout", "head")


def ci_checkout(origin: Path, work: Path, dest: Path) -> tuple[Path, str]:
    """The base as validate.yml checks it out, with the pull request's commit fetched as data.

    ``work``'s HEAD is the pull request: it is pushed to ``origin`` as GitHub keeps a pull
    request's head (``refs/pull/1/head``). ``dest`` becomes a blob-less, sparse clone of
    ``origin``'s main (no results/ or index/ in the working tree, no file contents it does not
    check out), and the head is fetched into it by sha, as the workflow's steps do. Returns the
    clone and the head's sha.
    """
    import shutil

    git(origin, "config", "uploadpack.allowFilter", "true")
    git(origin, "config", "uploadpack.allowAnySHA1InWant", "true")
    head = git(work, "rev-parse", "HEAD")
    git(work, "push", "-q", "-f", str(origin), "HEAD:refs/pull/1/head")
    if dest.exists():
        shutil.rmtree(dest)
    git(
        work.parent,
        "clone",
        "-q",
        "--filter=blob:none",
        "--no-checkout",
        "-b",
        "main",
        f"file://{origin}",
        str(dest),
    )
    git(dest, "sparse-checkout", "set", "--no-cone", "/*", "!/results/", "!/index/")
    git(dest, "checkout", "-q", "main")
    git(dest, "fetch", "-q", "--no-tags", "origin", head)
    return dest, head


def make_request(model: str, sha: str, *, age_minutes: int = 1, **fields) -> Request:
    """A request by alice, submitted ``age_minutes`` ago (float16, pretrained unless given)."""
    return Request(
        model=model,
        revision=sha,
        precision=fields.pop("precision", "float16"),
        model_type=fields.pop("model_type", "pretrained"),
        submitter="alice",
        submitted_at=datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=age_minutes),
        **fields,
    )


def request_fields(**fields: Any) -> dict[str, Any]:
    """A valid request file's fields, as YAML holds them: alice's PENDING request for
    ``acme/tiny-llama``, submitted a day ago, with ``fields`` added or replaced."""
    return {
        "schema_version": 1,
        "model": "acme/tiny-llama",
        "revision": "0123456789abcdef0123456789abcdef01234567",
        "precision": "bfloat16",
        "weight_type": "Original",
        "model_type": "pretrained",
        "use_chat_template": False,
        "submitter": "alice",
        "submitted_at": iso_days_ago(1),
        "status": "PENDING",
        **fields,
    }


def days_ago(days: float) -> datetime:
    """A time ``days`` before now, by the clock the code under test reads too: a fixed day
    would turn into "in the future" or "too old" as the calendar moves."""
    return utcnow() - timedelta(days=days)


def iso_days_ago(days: float) -> str:
    """:func:`days_ago` as request and curation files store it."""
    return iso_z(days_ago(days))


#: Where `npm ci` installs the node tools the tests run (scripts/dev.sh test does it).
NODE_DIR = Path(__file__).resolve().parents[1] / "scripts" / "node"


def node_tool(package: str, what: str) -> str:
    """The ``node`` executable, once ``package`` is installed in scripts/node. Without them the
    test skips on a developer's machine and fails in CI: a green run never hides a check that
    did not run."""
    node = shutil.which("node")
    if node is None or not (NODE_DIR / "node_modules" / package).is_dir():
        message = f"{what} needs node and `npm ci` in scripts/node (bash scripts/dev.sh test)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return node


#: The STAND-IN ``gh`` (tests/workflows/standins/bin): GitHub's CLI, answering from a folder.
GH_STANDIN = Path(__file__).parent / "workflows" / "standins" / "bin"


def gh_standin(state: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The stand-in ``gh`` on PATH with ``state`` as its GitHub, and a token, as in a workflow
    step; returns ``state``."""
    state.mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("PATH", f"{GH_STANDIN}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("STANDIN_STATE", str(state))
    monkeypatch.setenv("GH_TOKEN", "t")
    return state
