"""The disk fills up while a result is recorded: no half-written file, a coherent status, and
the result can still be recorded later.

Two real ways to run out of room, each in its own ``leaderboard record`` process:

- ``tmpfs``: the runner's checkout lives on a 1 MiB tmpfs, mounted in a user and mount
  namespace (``unshare``, no root needed) and filled up to the last 8 KiB. Every write fails,
  even the small status commit, so nothing is recorded: the request stays RUNNING and
  ``reconcile`` sends it back later (see test_faults_killed_runner.py). Skipped where the
  kernel refuses user namespaces.
- ``rlimit``: ``RLIMIT_FSIZE`` caps each file at 4 KiB, so the results file (several KiB even on
  one line) fails (EFBIG) while the small request file and git's objects fit: the attempt is
  recorded as an infrastructure failure and the request goes back to PENDING to be retried.
"""

from __future__ import annotations

import json
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from leaderboard.core.models import FailureCategory, Status, utcnow
from leaderboard.core.transitions import mark_running
from tests.faults.faultkit import cli_env
from tests.lbtest import Queue, git

ROOM = 4 * 1024
#: Runs in the namespace: mount, clone, fill the disk, record, then report what is left.
TMPFS_SCRIPT = r"""
set -eu
mount -t tmpfs -o size=1m tmpfs "$MNT"
git clone -q "$REMOTE" "$MNT/c"
"$PY" -c '
import os, sys
path, room = sys.argv[1], int(sys.argv[2])
with open(path, "wb", buffering=0) as fh:
    try:
        while True:
            fh.write(bytes(4096))
    except OSError:
        pass
os.truncate(path, max(0, os.path.getsize(path) - room))
' "$MNT/filler" "$ROOM"
set +e
"$PY" -m leaderboard record "$BUNDLE" --push --root "$MNT/c" 2>"$OUT/stderr"
echo $? > "$OUT/rc"
(cd "$MNT/c" && find . -path ./.git -prune -o -type f -print) > "$OUT/files"
"""


def _tmpfs_usable(tmp: Path) -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "mount", "-t", "tmpfs", "x", str(tmp)],
        capture_output=True,
    )
    return probe.returncode == 0


def _no_big_files() -> None:
    """In the child: files larger than ROOM fail with EFBIG instead of killing the process."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (ROOM, ROOM))


def _record_on_a_full_disk(mode: str, queue: Queue, bundle: Path, tmp: Path):
    """Run ``leaderboard record`` out of room; return (exit code, stderr, files in checkout)."""
    out = tmp / "out"
    out.mkdir()
    if mode == "tmpfs":
        (tmp / "mnt").mkdir()
        values = {
            "MNT": tmp / "mnt",
            "REMOTE": queue.remote,
            "PY": sys.executable,
            "BUNDLE": bundle,
            "OUT": out,
            "ROOM": ROOM,
        }
        env = cli_env({k: str(v) for k, v in values.items()})
        cmd = ["unshare", "--user", "--map-root-user", "--mount", "bash", "-c", TMPFS_SCRIPT]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        files = (out / "files").read_text().split()
        return int((out / "rc").read_text()), (out / "stderr").read_text(), files
    clone = queue.clone("runner")
    proc = subprocess.run(
        [sys.executable, "-m", "leaderboard", "record", str(bundle), "--push"],
        cwd=clone,
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_no_big_files,
    )
    files = [
        "./" + str(p.relative_to(clone))
        for p in clone.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(clone).parts
    ]
    return proc.returncode, proc.stderr, files


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["tmpfs", "rlimit"])
def test_a_full_disk_while_recording_leaves_no_half_file_and_a_coherent_status(
    tmp_path, bundle, mode
):
    if mode == "tmpfs" and not _tmpfs_usable(tmp_path):
        pytest.skip("no user namespaces here: cannot mount a small tmpfs without root")
    claimed = mark_running(bundle.request.model_copy(update={"attempts": 0}), "gpu-1", utcnow())
    queue = Queue.create(tmp_path, [claimed])
    rel = bundle.rel

    code, stderr, files = _record_on_a_full_disk(mode, queue, bundle.path, tmp_path)
    assert code == 2, stderr
    assert "error: the runner's disk was full while recording the result" in stderr
    assert f"the bundle {bundle.path} is kept" in stderr
    # No result, half or whole, no stray temporary copy, no orphaned details in the checkout.
    assert not [f for f in files if f.startswith(("./results", "./.details")) or ".tmp" in f]
    assert queue.files("results") == []
    now = queue.request(rel)
    if mode == "tmpfs":
        assert "Nothing was recorded" in stderr and "stays RUNNING" in stderr
        assert (now.status, now.attempts) == (Status.running, 1)
    else:
        assert "recorded as an infrastructure failure (status now PENDING)" in stderr
        assert (now.status, now.attempts, now.runner) == (Status.pending, 1, None)
        message = git(queue.remote, "log", "-1", "--format=%B", "main")
        assert message.startswith(f"Record failure ({FailureCategory.infrastructure}) of {rel}")
        assert "disk was full" in message

    # Once there is room again, the kept bundle is recorded: the work was not lost.
    later = subprocess.run(
        [sys.executable, "-m", "leaderboard", "record", str(bundle.path), "--push"],
        cwd=queue.clone("roomy"),
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert later.returncode == 0, later.stderr
    assert queue.request(rel).status is Status.finished
    (result,) = queue.files("results")
    document = json.loads(git(queue.remote, "show", f"main:{result}"))
    assert document["provenance"]["request"] == rel and document["results"]
