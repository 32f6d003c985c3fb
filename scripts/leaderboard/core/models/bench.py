"""One measured figure of ``leaderboard bench``."""

from __future__ import annotations

from pydantic import (
    BaseModel,
    Field,
)


class BenchFigure(BaseModel):
    """One measured figure; each ``leaderboard.devtools.bench.<area>`` returns a list."""

    area: str
    name: str
    size: int | None = Field(default=None, description="Scale of the input (requests, models).")
    value: float
    unit: str
    goal: str | None = Field(default=None, description="The target, in words: '< 3 s'.")
    ok: bool | None = Field(default=None, description="Whether the goal was met, if it has one.")
