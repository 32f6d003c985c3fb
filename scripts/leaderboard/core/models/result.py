"""What a result file adds to lm-eval's output (provenance, Hub facts) and a run's outcome."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
)

from ..ids import model_id_fault
from .plan import Parallelism
from .request import FailureCategory, Precision, Status, WeightType
from .types import ModelId, SafeText, Sha, StrictModel, UtcDatetime

#: A license as results record it (``hub.licenses.card_license``): a Hub id, ``other (<name>)``,
#: or a bare name (what results recorded for ``other`` before).
_LICENSE = re.compile(r"[a-z0-9][a-z0-9._+-]{0,63}|other \([a-z0-9][a-z0-9._+-]{0,63}\)")

# --------------------------------------------------------------------------------------------
# Hub facts and results
# --------------------------------------------------------------------------------------------


class HubFacts(BaseModel):
    """What the Hub said about a model at one commit. Recorded with each result."""

    model_config = ConfigDict(extra="forbid")

    model: str
    sha: str
    private: bool = False
    gated: bool | str = False
    license: str | None = None
    likes: int = 0
    downloads: int = 0
    tags: list[str] = Field(default_factory=list)
    architectures: list[str] = Field(default_factory=list)
    model_type: str | None = None
    has_auto_map: bool = False
    params: int | None = Field(default=None, description="Parameter count from safetensors.")
    safetensors: bool = False
    pickle_files: list[str] = Field(default_factory=list)
    card_text_chars: int = 0
    card_base_model: list[str] = Field(default_factory=list)
    has_chat_template: bool = False
    chat_template_bytes: int = Field(default=0, description="Size of the chat template.")
    merged: bool = False
    moe: bool = False
    card_says_merge: bool = False
    created_at: datetime | None = None
    last_modified: datetime | None = None
    available: bool = True
    files: list[str] = Field(default_factory=list, description="The repo's files at the commit.")
    params_by_dtype: dict[str, int] = Field(
        default_factory=dict, description="Safetensors parameter counts per stored dtype."
    )
    has_card: bool = False
    is_adapter: bool = False

    @field_validator("license", mode="before")
    @classmethod
    def _license_as_recorded(cls, value: object) -> str | None:
        """A Hub license id or ``other (<name>)`` (``hub.licenses``); anything else a result
        file holds is no license, rather than text for the table."""
        return value if isinstance(value, str) and _LICENSE.fullmatch(value) else None

    @field_validator("card_base_model", mode="before")
    @classmethod
    def _card_base_models(cls, value: object) -> list[str]:
        """The card's ``base_model`` entries that are Hub model ids; the others (a bidi
        override, a control character, a link) are dropped, never published."""
        values = value if isinstance(value, list) else [] if value is None else [value]
        return [v for v in values if isinstance(v, str) and model_id_fault(v) is None]

    @property
    def params_b(self) -> float | None:
        # Exact, not rounded: a small model's 410,000 parameters are not 0.000 B.
        return None if self.params is None else self.params / 1e9


class DatasetRevision(StrictModel):
    """The Hub dataset one task read, at the commit it was pinned to."""

    task: str = Field(max_length=200)
    repo: ModelId
    config: str | None = Field(default=None, max_length=200)
    revision: Sha


class Provenance(StrictModel):
    """The block the runner adds, under the key ``provenance``, to lm-eval's results JSON."""

    schema_version: Literal[1] = 1
    request: str = Field(description="Path of the request file, relative to the repository.")
    request_commit: Sha = Field(description="Commit of this repository holding the claim.")
    model: ModelId
    revision: Sha
    precision: Precision
    use_chat_template: bool
    weight_type: WeightType = WeightType.original
    base_model: ModelId | None = None
    base_revision: Sha | None = Field(default=None, description="Base commit for Adapter/Delta.")
    attempt: int = Field(ge=1)
    limit: float | None = Field(default=None, description="Documents per task, if capped.")
    suite: str = Field(pattern=r"^[a-z0-9_-]{1,40}$", description="As ``Suite.name``.")
    suite_version: str
    lm_eval_version: str
    transformers_version: str
    torch_version: str | None = None
    hardware: SafeText
    device: SafeText | None = Field(default=None, description="The torch device it ran on.")
    batch_size: SafeText | None = Field(default=None, description="The batch size it ran with.")
    pool: SafeText | None = Field(default=None, description="The runner pool it was planned on.")
    parallelism: Parallelism | None = Field(
        default=None, description="single: one GPU; model: split across the pool's GPUs."
    )
    gpu_model: SafeText | None = Field(
        default=None, description="The GPU it ran on (torch's name)."
    )
    gpu_count: int | None = Field(default=None, ge=0, description="GPUs the runner had.")
    planned_memory_gb: float | None = Field(
        default=None, ge=0, description="The plan's GPU memory estimate (core.plan), in GB."
    )
    peak_memory_gb: float | None = Field(
        default=None, ge=0, description="The most GPU memory the run held at once, in GB."
    )
    runner: SafeText
    started_at: UtcDatetime
    finished_at: UtcDatetime
    wall_time_seconds: float = Field(ge=0)
    command: SafeText = Field(description="Reproduces this result with plain lm_eval.")
    details: SafeText | None = Field(default=None, description="Where per-sample outputs are.")
    hub: HubFacts | None = None
    datasets: list[DatasetRevision] = Field(
        default_factory=list, description="Every task's Hub dataset and the commit it read."
    )


class RunOutcome(StrictModel):
    """``outcome.json`` of an evaluation bundle: what ``leaderboard record`` commits.

    The GPU job writes a bundle (this file, ``result.json`` when it finished, and the samples);
    the recording job, which alone may push, turns it into a result file and a status.
    """

    schema_version: Literal[1] = 1
    request: str = Field(description="Path of the request file, relative to the repository.")
    attempt: int = Field(ge=1)
    runner: SafeText
    status: Literal[Status.finished, Status.failed]
    failure_reason: SafeText | None = None
    failure_category: FailureCategory | None = None
    started_at: UtcDatetime
    finished_at: UtcDatetime
