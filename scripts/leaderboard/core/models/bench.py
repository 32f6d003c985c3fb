"""One measured figure of ``leaderboard bench``."""

from __future__ import annotations

from pydantic import (
    BaseModel,
    Field,
)


class BenchFigure(BaseModel):
    """One measured figure; each ``leaderboard_bench.areas.<area>`` returns a list."""

    area: str
    name: str
    size: int | None = Field(default=None, description="Scale of the input (requests, models).")
    value: float
    unit: str
    goal: str | None = Field(default=None, description="The target, in words: '< 3 s'.")
    ok: bool | None = Field(default=None, description="Whether the goal was met, if it has one.")


class BenchReport(BaseModel):
    """Figures with when, where and how they were measured: the Performance page says all three."""

    measured: str = Field(description="When: a date, or a date and time (UTC).")
    machine: str = Field(description="Where, in words: the machine and how busy it was.")
    command: str = Field(description="How: the command that measures them again.")
    figures: list[BenchFigure]
