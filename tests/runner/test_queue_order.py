"""The order pending requests are claimed in (``core.priority``): priority = votes + hours
waited × the ageing rate, so votes move a request ahead of requests that arrived at most
``max_per_request / ageing_per_hour`` hours before it, and never further, whatever anyone votes
and whenever the claims happen. With votes off it is first come, first served.

The bound is proved here over any vote pattern by Hypothesis: requests arrive at any times,
claims happen at any later times, and at each claim every waiting request has any number of
votes (changing from one claim to the next, far past the cap included)."""

from __future__ import annotations

import itertools
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaderboard.core import priority
from leaderboard.core.models import Votes
from leaderboard.core.priority import Waiting

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HOUR = 3600


@st.composite
def scenarios(draw):
    """Arrivals (seconds), claim times after the first arrival, the vote settings, and a vote
    count for every request at every claim."""
    rules = Votes(
        enabled=True,
        max_per_request=draw(st.integers(0, 200)),
        ageing_per_hour=draw(
            st.one_of(
                st.floats(0.01, 100, allow_nan=False, allow_infinity=False),
                st.sampled_from([0.1, 0.25, 1.0, 1 / 3, 7.0]),
            )
        ),
    )
    n = draw(st.integers(2, 9))
    gaps = draw(st.lists(st.integers(0, 5 * 24 * HOUR), min_size=n, max_size=n))
    start = 1_800_000_000
    arrivals = [start + sum(gaps[: i + 1]) for i in range(n)]
    steps = draw(st.lists(st.integers(0, 3 * 24 * HOUR), min_size=n, max_size=n))
    claims = [arrivals[0] + sum(steps[: i + 1]) for i in range(n)]
    votes = draw(
        st.lists(st.lists(st.integers(0, 10**6), min_size=n, max_size=n), min_size=n, max_size=n)
    )
    return rules, arrivals, claims, votes


def claim_all(rules: Votes, arrivals: list[int], claims: list[int], votes: list[list[int]]):
    """Claim one request at each claim time (the first in line among those that have arrived),
    with that moment's votes; returns ``(claim time, request index)`` in the order of claims."""
    claimed: list[tuple[int, int]] = []
    for step, now in enumerate(claims):
        done = {i for _, i in claimed}
        waiting = [
            Waiting(str(i), arrivals[i], votes[step][i])
            for i in range(len(arrivals))
            if arrivals[i] <= now and i not in done
        ]
        if waiting:
            claimed.append((now, int(priority.ordered(waiting, rules, now)[0].request)))
    return claimed


@SETTINGS
@given(scenarios())
def test_votes_never_move_a_request_past_the_bound(scenario):
    rules, arrivals, claims, votes = scenario
    order = [i for _, i in claim_all(rules, arrivals, claims, votes)]
    bound = Fraction(rules.max_per_request * HOUR) / Fraction(rules.ageing_per_hour)
    for b_index, b in enumerate(order):
        for a in range(len(arrivals)):
            if arrivals[b] - arrivals[a] > bound:
                # A arrived more than the bound before B: B is never claimed while A waits.
                assert a in order[:b_index], (a, b, order)


@SETTINGS
@given(scenarios())
def test_with_votes_off_the_queue_is_first_come_first_served(scenario):
    rules, arrivals, claims, votes = scenario
    off = rules.model_copy(update={"enabled": False})
    order = claim_all(off, arrivals, claims, votes)
    # Each claim takes the earliest arrival among those waiting (ties by name, as the key says).
    for step, (now, i) in enumerate(order):
        done = {j for _, j in order[:step]}
        waiting = [j for j in range(len(arrivals)) if arrivals[j] <= now and j not in done]
        assert (arrivals[i], str(i)) == min((arrivals[j], str(j)) for j in waiting)


@SETTINGS
@given(scenarios())
def test_the_priority_people_see_orders_as_the_claim_does(scenario):
    rules, arrivals, claims, votes = scenario
    now = max(claims[-1], arrivals[-1])
    waiting = [Waiting(str(i), t, votes[0][i]) for i, t in enumerate(arrivals)]
    ordered = priority.ordered(waiting, rules, now)
    shown = [priority.priority(w, now, rules) for w in ordered]
    # Never increasing (up to the float rounding of a number shown to people).
    assert all(x >= y - 1e-6 * max(1.0, abs(x)) for x, y in itertools.pairwise(shown))


def test_a_voted_request_goes_first_within_the_bound_and_not_beyond():
    rules = Votes(enabled=True, max_per_request=10, ageing_per_hour=1.0)  # bound: 10 hours
    now = 2_000_000_000
    old = Waiting("old", now - 30 * HOUR)
    recent = Waiting("recent", now - 28 * HOUR, votes=3)
    capped = Waiting("capped", now - 21 * HOUR, votes=10_000)  # counts as 10
    assert [w.request for w in priority.ordered([old, recent], rules, now)] == ["recent", "old"]
    # 10 votes at most: 9 hours later than "old" is within the bound, so it goes first...
    assert [w.request for w in priority.ordered([old, capped], rules, now)] == ["capped", "old"]
    # ...and 11 hours later is not, whatever the votes.
    late = Waiting("late", now - 19 * HOUR, votes=10**9)
    assert [w.request for w in priority.ordered([old, late], rules, now)] == ["old", "late"]
    assert priority.priority(recent, now, rules) == 3 + 28
    assert priority.priority(capped, now, rules) == 10 + 21
    assert rules.bound_hours == 10


def test_the_maintainers_choice_goes_first_when_the_settings_say_so():
    rules = Votes()
    now = 2_000_000_000
    plain = Waiting("plain", now - 50 * HOUR)
    chosen = Waiting("chosen", now - HOUR, choice=True)
    assert [w.request for w in priority.ordered([plain, chosen], rules, now)] == [
        "plain",
        "chosen",
    ]
    first = priority.ordered([plain, chosen], rules, now, choice_first=True)
    assert [w.request for w in first] == ["chosen", "plain"]


def test_a_request_git_cannot_date_waits_behind_every_dated_one():
    rules = Votes()
    now = 2_000_000_000
    undated = Waiting("a-undated", None)
    dated = Waiting("z-dated", now - 1)
    assert [w.request for w in priority.ordered([undated, dated], rules, now)] == [
        "z-dated",
        "a-undated",
    ]


def test_the_order_is_explained_in_one_sentence():
    off = priority.explain(Votes(), False)
    assert off == (
        "Requests are evaluated in the order they were merged (first come, first served)."
    )
    on = priority.explain(Votes(enabled=True, max_per_request=24, ageing_per_hour=0.5), True)
    assert on.startswith("Requests of the maintainer's choice organisations come first; then ")
    assert "at most 24" in on and "× 0.5" in on and "at most 48 hours before it" in on
    assert on.endswith(".") and "\n" not in on


def test_a_repository_puts_the_maintainers_choice_first_only_when_the_settings_say_so(
    tmp_path, capsys
):
    from leaderboard.queue.claims import pending
    from leaderboard.store.repo import Repo
    from tests.queueworld import QueueWorld

    world = QueueWorld(tmp_path / "repo")
    (world.root / "curation" / "maintainers-choice.yaml").write_text(
        "schema_version: 1\norganisations: [Trusted]\n"
    )
    plain = world.merged("someone/plain", ago=5)
    chosen = world.merged("trusted/chosen", ago=1)
    assert [rel for rel, _ in pending(Repo(world.root))] == [plain, chosen]
    assert [r["path"] for r in world.queue(capsys)["pending"]] == [plain, chosen]
    world.settings({"queue": {"maintainers_choice_first": True}})
    assert [rel for rel, _ in pending(Repo(world.root))] == [chosen, plain]
    rows = world.queue(capsys)["pending"]
    assert [(r["path"], r["position"]) for r in rows] == [(chosen, 1), (plain, 2)]
