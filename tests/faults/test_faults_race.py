"""Runners racing for one request: the claim's push is the lock, so exactly one gets it.

Four real ``leaderboard claim --push`` processes start at once on four clones of a queue that
holds one pending request. ``evaluate`` claims through the same function, so exactly one runner
evaluates. Two runners on three requests, evaluating for real, is
``tests/runner/test_runner_e2e.py::test_two_runners_at_once_evaluate_three_requests_exactly_once``;
a lost race moving on to the next request is
``tests/runner/test_gitops.py::test_losing_the_claim_race_takes_the_next_request``.
"""

from __future__ import annotations

import json
import subprocess
import sys

from leaderboard.core.models import Status
from tests.faults.faultkit import cli_env
from tests.lbtest import Queue, make_request

RUNNERS = 4


def test_four_runners_race_for_one_request_and_exactly_one_claims_it(tmp_path):
    queue = Queue.create(tmp_path, [make_request("acme/only", "e" * 40)])
    (rel,) = queue.files("requests")
    clones = [queue.clone(f"r{i}") for i in range(RUNNERS)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "leaderboard", "claim", "--push", "--json", "--runner", c.name],
            cwd=c,
            env=cli_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for c in clones
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * RUNNERS, [err for _, err in outputs]
    claimed = {c.name: json.loads(out) for c, (out, _) in zip(clones, outputs, strict=True)}
    winners = [name for name, paths in claimed.items() if paths]
    assert len(winners) == 1, claimed
    assert claimed[winners[0]] == [rel]

    request = queue.request(rel)
    assert (request.status, request.attempts, request.runner) == (Status.running, 1, winners[0])
    assert [s for s in queue.subjects() if s.startswith("Claim")] == [
        f"Claim {rel} for {winners[0]} (attempt 1)"
    ]
