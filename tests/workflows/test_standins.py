"""Each stand-in does what the pinned version of the real action does, where the workflows
rely on it. The versions and their sources:

- actions/checkout v7.0.1: ``ref``, ``fetch-depth`` (1: that commit only; 0: all history and
  tags), ``persist-credentials`` (since v6.0.0 the token is kept in a file under
  ``$RUNNER_TEMP`` that the repository's config includes: "Persist creds to a separate file",
  actions/checkout#2286).
- actions/upload-artifact v7.0.0: ``if-no-files-found`` (warn by default, error, ignore); one
  name per run unless ``overwrite`` (v4 and later); hidden files left out unless
  ``include-hidden-files`` (v4.4.0).
- actions/download-artifact v8.0.1: one artifact into ``path`` itself, several into
  ``path/<name>/``, all together with ``merge-multiple`` (v5.0.0 made a single download land
  in ``path``; its src/download-artifact.ts); a ``name`` that does not exist fails.
- actions/upload-pages-artifact v5.0.0: a tar of ``path`` without ``.git``/``.github``, as the
  ``github-pages`` artifact; actions/deploy-pages v5.0.0 deploys that artifact of the run and
  fails without one.
- actions/setup-python v7.0.0: the requested version, or a failure.
- the GitHub CLI: ``gh api`` with ``--method``, ``--paginate --slurp``, ``--jq``, ``--input -``;
  ``gh workflow run``; a missing ``GH_TOKEN`` fails (exit 4), as gh does in Actions. A run's
  artifacts list each one's ``digest`` (``sha256:…``; REST "List workflow run artifacts"), as
  upload-artifact v4+ reports it in its ``artifact-digest`` output.
- ``gh api graphql`` (the GitHub CLI's manual, 2.x: ``-f``/``-F`` fields other than ``query``
  are the query's variables, ``-F`` typed, ``-f`` strings; the answer printed as GitHub sends
  it, ``{"data": …}``) with GitHub's GraphQL schema as its reference documents it
  (docs.github.com/en/graphql/reference, 2026): ``Repository.object(oid:)`` as a ``Commit``,
  whose ``associatedPullRequests`` lists every pull request merged as it or whose head it is;
  ``PullRequest.number, merged, mergeCommit {oid}, author {login}``;
  ``Reactable.reactions(content: THUMBS_UP, first: 100, after:)`` a ``ReactionConnection``
  (``totalCount``, ``pageInfo {hasNextPage endCursor}``, ``nodes``), each ``Reaction.user``
  a ``User`` or null (a GitHub App, a deleted account), ``User.createdAt`` an ISO 8601 time.
- actions/attest v4.2.2 (commit 1e69f48acb82d1966a394da916b4c1698aa569d6; action.yml,
  src/subject.ts, src/predicate.ts, src/main.ts): exactly one of ``subject-path``,
  ``subject-digest``/``subject-name`` and ``subject-checksums`` (a file, or the checksums
  inline; ``<hex> [ *]<name>`` lines, sha256 or sha512 by length); ``predicate-type`` with
  exactly one of ``predicate`` and ``predicate-path``; outputs ``bundle-path`` (under
  ``$RUNNER_TEMP``, also listed in ``created_attestation_paths.txt``), ``attestation-id`` and
  ``attestation-url`` (``<server>/<owner>/<repo>/attestations/<id>``). The statement is in-toto
  Statement v1. The stand-in signs nothing; act issues no OIDC token.
- ``gh attestation verify`` (the GitHub CLI's manual for 2.76.2, Jul 2025; pkg/cmd/attestation/
  verify at v2.60.0): ``FILE --repo R`` (or ``--owner``), ``--signer-workflow
  [host/]owner/repo/path`` matched against the certificate's signer, ``--predicate-type``
  (default ``https://slsa.dev/provenance/v1``), ``--deny-self-hosted-runners``, ``--format
  json``: a JSON array with one ``{attestation: {bundle}, verificationResult: {mediaType,
  statement, signature: {certificate}, verifiedTimestamps}}`` per verified attestation
  (sigstore-go's VerificationResult; the statement with ``predicateType`` as protojson writes
  it); progress and failures (``✗ No attestations found for subject sha256:…``) on stderr,
  exit 1 on failure.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
import tarfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from tests.workflows.rehearsal import PINS, ROOT, STANDINS, git

SCRIPT = STANDINS / "standin.py"


@pytest.fixture
def job(tmp_path: Path) -> dict[str, str]:
    """A job's environment: workspace, temp, output files, the stand-ins' state."""
    for name in ("ws", "temp", "state"):
        (tmp_path / name).mkdir()
    output = tmp_path / "output.txt"
    output.write_text("")
    (tmp_path / "path.txt").write_text("")
    return {
        **os.environ,
        "GITHUB_WORKSPACE": str(tmp_path / "ws"),
        "RUNNER_TEMP": str(tmp_path / "temp"),
        "GITHUB_OUTPUT": str(output),
        "GITHUB_PATH": str(tmp_path / "path.txt"),
        "STANDIN_STATE": str(tmp_path / "state"),
        "STANDIN_RUN": "1",
    }


def standin(command: str, env: dict[str, str], **inputs: str) -> subprocess.CompletedProcess:
    values = {f"INPUT_{k.upper()}": v for k, v in inputs.items()}
    return subprocess.run(
        [sys.executable, str(SCRIPT), command],
        env={**env, **values},
        capture_output=True,
        text=True,
        check=False,
    )


def outputs(env: dict[str, str]) -> dict[str, str]:
    lines = Path(env["GITHUB_OUTPUT"]).read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line)


def test_every_pinned_action_of_every_workflow_has_its_stand_in():
    used = set()
    for file in (ROOT / ".github" / "workflows").glob("*.yml"):
        data = yaml.safe_load(file.read_text())
        for job in data["jobs"].values():
            used |= {s["uses"] for s in job.get("steps", []) if "uses" in s}
    assert used == set(PINS), used ^ set(PINS)
    for folder in PINS.values():
        meta = yaml.safe_load((STANDINS / folder / "action.yml").read_text())
        assert meta["name"].startswith("STAND-IN ")


# -- checkout -------------------------------------------------------------------------------


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    seed = tmp_path / "seed"
    seed.mkdir()
    git(seed, "init", "-q", "-b", "main")
    for n in range(3):
        (seed / "f.txt").write_text(str(n))
        git(seed, "add", "-A")
        git(seed, "commit", "-q", "-m", f"c{n}")
    git(seed, "tag", "v1")
    bare = tmp_path / "remote.git"
    git(tmp_path, "clone", "-q", "--bare", str(seed), str(bare))
    return bare


def test_checkout_v7_ref_fetch_depth_and_credentials(job, remote):
    env = {**job, "STANDIN_REMOTE": str(remote), "GITHUB_SHA": git(remote, "rev-parse", "main")}
    proc = standin("checkout", env, ref="main", fetch_depth="1", persist_credentials="false")
    assert proc.returncode == 0, proc.stderr
    ws = Path(job["GITHUB_WORKSPACE"])
    assert git(ws, "rev-parse", "--is-shallow-repository") == "true"
    assert git(ws, "branch", "--show-current") == "main"  # a branch ref: a local branch
    config = subprocess.run(
        ["git", "config", "--includes", "--get-regexp", "extraheader"],
        cwd=ws,
        capture_output=True,
        text=True,
        check=False,
    )
    assert config.stdout == ""  # persist-credentials: false keeps no token
    assert outputs(env)["commit"] == git(remote, "rev-parse", "main")

    proc = standin(
        "checkout", env, ref="main", fetch_depth="0", persist_credentials="true", path="full"
    )
    assert proc.returncode == 0, proc.stderr
    full = ws / "full"
    assert git(full, "rev-parse", "--is-shallow-repository") == "false"
    assert git(full, "tag") == "v1" and git(full, "rev-list", "--count", "HEAD") == "3"
    header = git(full, "config", "--includes", "--get", "http.https://github.com/.extraheader")
    assert header.startswith("AUTHORIZATION: basic")
    # v6+: the token is not written into .git/config itself, but into a file under RUNNER_TEMP.
    assert "extraheader" not in (full / ".git" / "config").read_text()
    assert any(Path(job["RUNNER_TEMP"]).glob("git-credentials-*.config"))

    old = git(remote, "rev-parse", "main~2")
    proc = standin("checkout", {**env}, ref=old, fetch_depth="1", path="sha")
    assert proc.returncode == 0 and git(ws / "sha", "rev-parse", "HEAD") == old
    assert git(ws / "sha", "branch", "--show-current") == ""  # a sha: detached


@pytest.fixture
def data_remote(tmp_path: Path) -> Path:
    """Two commits of a leaderboard-shaped repository: requests, results, top-level files."""
    seed = tmp_path / "data-seed"
    for n in range(2):
        for rel in (f"requests/o/m/{n}.yaml", f"results/o/m/{n}.json", "README.md"):
            (seed / rel).parent.mkdir(parents=True, exist_ok=True)
            (seed / rel).write_text(f"{rel} {n}\n")
        if n == 0:
            git(seed, "init", "-q", "-b", "main")
        git(seed, "add", "-A")
        git(seed, "commit", "-q", "-m", f"c{n}")
    bare = tmp_path / "data.git"
    git(tmp_path, "clone", "-q", "--bare", str(seed), str(bare))
    return bare


def missing_blobs(repo: Path) -> int:
    """Objects of the history that the clone does not have (a partial clone's)."""
    listed = git(repo, "rev-list", "--objects", "--all", "--missing=print")
    return sum(1 for line in listed.splitlines() if line.startswith("?"))


def test_checkout_v7_sparse_checkout_and_filter(job, data_remote):
    env = {**job, "STANDIN_REMOTE": str(data_remote), "GITHUB_SHA": "main"}
    ws = Path(job["GITHUB_WORKSPACE"])
    # Non-cone patterns: everything but results/, with the whole history (as the claim job).
    proc = standin(
        "checkout",
        env,
        ref="main",
        fetch_depth="0",
        path="sparse",
        sparse_checkout="/*\n!/results/\n",
        sparse_checkout_cone_mode="false",
    )
    assert proc.returncode == 0, proc.stderr
    sparse = ws / "sparse"
    assert (sparse / "requests/o/m/1.yaml").is_file() and (sparse / "README.md").is_file()
    assert not (sparse / "results").exists()
    assert git(sparse, "rev-list", "--count", "HEAD") == "2"
    # sparse-checkout without filter fetches blob:none: results/ blobs never arrive.
    assert missing_blobs(sparse) >= 2
    # Cone mode: the folders named, and every top-level file.
    proc = standin(
        "checkout", env, ref="main", fetch_depth="1", path="cone", sparse_checkout="requests"
    )
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (ws / "cone").iterdir() if p.name != ".git") == [
        "README.md",
        "requests",
    ]
    # filter alone: a full working tree, history without the old contents.
    proc = standin("checkout", env, ref="main", fetch_depth="0", path="partial", filter="blob:none")
    assert proc.returncode == 0, proc.stderr
    partial = ws / "partial"
    assert (partial / "results/o/m/1.json").is_file()
    assert missing_blobs(partial) >= 1
    assert git(partial, "show", "HEAD~1:results/o/m/0.json") == "results/o/m/0.json 0"


def test_setup_python_v7_gives_the_requested_version_or_fails(job):
    have = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert standin("setup-python", job, python_version=have).returncode == 0
    assert outputs(job)["python-version"] == have
    assert Path(job["GITHUB_PATH"]).read_text().strip().endswith("/bin")
    assert standin("setup-python", job, python_version="3.9").returncode != 0


# -- artifacts ------------------------------------------------------------------------------


def write(ws: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (ws / rel).parent.mkdir(parents=True, exist_ok=True)
        (ws / rel).write_text(text)


def test_upload_artifact_v7_if_no_files_found_names_and_hidden_files(job):
    ws = Path(job["GITHUB_WORKSPACE"])
    warn = standin("upload-artifact", job, name="a", path="missing/")
    assert warn.returncode == 0 and "::warning::No files were found" in warn.stdout
    error = standin("upload-artifact", job, name="a", path="missing/", if_no_files_found="error")
    assert error.returncode != 0
    ignore = standin("upload-artifact", job, name="a", path="missing/", if_no_files_found="ignore")
    assert ignore.returncode == 0 and "::warning::" not in ignore.stdout
    write(ws, {"out/x.json": "1", "out/sub/y.json": "2", "out/.secret": "s"})
    assert standin("upload-artifact", job, name="a", path="out/").returncode == 0
    stored = Path(job["STANDIN_STATE"]) / "artifacts" / "1" / "a"
    assert sorted(p.relative_to(stored).as_posix() for p in stored.rglob("*") if p.is_file()) == [
        "sub/y.json",
        "x.json",
    ]
    again = standin("upload-artifact", job, name="a", path="out/")
    assert again.returncode != 0 and "already exists" in again.stdout + again.stderr
    assert standin("upload-artifact", job, name="a", path="out/", overwrite="true").returncode == 0


def test_download_artifact_v8_one_lands_in_path_several_in_subfolders(job):
    ws = Path(job["GITHUB_WORKSPACE"])
    write(ws, {"one/outcome.json": "1"})
    assert standin("upload-artifact", job, name="bundle-1", path="one/").returncode == 0
    assert standin("download-artifact", job, pattern="bundle-*", path="single").returncode == 0
    assert (ws / "single" / "outcome.json").is_file()  # one match: straight into path
    write(ws, {"two/outcome.json": "2"})
    assert standin("upload-artifact", job, name="bundle-2", path="two/").returncode == 0
    assert standin("download-artifact", job, pattern="bundle-*", path="many").returncode == 0
    assert (ws / "many" / "bundle-1" / "outcome.json").is_file()
    assert (ws / "many" / "bundle-2" / "outcome.json").is_file()
    merged = standin(
        "download-artifact", job, pattern="bundle-*", path="merged", merge_multiple="true"
    )
    assert merged.returncode == 0 and (ws / "merged" / "outcome.json").is_file()
    assert standin("download-artifact", job, pattern="nothing-*", path="none").returncode == 0
    assert standin("download-artifact", job, name="absent", path="x").returncode != 0


def test_pages_artifact_v5_and_deploy_pages_v5(job):
    ws = Path(job["GITHUB_WORKSPACE"])
    assert standin("deploy-pages", job).returncode != 0  # nothing uploaded yet
    write(ws, {"site/index.html": "<p>", "site/.git/config": "x", "site/data/t.json": "{}"})
    assert standin("upload-pages-artifact", job, path="site").returncode == 0
    tar = Path(job["STANDIN_STATE"]) / "artifacts" / "1" / "github-pages" / "artifact.tar"
    with tarfile.open(tar) as archive:
        names = set(archive.getnames())
    assert {"./index.html", "./data/t.json"} <= names and not any(".git" in n for n in names)
    deployed = standin("deploy-pages", {**job, "STANDIN_PAGES_URL": "https://o.github.io/r/"})
    assert deployed.returncode == 0 and outputs(job)["page_url"] == "https://o.github.io/r/"


# -- gh -------------------------------------------------------------------------------------


def gh(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(STANDINS / "bin" / "gh"), *args],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_gh_records_every_call_and_keeps_comments(job):
    env = {**job, "GH_TOKEN": "t"}
    assert gh({k: v for k, v in job.items() if k != "GH_TOKEN"}, "api", "x").returncode == 4
    post = gh(
        env,
        "api",
        "--method",
        "POST",
        "repos/o/r/issues/3/comments",
        "--input",
        "-",
        stdin=json.dumps({"body": "hello"}),
    )
    assert post.returncode == 0, post.stderr
    cid = json.loads(post.stdout)["id"]
    patch = gh(
        env,
        "api",
        "--method",
        "PATCH",
        f"repos/o/r/issues/comments/{cid}",
        "--input",
        "-",
        stdin=json.dumps({"body": "again"}),
    )
    assert patch.returncode == 0
    listed = gh(env, "api", "--paginate", "--slurp", "repos/o/r/issues/3/comments")
    [[comment]] = json.loads(listed.stdout)
    assert comment["body"] == "again" and comment["user"]["login"] == "github-actions[bot]"
    assert gh(env, "workflow", "run", "publish.yml", "--ref", "main").returncode == 0
    assert gh(env, "api", "repos/o/r/pages", "--jq", ".html_url").stdout.startswith("https://")
    assert gh(env, "api", "repos/o/r/unknown").returncode != 0
    calls = [
        json.loads(line)
        for line in (Path(job["STANDIN_STATE"]) / "gh-calls.jsonl").read_text().splitlines()
    ]
    assert [c["args"][0] for c in calls] == ["api", "api", "api", "api", "workflow", "api", "api"]
    assert json.loads(calls[1]["stdin"]) == {"body": "hello"}


def test_gh_lists_a_commits_pull_requests_as_github_does(job):
    """GitHub's "list pull requests associated with a commit" gives the pull request merged as
    the commit, and also any whose head is the commit (merged or not): notify must pick."""
    merged, head = "a" * 40, "b" * 40
    state = Path(job["STANDIN_STATE"]) / "github.json"
    pulls = {
        "7": {
            "number": 7,
            "merge_commit_sha": merged,
            "merged_at": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        },
        "8": {"number": 8, "head": {"sha": head}, "merged_at": None},
    }
    state.write_text(json.dumps({"pulls": pulls}))
    env = {**job, "GH_TOKEN": "t"}
    found = gh(env, "api", f"repos/o/r/commits/{merged}/pulls")
    assert [p["number"] for p in json.loads(found.stdout)] == [7]
    assert [
        p["number"] for p in json.loads(gh(env, "api", f"repos/o/r/commits/{head}/pulls").stdout)
    ] == [8]
    assert json.loads(gh(env, "api", f"repos/o/r/commits/{'c' * 40}/pulls").stdout) == []


def test_gh_graphql_answers_the_votes_queries_in_githubs_shape(job):
    from leaderboard.store.gh import REACTIONS_PAGE_QUERY, pulls_query
    from tests.lbtest import iso_days_ago

    merged, other = "a" * 40, "b" * 40
    thumbs = [{"content": "THUMBS_UP", "user": f"u{i}"} for i in range(150)]
    pulls = {
        "7": {
            "number": 7,
            "user": {"login": "bob"},
            "merge_commit_sha": merged,
            "merged_at": iso_days_ago(1),
            "reactions": [
                *thumbs,
                {"content": "HEART", "user": "x"},
                {"content": "THUMBS_UP", "user": None},
            ],
        },
        "8": {"number": 8, "user": {"login": "eve"}, "head": {"sha": merged}, "merged_at": None},
    }
    born = iso_days_ago(2000)
    users = {"u0": {"created_at": born}}
    (Path(job["STANDIN_STATE"]) / "github.json").write_text(
        json.dumps({"pulls": pulls, "users": users})
    )
    env = {**job, "GH_TOKEN": "t"}
    query = pulls_query(2)
    got = gh(env, "api", "graphql", "-f", f"query={query}", "-f", "owner=o", "-f", "name=r",
             "-f", f"c0={merged}", "-f", f"c1={other}")  # fmt: skip
    assert got.returncode == 0, got.stderr
    repo = json.loads(got.stdout)["data"]["repository"]
    assert repo["c1"] == {"associatedPullRequests": {"nodes": []}}
    first, second = repo["c0"]["associatedPullRequests"]["nodes"]
    assert set(first) == {"number", "merged", "mergeCommit", "author", "reactions"}
    assert (first["number"], first["merged"], first["mergeCommit"]) == (7, True, {"oid": merged})
    assert first["author"] == {"login": "bob"}
    assert (second["number"], second["merged"], second["mergeCommit"]) == (8, False, None)
    reactions = first["reactions"]
    assert reactions["totalCount"] == 151  # 👍 only: the ❤️ is another content
    assert len(reactions["nodes"]) == 100 and reactions["pageInfo"]["hasNextPage"] is True
    assert reactions["nodes"][0] == {"user": {"login": "u0", "createdAt": born}}
    cursor = reactions["pageInfo"]["endCursor"]
    page = gh(env, "api", "graphql", "-f", f"query={REACTIONS_PAGE_QUERY}", "-f", "owner=o",
              "-f", "name=r", "-F", "number=7", "-f", f"after={cursor}")  # fmt: skip
    rest = json.loads(page.stdout)["data"]["repository"]["pullRequest"]["reactions"]
    assert len(rest["nodes"]) == 51 and rest["pageInfo"]["hasNextPage"] is False
    assert rest["nodes"][-1] == {"user": None}
    # Any other query fails loudly: nothing relies on an answer nobody wrote.
    assert gh(env, "api", "graphql", "-f", "query={ viewer { login } }").returncode != 0


def test_gh_answers_a_branchs_rules_and_protection_as_github_does(job):
    """REST API 2022-11-28: "Get rules for a branch" lists every rule of the active rulesets
    that apply (``[]`` when none), to any token that can read the repository; "Get branch
    protection" answers 404 "Branch not protected" without one, and 403 to a token that is not
    an administrator's."""
    env = {**job, "GH_TOKEN": "t"}
    state = Path(job["STANDIN_STATE"]) / "github.json"
    rules = [{"type": "merge_queue", "parameters": {}}]
    state.write_text(
        json.dumps({"branch_rules": {"main": rules}, "protection": {"x": "forbidden"}})
    )
    assert json.loads(gh(env, "api", "repos/o/r/rules/branches/main").stdout) == rules
    assert json.loads(gh(env, "api", "repos/o/r/rules/branches/other").stdout) == []
    unprotected = gh(env, "api", "repos/o/r/branches/main/protection")
    assert unprotected.returncode == 1 and "Branch not protected (HTTP 404)" in unprotected.stderr
    forbidden = gh(env, "api", "repos/o/r/branches/x/protection")
    assert forbidden.returncode == 1 and "(HTTP 403)" in forbidden.stderr


# -- actions/attest, and what gh verifies of it ---------------------------------------------


def _attest(env: dict[str, str], **inputs: str) -> subprocess.CompletedProcess:
    return standin("attest", {**env, "GITHUB_REPOSITORY": "o/r", "GITHUB_RUN_ID": "9"}, **inputs)


def test_upload_artifact_reports_the_digest_the_api_lists(job):
    write(Path(job["GITHUB_WORKSPACE"]), {"out/x.json": "1"})
    assert standin("upload-artifact", job, name="bundle-a", path="out/").returncode == 0
    listed = gh(
        {**job, "GH_TOKEN": "t"},
        "api",
        "--paginate",
        "--slurp",
        "repos/o/r/actions/runs/9/artifacts",
    )
    [[artifact]] = [page["artifacts"] for page in json.loads(listed.stdout)]
    assert artifact["name"] == "bundle-a"
    assert artifact["digest"] == f"sha256:{outputs(job)['artifact-digest']}"
    assert artifact["id"] == int(outputs(job)["artifact-id"])


def test_attest_v4_subject_inputs_and_predicate_inputs(job):
    ws = Path(job["GITHUB_WORKSPACE"])
    write(ws, {"a.json": "A", "p.json": '{"result": "PASSED"}'})
    digest = hashlib.sha256(b"A").hexdigest()
    write(ws, {"sums.txt": f"{digest}  results/o/m/a.json\n{digest} *index/o/m/a.json\nno-space\n"})
    both = _attest(
        job, subject_path="a.json", subject_checksums="sums.txt", predicate_type="t", predicate="{}"
    )
    assert both.returncode != 0 and "Only one of subject-path" in both.stdout + both.stderr
    none = _attest(job, predicate_type="t", predicate="{}")
    assert none.returncode != 0 and "must be provided" in none.stdout + none.stderr
    untyped = _attest(job, subject_path="a.json", predicate="{}")
    assert (
        untyped.returncode != 0 and "predicate-type is required" in untyped.stdout + untyped.stderr
    )
    two = _attest(
        job, subject_path="a.json", predicate_type="t", predicate="{}", predicate_path="p.json"
    )
    assert (
        two.returncode != 0 and "Only one of predicate-path or predicate" in two.stdout + two.stderr
    )
    bad = _attest(job, subject_checksums="xyz  a\n", predicate_type="t", predicate="{}")
    assert bad.returncode != 0 and "Invalid digest" in bad.stdout + bad.stderr

    ok = _attest(job, subject_checksums="sums.txt", predicate_type="t", predicate_path="p.json")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    out = outputs(job)
    assert out["attestation-url"] == f"https://github.com/o/r/attestations/{out['attestation-id']}"
    bundle = Path(out["bundle-path"])
    assert bundle.name == "attestation.json" and bundle.parent.parent == Path(job["RUNNER_TEMP"])
    listed = (Path(job["RUNNER_TEMP"]) / "created_attestation_paths.txt").read_text().split()
    assert listed == [str(bundle)]
    [record] = [
        json.loads(x)
        for x in (Path(job["STANDIN_STATE"]) / "attestations.jsonl").read_text().splitlines()
    ]
    statement = record["statement"]
    assert statement["_type"] == "https://in-toto.io/Statement/v1"
    assert statement["subject"] == [
        {"name": "results/o/m/a.json", "digest": {"sha256": digest}},
        {"name": "index/o/m/a.json", "digest": {"sha256": digest}},
    ]
    assert statement["predicateType"] == "t" and statement["predicate"] == {"result": "PASSED"}
    envelope = json.loads(bundle.read_text())["dsseEnvelope"]
    assert json.loads(base64.b64decode(envelope["payload"])) == statement
    # subject-path names each file by its base name.
    assert _attest(job, subject_path="a.json", predicate_type="t", predicate="{}").returncode == 0


def test_gh_attestation_verify_replays_gh_2_json_and_refusals(job):
    ws = Path(job["GITHUB_WORKSPACE"])
    write(ws, {"a.json": "A", "b.json": "B"})
    digest = hashlib.sha256(b"A").hexdigest()
    env = {**job, "GITHUB_WORKFLOW_REF": "o/r/.github/workflows/evaluate.yml@refs/heads/main"}
    assert (
        _attest(env, subject_path="a.json", predicate_type="t", predicate='{"x": 1}').returncode
        == 0
    )
    env = {**env, "GH_TOKEN": "t"}
    base = ["attestation", "verify", str(ws / "a.json"), "--repo", "o/r", "--predicate-type", "t"]
    ok = gh(
        env, *base, "--signer-workflow", "o/r/.github/workflows/evaluate.yml", "--format", "json"
    )
    assert ok.returncode == 0, ok.stderr
    [result] = json.loads(ok.stdout)
    assert set(result) == {"attestation", "verificationResult"}
    verification = result["verificationResult"]
    assert (
        verification["mediaType"]
        == "application/vnd.dev.sigstore.verificationresult+json;version=0.1"
    )
    assert verification["statement"]["predicateType"] == "t"
    assert verification["statement"]["subject"][0]["digest"] == {"sha256": digest}
    cert = verification["signature"]["certificate"]
    assert (
        cert["buildSignerURI"]
        == "https://github.com/o/r/.github/workflows/evaluate.yml@refs/heads/main"
    )
    assert cert["runnerEnvironment"] == "github-hosted" and verification["verifiedTimestamps"]
    assert "✓ Verification succeeded!" in ok.stderr
    # gh's default predicate type is SLSA provenance: ours must be named.
    default = gh(env, "attestation", "verify", str(ws / "a.json"), "--repo", "o/r")
    assert (
        default.returncode == 1
        and "predicate type: https://slsa.dev/provenance/v1" in default.stderr
    )
    unknown = gh(
        env, "attestation", "verify", str(ws / "b.json"), "--repo", "o/r", "--predicate-type", "t"
    )
    assert unknown.returncode == 1 and "No attestations found for subject sha256:" in unknown.stderr
    assert gh(env, *base, "--signer-workflow", "o/r/.github/workflows/other.yml").returncode == 1
    assert (
        gh(
            env,
            "attestation",
            "verify",
            str(ws / "a.json"),
            "--repo",
            "x/r",
            "--predicate-type",
            "t",
        ).returncode
        == 1
    )
    self_hosted = {**job, "STANDIN_RUNNER_ENVIRONMENT": "self-hosted"}
    write(ws, {"c.json": "C"})
    assert (
        _attest(self_hosted, subject_path="c.json", predicate_type="t", predicate="{}").returncode
        == 0
    )
    c = ["attestation", "verify", str(ws / "c.json"), "--repo", "o/r", "--predicate-type", "t"]
    assert gh(env, *c).returncode == 0
    assert gh(env, *c, "--deny-self-hosted-runners").returncode == 1
