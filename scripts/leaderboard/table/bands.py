"""The table's uncertainty: each score's standard error, and rank bands.

A rank band groups models whose averages are within noise of each other, so that a reader does
not take #3 and #4 for different when the evaluation cannot tell them apart. Going down the
unflagged rows by average, a band's first row is its leader; every following row whose 95%
interval overlaps the leader's (``suites.uncertainty.within_noise``) joins the band, and the
first that does not starts the next one. Comparing with the leader, not the previous row, keeps
a long chain of small steps from merging the whole table into one band. Rows without an
average error (an ``N/A`` somewhere below it) or flagged rows have no band.
"""

from __future__ import annotations

from ..core.models import Row
from ..suites.uncertainty import within_noise


def assign(rows: list[Row]) -> None:
    """Set ``band`` on every row (``None`` where it has none), bands numbered from 1."""
    ranked: list[tuple[float, float, Row]] = sorted(
        (
            (r.average, r.average_se, r)
            for r in rows
            if not r.flagged and r.average is not None and r.average_se is not None
        ),
        key=lambda t: -t[0],
    )
    for row in rows:
        row.band = None
    band, leader = 0, None
    for average, se, row in ranked:
        if leader is None or not within_noise(leader[0], leader[1], average, se):
            band, leader = band + 1, (average, se)
        row.band = band
