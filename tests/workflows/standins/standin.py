"""STAND-INS for GitHub's own actions, run by their ``action.yml`` under act (test code only).

Each function copies what the pinned version of its action does, as far as this project's
workflows rely on it; ``tests/workflows/test_standins.py`` pins each behaviour and cites the
version. State lives under ``$STANDIN_STATE``; the remote is ``$STANDIN_REMOTE``.
"""

from __future__ import annotations

import base64
import fnmatch
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def _output(**values: str) -> None:
    with open(os.environ["GITHUB_OUTPUT"], "a", encoding="utf-8") as fh:
        for key, value in values.items():
            fh.write(f"{key}={value}\n")


def _git(cwd: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.exit(f"::error::checkout stand-in: git {' '.join(args)}: {proc.stderr.strip()}")
    return proc.stdout.strip()


def _truthy(value: str) -> bool:
    return value.strip().lower() == "true"


def _workspace_path(rel: str) -> Path:
    workspace = Path(os.environ["GITHUB_WORKSPACE"])
    return (workspace / rel).resolve() if rel else workspace


# -- actions/checkout v7.0.1 ------------------------------------------------------------------


#: The local remote's upload-pack, told to serve filters as GitHub does (and the blobs a partial
#: clone asks for later); git clears ``-c`` settings for a local remote's side.
_UPLOAD_PACK = (
    "git -c uploadpack.allowFilter=true -c uploadpack.allowAnySHA1InWant=true upload-pack"
)


def checkout() -> None:
    """Clone the repository into ``path`` at ``ref`` (default: the event's commit).

    - ``fetch-depth``: 1 fetches only the commit; 0 fetches all branches and tags.
    - ``ref``: a branch is checked out as a local branch of that name (so a job can push it);
      a sha or any other ref, detached.
    - ``persist-credentials``: since v6 the token goes to a file under ``$RUNNER_TEMP`` that
      the repository's config includes, not into ``.git/config`` itself; false writes none.
    - ``clean``: the destination is emptied first (a fresh job directory).
    - ``filter``: a partial clone with that filter (``blob:none``: history without contents,
      each blob fetched when git first needs it). ``sparse-checkout``: only paths that match
      its patterns (one a line) are checked out, and without ``filter`` the fetch is
      ``blob:none`` (src/git-source-provider.ts). ``sparse-checkout-cone-mode`` (default true)
      runs ``git sparse-checkout set`` on the patterns; false writes them as gitignore-style
      patterns to ``.git/info/sparse-checkout`` with ``core.sparseCheckout`` on.
    """
    dest = _workspace_path(_env("INPUT_PATH"))
    if dest.exists():
        for child in dest.iterdir():
            shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
    dest.mkdir(parents=True, exist_ok=True)
    remote = os.environ["STANDIN_REMOTE"]
    ref = _env("INPUT_REF") or os.environ["GITHUB_SHA"]
    depth = int(_env("INPUT_FETCH_DEPTH", "1") or "1")
    sparse = [p.strip() for p in _env("INPUT_SPARSE_CHECKOUT").splitlines() if p.strip()]
    filter_ = _env("INPUT_FILTER") or ("blob:none" if sparse else "")
    _git(dest, "init", "-q")
    _git(dest, "remote", "add", "origin", remote)
    if filter_:
        # GitHub serves filtered fetches; a local bare remote does only when told to.
        _git(dest, "config", "remote.origin.promisor", "true")
        _git(dest, "config", "remote.origin.partialclonefilter", filter_)
        _git(dest, "config", "remote.origin.uploadpack", _UPLOAD_PACK)
    filtered = (f"--filter={filter_}",) if filter_ else ()
    if sparse and _truthy(_env("INPUT_SPARSE_CHECKOUT_CONE_MODE", "true")):
        _git(dest, "sparse-checkout", "set", "--cone", *sparse)
    elif sparse:
        _git(dest, "config", "core.sparseCheckout", "true")
        (dest / ".git" / "info").mkdir(parents=True, exist_ok=True)
        (dest / ".git" / "info" / "sparse-checkout").write_text("\n".join(sparse) + "\n")
    branches = {
        line.split("refs/heads/", 1)[1]
        for line in _git(dest, "ls-remote", "--heads", "origin").splitlines()
        if "refs/heads/" in line
    }
    branch = (
        ref.removeprefix("refs/heads/") if ref.removeprefix("refs/heads/") in branches else None
    )
    if depth == 0:
        _git(
            dest,
            "fetch",
            "-q",
            *filtered,
            "--prune",
            "--tags",
            "origin",
            "+refs/heads/*:refs/remotes/origin/*",
        )
        if branch is None:
            _git(dest, "fetch", "-q", *filtered, "origin", ref)
    else:
        _git(
            dest,
            "fetch",
            "-q",
            *filtered,
            "--no-tags",
            f"--depth={depth}",
            "origin",
            branch or ref,
        )
    if branch is not None:
        start = f"refs/remotes/origin/{branch}" if depth == 0 else "FETCH_HEAD"
        _git(dest, "checkout", "-q", "--force", "-B", branch, start)
    else:
        _git(dest, "checkout", "-q", "--force", "--detach", "FETCH_HEAD" if depth else ref)
    if _truthy(_env("INPUT_PERSIST_CREDENTIALS", "true")):
        creds = Path(os.environ["RUNNER_TEMP"]) / f"git-credentials-{uuid.uuid4()}.config"
        creds.parent.mkdir(parents=True, exist_ok=True)
        creds.write_text('[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic ***\n')
        _git(dest, "config", "--local", f"includeIf.gitdir:{dest}/.git.path", str(creds))
    _output(ref=branch or ref, commit=_git(dest, "rev-parse", "HEAD"))


# -- actions/setup-python v7.0.0 --------------------------------------------------------------


def setup_python() -> None:
    """Put a Python of the requested version first on PATH (``python``, ``pip``).

    The stand-in has one Python, the test's; any other version fails, as setup-python fails for
    a version it cannot find. Packages come from the rehearsal's offline environment.
    """
    want = _env("INPUT_PYTHON_VERSION")
    have = f"{sys.version_info.major}.{sys.version_info.minor}"
    if want and want != have:
        sys.exit(f"::error::setup-python stand-in: only Python {have} here, not {want}")
    venv = Path(os.environ["RUNNER_TEMP"]) / f"setup-python-{uuid.uuid4().hex[:8]}"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    # pip itself comes from the offline packages (PYTHONPATH); `python -m pip` and `pip` work.
    (venv / "bin" / "pip").write_text('#!/bin/sh\nexec "$(dirname "$0")/python" -m pip "$@"\n')
    (venv / "bin" / "pip").chmod(0o755)
    with open(os.environ["GITHUB_PATH"], "a", encoding="utf-8") as fh:
        fh.write(f"{venv / 'bin'}\n")
    _output(**{"python-version": have, "python-path": str(venv / "bin" / "python")})


# -- actions/upload-artifact v7.0.0 / download-artifact v8.0.1 ----------------------------------


def _store() -> Path:
    run = _env("STANDIN_RUN") or _env("GITHUB_RUN_ID", "0")
    return Path(os.environ["STANDIN_STATE"]) / "artifacts" / run


def _faults() -> dict[str, list[str]]:
    """Faults a scenario injects (``$STANDIN_STATE/faults.json``): never part of an action."""
    file = Path(os.environ["STANDIN_STATE"]) / "faults.json"
    return json.loads(file.read_text()) if file.exists() else {}


def _files(root: Path, hidden: bool) -> list[Path]:
    if root.is_file():
        return [root]
    if not root.is_dir():
        return []
    out = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if not hidden and any(part.startswith(".") for part in rel.parts):
            continue  # include-hidden-files: false (the default since v4.4.0)
        if path.is_file():
            out.append(path)
    return out


def upload_artifact() -> None:
    """Upload ``path`` as artifact ``name``.

    - ``if-no-files-found``: warn (the default) warns and uploads nothing, error fails the
      step, ignore says nothing;
    - a second artifact of the same name in one run fails, unless ``overwrite: true``;
    - hidden files are left out unless ``include-hidden-files: true``;
    - a directory's contents are stored relative to it (the folder itself is not kept).
    """
    name = _env("INPUT_NAME", "artifact") or "artifact"
    if any(fnmatch.fnmatchcase(name, p) for p in _faults().get("upload-artifact", [])):
        # A scenario's injected fault: the runner died before its upload reached GitHub.
        sys.exit(f"::error::upload-artifact stand-in: injected fault for {name}")
    root = _workspace_path(_env("INPUT_PATH"))
    files = _files(root, _truthy(_env("INPUT_INCLUDE_HIDDEN_FILES")))
    if not files:
        mode = _env("INPUT_IF_NO_FILES_FOUND", "warn")
        message = (
            f"No files were found with the provided path: {_env('INPUT_PATH')}. "
            "No artifacts will be uploaded."
        )
        if mode == "error":
            sys.exit(f"::error::{message}")
        if mode == "warn":
            print(f"::warning::{message}")
        return
    target = _store() / name
    if target.exists():
        if not _truthy(_env("INPUT_OVERWRITE")):
            sys.exit(
                f"::error::Failed to CreateArtifact: an artifact with this name already exists "
                f"on the workflow run: {name}"
            )
        shutil.rmtree(target)
    base = root if root.is_dir() else root.parent
    for file in files:
        dest = target / file.relative_to(base)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(file, dest)
    _output(**{"artifact-id": str(artifact_id(name)), "artifact-digest": artifact_digest(target)})


def artifact_id(name: str) -> int:
    """A stable id per artifact name (GitHub's are numbers)."""
    return int(hashlib.sha256(name.encode()).hexdigest()[:8], 16)


def artifact_digest(folder: Path) -> str:
    """The artifact's SHA-256 (``artifact-digest`` since v4; GitHub's is the zip's, the stand-in
    hashes the stored files, sorted, with their paths: the same bytes give the same digest)."""
    digest = hashlib.sha256()
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(file.relative_to(folder).as_posix().encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def download_artifact() -> None:
    """Download artifacts into ``path`` (default: the workspace).

    - ``name``: that artifact, into ``path`` itself; a missing one fails the step;
    - ``pattern`` (or nothing: all): each into ``path/<name>/``, except that since v5 a
      download of exactly one artifact goes into ``path`` itself; with ``merge-multiple: true``
      all go into ``path`` together. A pattern that matches nothing downloads nothing.
    """
    store = _store()
    present = sorted(p.name for p in store.iterdir()) if store.is_dir() else []
    dest = _workspace_path(_env("INPUT_PATH"))
    name = _env("INPUT_NAME")
    if name:
        if name not in present:
            sys.exit(
                f"::error::Unable to download artifact(s): Artifact not found for name: {name}"
            )
        chosen = [name]
    else:
        pattern = _env("INPUT_PATTERN")
        chosen = [n for n in present if not pattern or fnmatch.fnmatchcase(n, pattern)]
    flat = len(chosen) == 1 or _truthy(_env("INPUT_MERGE_MULTIPLE"))
    for artifact in chosen:
        shutil.copytree(store / artifact, dest if flat else dest / artifact, dirs_exist_ok=True)
    print(f"downloaded {len(chosen)} artifact(s): {', '.join(chosen) or '-'}")
    dest.mkdir(parents=True, exist_ok=True)
    _output(**{"download-path": str(dest)})


# -- actions/upload-pages-artifact v5.0.0 / deploy-pages v5.0.0 ----------------------------------


def upload_pages_artifact() -> None:
    """Tar ``path`` (links followed, ``.git`` and ``.github`` left out) into ``artifact.tar``,
    uploaded as the ``github-pages`` artifact (upload-artifact with retention 1 day)."""
    root = _workspace_path(_env("INPUT_PATH", "_site/"))
    if not root.is_dir():
        sys.exit(f"::error::upload-pages-artifact stand-in: {root} is not a folder")
    target = _store() / (_env("INPUT_NAME") or "github-pages")
    if target.exists():
        sys.exit("::error::an artifact named github-pages already exists on the workflow run")
    target.mkdir(parents=True)

    def skip(info: tarfile.TarInfo) -> tarfile.TarInfo | None:
        parts = Path(info.name).parts
        return None if any(p in (".git", ".github") for p in parts) else info

    with tarfile.open(target / "artifact.tar", "w", dereference=True) as tar:
        tar.add(root, arcname=".", filter=skip)
    _output(**{"artifact-id": "1"})


def deploy_pages() -> None:
    """Deploy this run's ``github-pages`` artifact; fails when the run uploaded none."""
    name = _env("INPUT_ARTIFACT_NAME") or "github-pages"
    tar = _store() / name / "artifact.tar"
    if not tar.is_file():
        sys.exit(f"::error::No uploaded artifact was found! (artifact {name!r} of this run)")
    url = _env("STANDIN_PAGES_URL", "https://owner.github.io/leaderboard/")
    with open(Path(os.environ["STANDIN_STATE"]) / "deployments.jsonl", "a") as fh:
        fh.write(json.dumps({"artifact": str(tar), "page_url": url}) + "\n")
    _output(page_url=url)


# -- actions/attest v4.2.2 ----------------------------------------------------------------------

#: The statement type of every attestation actions/attest makes (@actions/attest).
STATEMENT_TYPE = "https://in-toto.io/Statement/v1"


def _subjects_from_checksums(value: str) -> list[dict]:
    """``subject-checksums``: a file path, or the checksums themselves when no such file exists
    (src/subject.ts). Each line is ``<hex digest> [ *]<name>``; a 64-digit digest is sha256, a
    128-digit one sha512; a line without a space is skipped; the same name and digest twice count
    once; a bad digest fails."""
    path = _workspace_path(value)
    text = path.read_text(encoding="utf-8") if path.is_file() else value
    subjects: list[dict] = []
    for record in [line for line in text.replace("\r\n", "\n").split("\n") if line]:
        if " " not in record:
            continue
        digest, rest = record.split(" ", 1)
        name = rest[1:] if rest.startswith(("*", " ")) else rest
        if not digest or any(c not in "0123456789abcdefABCDEF" for c in digest):
            sys.exit(f"::error::Invalid digest: {digest}")
        alg = {64: "sha256", 128: "sha512"}.get(len(digest))
        if alg is None:
            sys.exit(f"::error::Unknown digest algorithm: {digest}")
        subject = {"name": name, "digest": {alg: digest}}
        if subject not in subjects:
            subjects.append(subject)
    return subjects


def _subjects_from_paths(value: str) -> list[dict]:
    """``subject-path``: comma- or newline-separated paths (globs), each file named by its base
    name and hashed with sha256."""
    subjects: list[dict] = []
    patterns = [p.strip() for line in value.splitlines() for p in line.split(",") if p.strip()]
    for pattern in patterns:
        for file in sorted(Path(os.environ["GITHUB_WORKSPACE"]).glob(pattern)):
            if file.is_file():
                digest = hashlib.sha256(file.read_bytes()).hexdigest()
                subject = {"name": file.name, "digest": {"sha256": digest}}
                if subject not in subjects:
                    subjects.append(subject)
    if not subjects:
        sys.exit(f"::error::Could not find subject at path {value}")
    return subjects


def attest() -> None:
    """Record the in-toto statement actions/attest would have signed, and answer as it does.

    - exactly one of ``subject-path``, ``subject-digest`` (with ``subject-name``) and
      ``subject-checksums``; at most 1024 subjects;
    - custom mode: ``predicate-type`` with exactly one of ``predicate`` and ``predicate-path``
      (JSON); without them the action would make SLSA provenance, which nothing here uses;
    - outputs ``bundle-path`` (``$RUNNER_TEMP/<random>/attestation.json``, the bundle as one
      JSON line), ``attestation-id`` and ``attestation-url``
      (``$GITHUB_SERVER_URL/<owner>/<repo>/attestations/<id>``); the bundle's path is appended
      to ``$RUNNER_TEMP/created_attestation_paths.txt``.

    Nothing is signed: the "bundle" is the statement in a DSSE envelope with a signature field
    that says STAND-IN, and ``$STANDIN_STATE/attestations.jsonl`` gets the statement with the
    identity GitHub's OIDC token would have put in the signing certificate, for the ``gh``
    stand-in's ``attestation verify``. act issues no OIDC token, so the ``id-token: write``
    permission is not checked here: tests/hardening/test_workflow_shape.py pins it.
    """
    given = [
        k for k in ("SUBJECT_PATH", "SUBJECT_DIGEST", "SUBJECT_CHECKSUMS") if _env(f"INPUT_{k}")
    ]
    if len(given) != 1:
        sys.exit(
            f"::error::{'One' if not given else 'Only one'} of subject-path, subject-digest, or "
            f"subject-checksums {'must' if not given else 'may'} be provided"
        )
    if given == ["SUBJECT_CHECKSUMS"]:
        subjects = _subjects_from_checksums(_env("INPUT_SUBJECT_CHECKSUMS"))
    elif given == ["SUBJECT_PATH"]:
        subjects = _subjects_from_paths(_env("INPUT_SUBJECT_PATH"))
    else:
        if not _env("INPUT_SUBJECT_NAME"):
            sys.exit("::error::subject-name must be provided when using subject-digest")
        alg, _, digest = _env("INPUT_SUBJECT_DIGEST").partition(":")
        subjects = [{"name": _env("INPUT_SUBJECT_NAME"), "digest": {alg: digest}}]
    if len(subjects) > 1024:
        sys.exit(
            "::error::Too many subjects specified (>1024). The maximum number of subjects is 1024."
        )
    predicate_type = _env("INPUT_PREDICATE_TYPE")
    inline, path = _env("INPUT_PREDICATE"), _env("INPUT_PREDICATE_PATH")
    if (inline or path) and not predicate_type:
        sys.exit("::error::predicate-type is required when using predicate or predicate-path")
    if not predicate_type:
        sys.exit("::error::attest stand-in: only custom predicates are copied (predicate-type)")
    if bool(inline) == bool(path):
        sys.exit(
            "::error::One of predicate-path or predicate must be provided"
            if not inline
            else "::error::Only one of predicate-path or predicate may be provided"
        )
    if path and not _workspace_path(path).is_file():
        sys.exit(f"::error::predicate file not found: {path}")
    predicate = json.loads(_workspace_path(path).read_text(encoding="utf-8") if path else inline)
    statement = {
        "_type": STATEMENT_TYPE,
        "subject": subjects,
        "predicateType": predicate_type,
        "predicate": predicate,
    }
    repository = os.environ["GITHUB_REPOSITORY"]
    server = _env("GITHUB_SERVER_URL", "https://github.com")
    workflow = _env("STANDIN_WORKFLOW_FILE", "unknown.yml")
    workflow_ref = _env("GITHUB_WORKFLOW_REF") or (
        f"{repository}/.github/workflows/{workflow}@{_env('GITHUB_REF')}"
    )
    run = f"{_env('GITHUB_RUN_ID')}/attempts/{_env('GITHUB_RUN_ATTEMPT', '1')}"
    certificate = {
        # What Fulcio writes into the certificate from the job's OIDC token (sigstore-go's
        # certificate.Summary): the signer is the workflow file at a ref, in a run.
        "certificateIssuer": "CN=sigstore-intermediate,O=sigstore.dev",
        "subjectAlternativeName": f"{server}/{workflow_ref}",
        "issuer": "https://token.actions.githubusercontent.com",
        "buildSignerURI": f"{server}/{workflow_ref}",
        "runnerEnvironment": _env("STANDIN_RUNNER_ENVIRONMENT", "github-hosted"),
        "sourceRepositoryURI": f"{server}/{repository}",
        "sourceRepositoryDigest": _env("GITHUB_SHA"),
        "sourceRepositoryRef": _env("GITHUB_REF"),
        "runInvocationURI": f"{server}/{repository}/actions/runs/{run}",
    }
    state = Path(os.environ["STANDIN_STATE"])
    known = (
        (state / "attestations.jsonl").read_text().splitlines()
        if (state / "attestations.jsonl").exists()
        else []
    )
    attestation_id = str(1000 + len(known))
    payload = base64.b64encode(json.dumps(statement).encode()).decode()
    bundle = {
        "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
        "dsseEnvelope": {
            "payload": payload,
            "payloadType": "application/vnd.in-toto+json",
            "signatures": [{"sig": "STAND-IN: not signed"}],
        },
    }
    folder = Path(os.environ["RUNNER_TEMP"]) / uuid.uuid4().hex[:8]
    folder.mkdir(parents=True)
    bundle_path = folder / "attestation.json"
    with open(bundle_path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(bundle) + "\n")
    with open(Path(os.environ["RUNNER_TEMP"]) / "created_attestation_paths.txt", "a") as fh:
        fh.write(f"{bundle_path}\n")
    record = {
        "id": attestation_id,
        "statement": statement,
        "certificate": certificate,
        "bundle": bundle,
    }
    with open(state / "attestations.jsonl", "a", encoding="utf-8") as fh:
        fh.write(json.dumps(record) + "\n")
    if len(subjects) == 1:
        print(f"Attestation created for {subjects[0]['name']}")
    else:
        print(f"Attestation created for {len(subjects)} subjects")
    _output(
        **{
            "bundle-path": str(bundle_path),
            "attestation-id": attestation_id,
            "attestation-url": f"{server}/{repository}/attestations/{attestation_id}",
        }
    )


COMMANDS = {
    "attest": attest,
    "checkout": checkout,
    "setup-python": setup_python,
    "upload-artifact": upload_artifact,
    "download-artifact": download_artifact,
    "upload-pages-artifact": upload_pages_artifact,
    "deploy-pages": deploy_pages,
}

if __name__ == "__main__":
    COMMANDS[sys.argv[1]]()
