"""Size classes of models: the table's size filter, and what the queue's estimates group
past runs by (a 70B takes longer than a 1B on the same runner)."""

from __future__ import annotations

from typing import Literal

#: Size presets of the later Open LLM Leaderboard UI, in billions of parameters: [low, high).
SIZE_CLASSES: list[tuple[str, float, float]] = [
    ("Edge", 0.0, 3.0),
    ("Consumer", 3.0, 7.0),
    ("Mid-range", 7.0, 65.0),
    ("GPU-rich", 65.0, float("inf")),
]

#: A size class's name, as settings spell it (``runner_pools[].projected_hours``).
SizeClass = Literal["Edge", "Consumer", "Mid-range", "GPU-rich"]


def size_class(params_b: float | None) -> str | None:
    """The class of a model with ``params_b`` billion parameters; None when the size is not
    known."""
    if params_b is None:
        return None
    return next(name for name, lo, hi in SIZE_CLASSES if lo <= params_b < hi)
