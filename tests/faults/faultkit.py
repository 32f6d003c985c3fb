"""Helpers for the fault tests: a queue in real git, the real CLI in its own process, and a
wrapper that SIGKILLs that process at a chosen step.

The kill points are set by patching the runner's own git and harness functions inside the child
process, so the process dies for real (SIGKILL: no cleanup, no ``finally``) exactly between two
steps, which no timing-based kill could hit reliably.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.lbtest import GIT_ENV, SETTINGS

#: Runs older than about 0.7 s count as lost, so reconcile need not wait hours.
FAST_RECONCILE = SETTINGS + "reconcile_timeout_hours: 0.0002\n"

#: Runs the CLI with one step replaced by ``os.kill(getpid(), SIGKILL)`` (LB_KILL_AT names it).
KILLER = r"""
import os, signal, sys
from leaderboard.harness import run as harness
from leaderboard.store import commits as gitops
from leaderboard.store.git import git

point = os.environ["LB_KILL_AT"]
real_push, real_commit = gitops.push, gitops.commit

def die():
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)

def last_subject(root):
    return git(root, "log", "-1", "--format=%s")

def push(root, remote, branch):
    kind = last_subject(root).split()[0]
    if point == f"{kind.lower()}-before-push":
        die()
    real_push(root, remote, branch)
    if point == f"{kind.lower()}-after-push":
        die()

def commit(root, paths, message):
    if point == "record-before-commit" and message.startswith("Record"):
        die()
    return real_commit(root, paths, message)

def evaluate(*args, **kwargs):
    die()

gitops.push, gitops.commit = push, commit
if point == "evaluating":
    harness.evaluate = evaluate
from leaderboard.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def cli_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "HF_TOKEN"}
    env.update(GIT_ENV, HF_HUB_DISABLE_TELEMETRY="1", TOKENIZERS_PARALLELISM="false")
    env.update(extra or {})
    return env


def leaderboard(
    *args: str, cwd: Path, env: dict[str, str] | None = None, kill_at: str | None = None
) -> subprocess.CompletedProcess[str]:
    """The real CLI in its own process; with ``kill_at``, SIGKILLed at that step."""
    env = cli_env(env)
    cmd = [sys.executable, "-m", "leaderboard", *args]
    if kill_at:
        env["LB_KILL_AT"] = kill_at
        cmd = [sys.executable, "-c", KILLER, *args]
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
