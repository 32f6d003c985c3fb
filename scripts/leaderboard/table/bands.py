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

from typing import Any

from ..suites.uncertainty import SE_SUFFIX, within_noise

#: The column of a row's band number (1 = the top band).
BAND = "Rank band"
#: The column of the Average's standard error (the table's Average is ``Average ⬆️``).
AVERAGE_SE = "Average" + SE_SUFFIX


def assign(rows: list[dict[str, Any]], average: str) -> None:
    """Set ``Rank band`` on every row (``None`` where it has none), bands numbered from 1."""
    ranked = sorted(
        (
            r
            for r in rows
            if not r.get("Flagged") and r.get(average) is not None and r.get(AVERAGE_SE) is not None
        ),
        key=lambda r: -r[average],
    )
    for row in rows:
        row[BAND] = None
    band, leader = 0, None
    for row in ranked:
        if leader is None or not within_noise(
            leader[average], leader[AVERAGE_SE], row[average], row[AVERAGE_SE]
        ):
            band, leader = band + 1, row
        row[BAND] = band
