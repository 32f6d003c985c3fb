"""Each pending request's place in its runner pool's line and its estimated start and finish:
from the wall times that past results' provenance measured on that pool, per size class (the
median, and the middle half as the spread), shared among the pool's runners; the GPU
benchmark's projection from the settings before any run was measured; and "unknown" (null)
when there is nothing to go on, never a number made up.

The repository tests build finished evaluations with their results and index entries, as the
record job commits them, and pending requests merged on main at chosen times (``queueworld``),
and read ``leaderboard queue --json`` as a user would."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from leaderboard.core.estimates import RECENT, Duration, Job, Run, durations, schedule
from leaderboard.core.models import Precision, RunnerPool, Status, utcnow
from tests.queueworld import HOUR, QueueWorld, hours_between

ROOT = Path(__file__).resolve().parents[2]
TWO_POOLS = {
    "runner_pools": [
        {"name": "small", "labels": ["gpu-small"], "gpus": 1, "gpu_memory_gb": 24},
        {"name": "large", "labels": ["gpu-large"], "gpus": 1, "gpu_memory_gb": 80, "runners": 2},
    ]
}


def hours(value: float) -> Duration:
    return Duration(value, value, value, 1, "measured")


# -- the arithmetic ------------------------------------------------------------------------------


def test_a_duration_is_the_median_of_the_newest_runs_with_the_middle_half_as_spread():
    now = utcnow()
    pool = RunnerPool(name="gpu", labels=["gpu"], gpus=1, gpu_memory_gb=80)
    runs = [Run("gpu", "Mid-range", h, now - timedelta(days=h)) for h in (1.0, 2.0, 3.0)]
    got = durations(runs, [pool])[("gpu", "Mid-range")]
    assert (got.hours, got.low, got.high, got.runs, got.source) == (2.0, 1.5, 2.5, 3, "measured")
    # Only the newest RECENT runs count: 30 old 10-hour runs, then RECENT new 1-hour ones.
    old = [Run("gpu", "Edge", 10.0, now - timedelta(days=100 + i)) for i in range(30)]
    new = [Run("gpu", "Edge", 1.0, now - timedelta(hours=i)) for i in range(RECENT)]
    assert durations(old + new, [pool])[("gpu", "Edge")].hours == 1.0
    # A class the pool never ran: the settings' projection, and nothing for any other class.
    projected = pool.model_copy(update={"projected_hours": {"Edge": 0.5, "GPU-rich": 9.0}})
    table = durations(runs, [projected])
    assert table[("gpu", "GPU-rich")] == Duration(9.0, 9.0, 9.0, 0, "projected")
    assert table[("gpu", "Edge")].source == "projected"
    assert ("gpu", "Consumer") not in table
    # Measured runs replace the projection.
    assert durations(runs + new, [projected])[("gpu", "Edge")].source == "measured"


def test_one_runner_takes_the_line_in_order_after_what_it_is_running():
    now = utcnow()
    running = [Job("r", hours(2), claimed=now - 0.5 * HOUR)]
    got = schedule(running, [Job("a", hours(1)), Job("b", hours(3))], 1, now)
    assert got["r"].finish == now + 1.5 * HOUR
    assert (got["a"].start, got["a"].finish) == (now + 1.5 * HOUR, now + 2.5 * HOUR)
    assert (got["b"].start, got["b"].finish) == (now + 2.5 * HOUR, now + 5.5 * HOUR)


def test_two_runners_share_the_line_and_an_overdue_run_finishes_now():
    now = utcnow()
    running = [Job("late", hours(1), claimed=now - 5 * HOUR)]
    pending = [Job("a", hours(4)), Job("b", hours(1)), Job("c", hours(1))]
    got = schedule(running, pending, 2, now)
    assert got["late"].finish == now
    assert got["a"].start == now  # the idle runner
    assert got["b"].start == now  # the overdue run's runner, free any moment
    assert got["c"].start == now + HOUR  # after b, before a
    # Claimed beyond the runners: they wait for one, as GitHub queues their jobs.
    queued = [Job(f"q{i}", hours(2), claimed=now - i * HOUR) for i in range(3)]
    got = schedule(queued, [Job("p", hours(1))], 1, now)
    assert got["q2"].finish == now  # claimed first, running (overdue)
    assert got["q1"].start == now and got["q0"].start == now + 2 * HOUR
    assert got["p"].start == now + 4 * HOUR


def test_a_run_of_unknown_length_makes_every_later_start_unknown():
    now = utcnow()
    got = schedule([], [Job("a", hours(1)), Job("b", None), Job("c", hours(1))], 1, now)
    assert got["a"].start == now and got["a"].finish == now + HOUR
    assert got["b"].start is None and got["b"].finish is None  # no start without a finish
    assert got["c"].start is None and got["c"].finish is None
    two = schedule([], [Job("x", None), Job("y", hours(1)), Job("z", hours(1))], 2, now)
    assert two["y"].start == now and two["z"].start is None


# -- a repository, through `leaderboard queue --json` ---------------------------------------------


def test_positions_are_per_pool_in_merge_order_and_estimates_follow_the_measured_runs(
    tmp_path, capsys
):
    world = QueueWorld(tmp_path / "repo", TWO_POOLS)
    # History: 7B (Mid-range) runs took 2, 3 and 4 hours on "large"; 1B (Edge) runs 0.5 h on
    # "small". The plan sends a 7B in bfloat16 (about 19 GB) to small, so pin them by size.
    for h in (2.0, 3.0, 4.0):
        world.finished(f"hist/mid-{h}", hours=h, params=30.0, pool="large")
    for _ in range(3):
        world.finished(f"hist/edge-{_}", hours=0.5, params=1.0, pool="small")
    a = world.merged("org/a-30b", ago=10, pr=11, params=30.0)
    b = world.merged("org/b-1b", ago=9, pr=12, params=1.0)
    c = world.merged("org/c-30b", ago=8, pr=13, params=30.0)
    d = world.merged("org/d-30b", ago=7, pr=14, params=30.0)
    e = world.merged("org/e-1b", ago=6, pr=15, params=1.0)
    listing = world.queue(capsys)
    # The published interface's schema (docs/schemas/queue.schema.json) holds it.
    schema = json.loads((ROOT / "docs" / "schemas" / "queue.schema.json").read_text("utf-8"))
    Draft202012Validator(schema).validate(listing)
    pending = {row["path"]: row for row in listing["pending"]}
    assert [r["path"] for r in listing["pending"]] == [b, e, a, c, d]  # the settings' order
    assert [(pending[r]["pool"], pending[r]["position"]) for r in (a, c, d, b, e)] == [
        ("large", 1),
        ("large", 2),
        ("large", 3),
        ("small", 1),
        ("small", 2),
    ]
    assert pending[a]["pull_request"] == 11 and pending[e]["pull_request"] == 15
    assert pending[a]["votes"] is None  # votes are off
    assert pending[a]["duration"] == {
        "hours": 3.0,
        "low_hours": 2.5,
        "high_hours": 3.5,
        "runs": 3,
        "source": "measured",
    }
    # "large" has two idle runners: a and c start now, d when the first of them is done.
    now = pending[a]["estimated_start"]
    assert pending[c]["estimated_start"] == now
    assert hours_between(now, pending[a]["estimated_finish"]) == 3.0
    assert hours_between(now, pending[d]["estimated_start"]) == 3.0
    assert hours_between(now, pending[d]["estimated_finish"]) == 6.0
    # "small" has one runner: b, then e.
    assert pending[b]["estimated_start"] == now
    assert hours_between(now, pending[e]["estimated_start"]) == 0.5
    assert hours_between(now, pending[e]["estimated_finish"]) == 1.0
    # The same line with runs twice as long: every wait doubles.
    slow = QueueWorld(tmp_path / "slow", TWO_POOLS)
    for h in (4.0, 6.0, 8.0):
        slow.finished(f"hist/mid-{h}", hours=h, params=30.0, pool="large")
    for _ in range(3):
        slow.finished(f"hist/edge-{_}", hours=1.0, params=1.0, pool="small")
    for name, ago, params in (("a-30b", 10, 30.0), ("b-1b", 9, 1.0), ("c-30b", 8, 30.0)):
        slow.merged(f"org/{name}", ago=ago, params=params)
    d2 = slow.merged("org/d-30b", ago=7, params=30.0)
    e2 = slow.merged("org/e-1b", ago=6, params=1.0)
    twice = {row["path"]: row for row in slow.queue(capsys)["pending"]}
    start = twice[d2]["estimated_start"]
    assert hours_between(twice[e2]["estimated_start"], start) == pytest.approx(6.0 - 1.0)
    assert hours_between(start, twice[d2]["estimated_finish"]) == 6.0


def test_with_no_history_the_estimates_are_unknown_until_the_settings_give_a_projection(
    tmp_path, capsys
):
    world = QueueWorld(tmp_path / "repo")
    first = world.merged("org/first", ago=3, params=7.0)
    second = world.merged("org/second", ago=2, params=7.0)
    rows = {r["path"]: r for r in world.queue(capsys)["pending"]}
    assert [rows[first]["position"], rows[second]["position"]] == [1, 2]
    for rel in (first, second):
        assert rows[rel]["pool"] == "gpu"
        assert rows[rel]["estimated_start"] is None and rows[rel]["estimated_finish"] is None
        assert rows[rel]["duration"] is None
    # The GPU benchmark's projection, put in the settings: 5 hours for a 7B.
    world.settings(
        {
            "runner_pools": [
                {
                    "name": "gpu",
                    "labels": ["self-hosted", "gpu"],
                    "gpus": 1,
                    "gpu_memory_gb": 80,
                    "projected_hours": {"Mid-range": 5.0},
                }
            ]
        }
    )
    rows = {r["path"]: r for r in world.queue(capsys)["pending"]}
    assert rows[first]["duration"]["source"] == "projected"
    assert hours_between(rows[first]["estimated_start"], rows[second]["estimated_start"]) == 5.0
    # A request without params in a one-pool deployment: its pool is known, its length not,
    # so it and whatever follows it have no estimate.
    third = world.merged("org/third-unsized", ago=1, params=None)
    fourth = world.merged("org/fourth", ago=0.5, params=7.0)
    rows = {r["path"]: r for r in world.queue(capsys)["pending"]}
    assert rows[third]["pool"] == "gpu" and rows[third]["position"] == 3
    assert rows[second]["estimated_finish"] is not None
    for rel in (third, fourth):
        assert rows[rel]["estimated_start"] is None and rows[rel]["estimated_finish"] is None


def test_running_requests_hold_the_runners_and_unplanned_requests_wait_apart(tmp_path, capsys):
    world = QueueWorld(tmp_path / "repo", TWO_POOLS)
    world.finished("hist/edge", hours=2.0, params=1.0, pool="small")
    now = world.now
    running = world.merged(
        "org/running-1b",
        ago=3,
        params=1.0,
        status=Status.running,
        fields={"runner": "r1", "started_at": now - 0.5 * HOUR, "attempts": 1},
    )
    waiting = world.merged("org/waiting-1b", ago=2, params=1.0)
    unplanned = world.merged("org/no-params", ago=1, params=None, precision=Precision.float16)
    data = world.queue(capsys)
    [run] = data["running"]
    assert run["path"] == running and run["pool"] == "small"
    rows = {r["path"]: r for r in data["pending"]}
    assert hours_between(rows[waiting]["estimated_start"], run["estimated_finish"]) == 0.0
    assert hours_between(run["estimated_finish"], rows[waiting]["estimated_finish"]) == 2.0
    # Two pools and no params: the claim will ask the Hub; until then, a line of its own.
    assert rows[unplanned]["pool"] is None and rows[unplanned]["position"] == 1
    assert rows[unplanned]["estimated_start"] is None
    assert [r["path"] for r in data["pending"]] == [waiting, unplanned]
