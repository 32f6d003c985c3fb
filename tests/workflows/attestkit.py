"""A recorded evaluation to attest: a queue in real git, a bundle, and the stand-ins' GitHub.

The bundle is made up (the demo suite's two tasks, scores drawn by hand), but everything after
it is the real thing: ``leaderboard record`` commits it and writes the attestation plan, the
actions/attest stand-in takes that plan as the workflow hands it over, ``leaderboard
attest-note`` commits the notes, and ``leaderboard verify`` runs the ``gh`` stand-in.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from leaderboard.core.ids import request_path
from leaderboard.core.models import Provenance, Request, RunOutcome, Status, utcnow
from leaderboard.core.transitions import mark_running
from leaderboard.queue.matrix import artifact_name
from tests.lbtest import GIT_ENV, Queue, git
from tests.workflows.rehearsal import STANDINS

REPOSITORY = "owner/leaderboard"
RUN_ID = "4242"
SETTINGS = "schema_version: 1\nsuite: demo\nrepo_url: https://github.com/owner/leaderboard\n"


@dataclass
class Scene(Queue):
    """The queue of one RUNNING request, ``rel``, and the stand-ins' ``state`` folder."""

    state: Path
    rel: str

    def env(self, **extra: str) -> dict[str, str]:
        """A record step's environment in GitHub Actions, with the ``gh`` stand-in first."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
        env.update(GIT_ENV)
        env.update(
            PATH=os.pathsep.join([str(STANDINS / "bin"), os.environ["PATH"]]),
            GH_TOKEN="rehearsal-token",
            STANDIN_STATE=str(self.state),
            STANDIN_RUN=RUN_ID,
            STANDIN_PYTHON=sys.executable,
            GITHUB_ACTIONS="true",
            GITHUB_SERVER_URL="https://github.com",
            GITHUB_REPOSITORY=REPOSITORY,
            GITHUB_RUN_ID=RUN_ID,
            GITHUB_RUN_ATTEMPT="1",
            GITHUB_REF="refs/heads/main",
            GITHUB_WORKFLOW_REF=f"{REPOSITORY}/.github/workflows/evaluate.yml@refs/heads/main",
            GITHUB_SHA=git(self.remote, "rev-parse", "main"),
            **extra,
        )
        return env

    def leaderboard(self, *args: str, cwd: Path, **extra: str) -> subprocess.CompletedProcess:
        exe = Path(sys.executable).parent / "leaderboard"
        return subprocess.run(
            [str(exe), *args], cwd=cwd, env=self.env(**extra), capture_output=True, text=True
        )

    def attest(self, cwd: Path, **inputs: str) -> dict[str, str]:
        """The actions/attest stand-in, given the inputs as the workflow's step gives them."""
        temp = self.tmp / "runner-temp"
        temp.mkdir(exist_ok=True)
        output = self.tmp / "attest-output.txt"
        output.write_text("")
        env = self.env(
            GITHUB_WORKSPACE=str(cwd),
            RUNNER_TEMP=str(temp),
            GITHUB_OUTPUT=str(output),
            **{f"INPUT_{k.upper()}": v for k, v in inputs.items()},
        )
        proc = subprocess.run(
            [sys.executable, str(STANDINS / "standin.py"), "attest"],
            env=env,
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        lines = output.read_text().splitlines()
        return dict(line.split("=", 1) for line in lines if "=" in line)

    def statements(self) -> list[dict]:
        file = self.state / "attestations.jsonl"
        return [json.loads(line) for line in file.read_text().splitlines()] if file.exists() else []


def scene(tmp: Path, settings: str = SETTINGS) -> Scene:
    """A queue whose one request (acme/tiny) is RUNNING, claimed at the seed commit."""
    request = Request(
        model="acme/tiny",
        revision="a" * 40,
        precision="float16",
        model_type="pretrained",
        submitter="bob",
        submitted_at=utcnow() - timedelta(hours=1),
    )
    running = mark_running(request, "gpu-1", utcnow())
    queue = Queue.create(tmp, [running], settings)
    state = tmp / "state"
    state.mkdir()
    return Scene(queue.remote, tmp, state, request_path(running.identity))


def bundle(sc: Scene, folder: Path, claim_commit: str, *, pool: str | None = None) -> Path:
    """A finished run's bundle for the scene's request, as the GPU job uploads it; a copy sits
    in the stand-ins' artifact store under its artifact name, as upload-artifact leaves it."""
    request = sc.request(sc.rel)
    now = utcnow()
    provenance = Provenance(
        request=sc.rel,
        request_commit=claim_commit,
        model=request.model,
        revision=request.revision,
        precision=request.precision,
        use_chat_template=False,
        attempt=request.attempts,
        suite="demo",
        suite_version="1",
        lm_eval_version="0.4.13",
        transformers_version="5.0.0",
        hardware="1x test GPU",
        runner="gpu-1",
        started_at=now - timedelta(minutes=5),
        finished_at=now,
        wall_time_seconds=300.0,
        command="lm_eval --model hf --tasks demo_arithmetic,demo_echo",
    ).model_dump(mode="json", exclude_none=True)
    if pool:
        provenance["pool"] = pool
    document = {
        "results": {
            "demo_arithmetic": {"acc,none": 0.75, "acc_stderr,none": 0.06},
            "demo_echo": {"exact_match,first_word": 0.5, "exact_match_stderr,first_word": 0.07},
        },
        "provenance": provenance,
    }
    outcome = RunOutcome(
        request=sc.rel,
        attempt=request.attempts,
        runner="gpu-1",
        status=Status.finished,
        started_at=now - timedelta(minutes=5),
        finished_at=now,
    )
    folder.mkdir(parents=True)
    (folder / "outcome.json").write_text(outcome.model_dump_json())
    (folder / "result.json").write_text(json.dumps(document, indent=2))
    stored = sc.state / "artifacts" / RUN_ID / artifact_name(sc.rel)
    stored.mkdir(parents=True)
    for file in folder.iterdir():
        (stored / file.name).write_bytes(file.read_bytes())
    return folder
