"""A request file, ``requests/<org>/<model>/<sha>_<precision>_<chat|nochat>.yaml``."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    model_validator,
)

from ..ids import request_stem
from .types import (
    FiniteFloat,
    GitHubLogin,
    ModelId,
    SafeText,
    Sha,
    StrictModel,
    Url,
    UtcDatetime,
)

# --------------------------------------------------------------------------------------------
# Requests
# --------------------------------------------------------------------------------------------


class Precision(StrEnum):
    float16 = "float16"
    bfloat16 = "bfloat16"
    int8 = "8bit"
    int4 = "4bit"
    gptq = "gptq"


class WeightType(StrEnum):
    original = "Original"
    adapter = "Adapter"
    delta = "Delta"


class ModelType(StrEnum):
    pretrained = "pretrained"
    continuously_pretrained = "continuously-pretrained"
    fine_tuned = "fine-tuned"
    chat = "chat"
    merge = "merge"
    multimodal = "multimodal"


#: The type emoji of the Open LLM Leaderboard, which users know.
TYPE_EMOJI: dict[str, str] = {
    ModelType.pretrained: "🟢",
    ModelType.continuously_pretrained: "🟩",
    ModelType.fine_tuned: "🔶",
    ModelType.chat: "💬",
    ModelType.merge: "🤝",
    ModelType.multimodal: "🌸",
}


class Status(StrEnum):
    pending = "PENDING"
    running = "RUNNING"
    finished = "FINISHED"
    failed = "FAILED"


class FailureCategory(StrEnum):
    #: The submitter must act: the model does not load, does not fit, has a bad tokenizer.
    model = "model"
    #: Our fault: the Hub was unreachable, the runner was lost, the disk filled. Retried.
    infrastructure = "infrastructure"


class Relaunch(StrictModel):
    """A maintainer sent a FAILED request back to the queue; the failure is kept here."""

    at: UtcDatetime
    by: GitHubLogin
    note: SafeText
    previous_reason: SafeText | None = None
    previous_category: FailureCategory | None = None


class Removal(StrictModel):
    """A request taken off the leaderboard. Its files stay, so its history stays."""

    at: UtcDatetime
    by: GitHubLogin
    reason: SafeText


REQUEST_SCHEMA_VERSION = 1


class Request(StrictModel):
    """One evaluation request: ``requests/<org>/<model>/<sha>_<precision>_<chat|nochat>.yaml``."""

    schema_version: Literal[1] = Field(
        default=1, description="Version of this file format; readers refuse unknown versions."
    )
    model: ModelId = Field(description="The model's Hub id, 'org/name'.")
    revision: Sha = Field(description="The full 40-hex commit of the model that is evaluated.")
    precision: Precision
    weight_type: WeightType = WeightType.original
    base_model: ModelId | None = Field(
        default=None, description="The base model; required for Adapter and Delta weights."
    )
    base_revision: Sha | None = Field(
        default=None,
        description="The full 40-hex commit of base_model that is evaluated (Adapter and Delta "
        "weights); new requests must give it, so the base cannot change after review.",
    )
    params: FiniteFloat | None = Field(
        default=None,
        ge=0,
        le=100_000,
        description=(
            "Parameters the evaluation loads, in billions (the model's, or an Adapter's or "
            "Delta's base model's), as the safetensors metadata counts them at the pinned commit. "
            "Optional: `leaderboard submit` writes it and validation checks it against the Hub, "
            "so the runner pools can be planned without asking the Hub."
        ),
    )
    model_type: ModelType
    use_chat_template: bool = False
    submitter: GitHubLogin = Field(description="GitHub login of whoever opened the pull request.")
    eval_results_pr: bool | None = Field(
        default=None,
        description="The submitter's choice: once evaluated, open a pull request with the "
        "scores as `.eval_results/*.yaml` on the model's Hub repository (only where the "
        "leaderboard's settings allow it).",
    )
    submitted_at: UtcDatetime
    status: Status = Status.pending
    # Written by the runner.
    attempts: int = Field(default=0, ge=0, le=1000)
    runner: SafeText | None = None
    started_at: UtcDatetime | None = None
    finished_at: UtcDatetime | None = None
    failure_reason: SafeText | None = None
    failure_category: FailureCategory | None = None
    log_url: Url | None = None
    # Written by maintainers.
    relaunches: list[Relaunch] = Field(default_factory=list)
    removed: Removal | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Request:
        if self.weight_type in (WeightType.adapter, WeightType.delta) and not self.base_model:
            raise ValueError(f"base_model is required when weight_type is {self.weight_type.value}")
        if self.weight_type is WeightType.original and self.base_model == self.model:
            raise ValueError("base_model names the model itself")
        if self.weight_type is WeightType.original and self.base_revision:
            raise ValueError("base_revision belongs only to Adapter and Delta weights")
        if self.status is Status.failed and not (self.failure_reason and self.failure_category):
            raise ValueError("a FAILED request needs failure_reason and failure_category")
        if self.status is not Status.failed and (self.failure_reason or self.failure_category):
            raise ValueError(
                f"failure_reason and failure_category belong only to FAILED requests, "
                f"not {self.status.value}"
            )
        if self.status is Status.running and not (self.runner and self.started_at):
            raise ValueError("a RUNNING request needs runner and started_at")
        return self

    @property
    def identity(self) -> RequestIdentity:
        return RequestIdentity(
            model=self.model,
            revision=self.revision,
            precision=self.precision,
            use_chat_template=self.use_chat_template,
        )


class RequestIdentity(BaseModel):
    """What defines a row: two requests with the same identity are the same request."""

    model_config = ConfigDict(frozen=True)

    model: str
    revision: str
    precision: Precision
    use_chat_template: bool

    @property
    def stem(self) -> str:
        return request_stem(self.revision, self.precision.value, self.use_chat_template)
