"""Every data model of the leaderboard, in one place.

Files in the repository are the database, so their models are strict: unknown fields are
errors (``extra="forbid"``), every file kind carries a ``schema_version``, and identifiers are
checked against the shapes the Hub and GitHub allow, so that a hostile name can never become a
path outside ``requests/`` or a string that lies about what it is.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    model_validator,
)

# --------------------------------------------------------------------------------------------
# Identifiers and safe text
# --------------------------------------------------------------------------------------------

#: One part of a Hub repo id. The Hub allows letters, digits, ``-``, ``_`` and ``.``, up to 96
#: characters, not starting or ending with ``-`` or ``.``, and no ``--`` or ``..`` inside.
_HUB_PART = r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9_])?"
HUB_PART_RE = re.compile(rf"^{_HUB_PART}$")
MODEL_ID_RE = re.compile(rf"^{_HUB_PART}/{_HUB_PART}$")
SHA_RE = re.compile(r"^[0-9a-f]{40}$")
#: GitHub logins: alphanumerics and single inner hyphens, at most 39 characters.
GITHUB_LOGIN_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")

MAX_TEXT = 2000


def _check_model_id(value: str) -> str:
    if not MODEL_ID_RE.fullmatch(value) or "--" in value or ".." in value:
        raise ValueError(
            f"{value!r} is not a Hub model id: use 'org/name' with letters, digits, '-', '_' "
            "and '.', at most 96 characters a part, no '..' or '--'"
        )
    if value.lower().endswith(".git"):
        raise ValueError(f"{value!r} is not a Hub model id: it may not end in '.git'")
    return value


def _check_org(value: str) -> str:
    if not HUB_PART_RE.fullmatch(value) or "--" in value or ".." in value:
        raise ValueError(f"{value!r} is not a Hub organisation or user name")
    return value


def _check_sha(value: str) -> str:
    if not SHA_RE.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a full commit sha: give the 40 lowercase hex digits of the "
            "commit (`leaderboard submit` resolves a branch or tag for you)"
        )
    return value


def _check_login(value: str) -> str:
    if not GITHUB_LOGIN_RE.fullmatch(value):
        raise ValueError(f"{value!r} is not a GitHub login")
    return value


#: Characters that change how text is displayed without being visible: bidi overrides and
#: isolates (the "Trojan Source" trick), and zero-width characters.
_INVISIBLE = set(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200c\u200d\u2060\ufeff"
)


def _check_text(value: str) -> str:
    for ch in value:
        if ch in _INVISIBLE:
            raise ValueError(
                f"contains the invisible or direction-changing character U+{ord(ch):04X}"
            )
        if unicodedata.category(ch) == "Cc" and ch not in "\n\t":
            raise ValueError(f"contains the control character U+{ord(ch):04X}")
        if unicodedata.category(ch) == "Cs":  # a lone surrogate ("\ud800"): not encodable
            raise ValueError(f"contains the lone surrogate U+{ord(ch):04X}")
    if len(value) > MAX_TEXT:
        raise ValueError(f"is {len(value)} characters long; at most {MAX_TEXT} are allowed")
    return value


def _check_url(value: str) -> str:
    _check_text(value)
    if not re.fullmatch(r"https?://[^\s<>\"']+", value):
        raise ValueError(f"{value!r} is not an http(s) link")
    return value


def _check_relpath(value: str) -> str:
    """A path inside the repository: no absolute path, no '..', no backslash, no odd bytes."""
    _check_text(value)
    parts = value.split("/")
    if value.startswith("/") or "\\" in value or any(p in ("", "..") for p in parts):
        raise ValueError(f"{value!r} must be a relative path inside the repository, without '..'")
    return value


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("needs a time zone: write it in UTC, like 2026-01-31T12:00:00Z")
    return value.astimezone(UTC)


ModelId = Annotated[str, AfterValidator(_check_model_id)]
OrgName = Annotated[str, AfterValidator(_check_org)]
Sha = Annotated[str, AfterValidator(_check_sha)]
GitHubLogin = Annotated[str, AfterValidator(_check_login)]
SafeText = Annotated[str, AfterValidator(_check_text)]
Url = Annotated[str, AfterValidator(_check_url)]
RelPath = Annotated[str, AfterValidator(_check_relpath)]
FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]
UtcDatetime = Annotated[
    datetime,
    AfterValidator(_utc),
    PlainSerializer(lambda d: d.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), return_type=str),
]


def utcnow() -> datetime:
    """The current time, truncated to seconds, as every file stores it."""
    return datetime.now(UTC).replace(microsecond=0)


class StrictModel(BaseModel):
    """Base for every file kind: unknown fields are errors, not silently kept."""

    model_config = ConfigDict(extra="forbid", frozen=False, validate_assignment=True)


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
    model_type: ModelType
    use_chat_template: bool = False
    submitter: GitHubLogin = Field(description="GitHub login of whoever opened the pull request.")
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
        chat = "chat" if self.use_chat_template else "nochat"
        return f"{self.revision}_{self.precision.value}_{chat}"


# --------------------------------------------------------------------------------------------
# Problems: what every check returns
# --------------------------------------------------------------------------------------------


class Problem(BaseModel):
    """One thing wrong with one file, located as precisely as we can."""

    model_config = ConfigDict(frozen=True)

    path: str
    line: int | None = None
    field: str | None = None
    rule: str
    message: str

    def render(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        field = f" {self.field}:" if self.field else ""
        return f"{where}: [{self.rule}]{field} {self.message}"


class LeaderboardError(Exception):
    """Base of the project's own errors; the CLI prints them without a traceback."""


class ValidationFailed(LeaderboardError):
    """A file or change broke one or more rules."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(p.render() for p in problems))


# --------------------------------------------------------------------------------------------
# Settings and curation files (maintainers own these)
# --------------------------------------------------------------------------------------------


class RateLimit(StrictModel):
    per_namespace: int = Field(default=5, ge=1)
    days: int = Field(default=7, ge=1)
    exempt: list[OrgName] = Field(
        default_factory=list,
        description="Organisations never rate limited, besides the maintainer's choice.",
    )


def _default_size_limits() -> dict[Precision, float]:
    return {
        Precision.float16: 100.0,
        Precision.bfloat16: 100.0,
        Precision.int8: 280.0,
        Precision.int4: 560.0,
        Precision.gptq: 560.0,
    }


class DetailsStore(StrictModel):
    """Where per-sample outputs go: too big for git."""

    kind: Literal["local", "hub"] = "local"
    path: RelPath = ".details"
    repo: ModelId | None = Field(default=None, description="Hub dataset repo when kind is hub.")


class Settings(StrictModel):
    """``curation/settings.yaml``: how this leaderboard runs."""

    schema_version: Literal[1] = 1
    title: SafeText = "Open LLM Leaderboard"
    maintainers: list[GitHubLogin] = Field(default_factory=list)
    suite: str = Field(default="leaderboard", pattern=r"^[a-z0-9_-]{1,40}$")
    rate_limit: RateLimit = Field(default_factory=RateLimit)
    allow_gated: bool = False
    size_limits_b: dict[Precision, FiniteFloat] = Field(default_factory=_default_size_limits)
    min_card_chars: int = Field(default=200, ge=0)
    reconcile_timeout_hours: float = Field(default=12.0, gt=0, allow_inf_nan=False)
    max_attempts: int = Field(default=3, ge=1)
    details: DetailsStore = Field(default_factory=DetailsStore)
    site_url: Url | None = None
    repo_url: Url | None = Field(default=None, description="Link to this repository, for the site.")


class FlagCategory(StrEnum):
    contamination = "contamination"
    unattributed_copy = "unattributed-copy"
    undeclared_merge = "undeclared-merge"
    other = "other"


class Flag(StrictModel):
    model: ModelId
    sha: Sha | None = Field(default=None, description="Flag only this commit; all if absent.")
    category: FlagCategory
    discussion: Url
    date: UtcDatetime
    maintainer: GitHubLogin
    note: SafeText | None = None


class FlagsFile(StrictModel):
    schema_version: Literal[1] = 1
    flags: list[Flag] = Field(default_factory=list)


class MaintainersChoiceFile(StrictModel):
    schema_version: Literal[1] = 1
    organisations: list[OrgName] = Field(default_factory=list)


class DoNotSubmitEntry(StrictModel):
    model: ModelId
    reason: SafeText
    date: UtcDatetime


class DoNotSubmitFile(StrictModel):
    schema_version: Literal[1] = 1
    models: list[DoNotSubmitEntry] = Field(default_factory=list)


class Rename(StrictModel):
    old: ModelId
    new: ModelId
    date: UtcDatetime
    maintainer: GitHubLogin


class RenamesFile(StrictModel):
    schema_version: Literal[1] = 1
    renames: list[Rename] = Field(default_factory=list)


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

    @property
    def params_b(self) -> float | None:
        return None if self.params is None else round(self.params / 1e9, 3)


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
    suite: str
    suite_version: str
    lm_eval_version: str
    transformers_version: str
    torch_version: str | None = None
    hardware: SafeText
    runner: SafeText
    started_at: UtcDatetime
    finished_at: UtcDatetime
    wall_time_seconds: float = Field(ge=0)
    command: SafeText = Field(description="Reproduces this result with plain lm_eval.")
    details: SafeText | None = Field(default=None, description="Where per-sample outputs are.")
    hub: HubFacts | None = None


def json_ready(value: Any) -> Any:
    """Serialise a model the way files store it (used by writers and the JSON exports)."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_none=True)
    return value


# --------------------------------------------------------------------------------------------
# Changes in a pull request, and benchmark figures
# --------------------------------------------------------------------------------------------


class ChangeKind(StrEnum):
    added = "added"
    modified = "modified"
    deleted = "deleted"
    renamed = "renamed"


class Change(BaseModel):
    """One file changed by a pull request, relative to its base (``git diff --name-status``)."""

    model_config = ConfigDict(frozen=True)

    kind: ChangeKind
    path: str
    old_path: str | None = Field(default=None, description="The path before, for renames.")


class BenchFigure(BaseModel):
    """One measured figure. Each ``leaderboard.benchmarks.<area>`` module returns a list."""

    area: str
    name: str
    size: int | None = Field(default=None, description="Scale of the input (requests, models).")
    value: float
    unit: str
    goal: str | None = Field(default=None, description="The target, in words: '< 3 s'.")
    ok: bool | None = Field(default=None, description="Whether the goal was met, if it has one.")


# --------------------------------------------------------------------------------------------
# Suites: which lm-eval tasks run, and how their metrics become the leaderboard's columns
# --------------------------------------------------------------------------------------------


class Subtask(StrictModel):
    """One lm-eval task (or group) entry of the results, normalized on its own."""

    task: str = Field(description="The key in lm-eval's `results` (or `groups`) mapping.")
    choices: int | None = Field(
        default=None, ge=2, description="Number of answer choices: the baseline is 1/choices."
    )
    baseline: float | None = Field(
        default=None, ge=0, lt=1, description="Random baseline, when not 1/choices."
    )

    @model_validator(mode="after")
    def _one_baseline(self) -> Subtask:
        if self.choices is not None and self.baseline is not None:
            raise ValueError("give either choices or baseline, not both")
        return self

    @property
    def random_baseline(self) -> float:
        if self.choices is not None:
            return 1.0 / self.choices
        return self.baseline or 0.0


class Benchmark(StrictModel):
    """One public column, e.g. ``BBH``, and how to compute it from lm-eval's results.

    For each subtask, the raw value is the mean of ``metrics``; the normalized value is
    ``max(raw - b, 0) / (1 - b) * 100`` with the subtask's random baseline ``b`` (clamped at 0
    before any averaging). The column is the unweighted mean of the subtasks' normalized values,
    and its ``<column> Raw`` twin the unweighted mean of their raw values (0–1).
    """

    column: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,39}$")
    description: str = ""
    metrics: list[str] = Field(
        min_length=1, description="Metric keys as lm-eval writes them: '<metric>,<filter>'."
    )
    subtasks: list[Subtask] = Field(min_length=1)
    aggregation: Literal["mean"] = Field(
        default="mean", description="How subtasks combine: the unweighted mean."
    )

    @property
    def raw_column(self) -> str:
        return f"{self.column} Raw"


class Suite(StrictModel):
    """A suite: ``scripts/leaderboard/suites/<name>/suite.yaml``. Its version goes into results."""

    name: str = Field(pattern=r"^[a-z0-9_-]{1,40}$")
    version: str = Field(min_length=1, max_length=40)
    description: str = ""
    lm_eval_version: str = Field(description="The lm-eval version this suite was written for.")
    tasks: list[str] = Field(min_length=1, description="lm-eval task or group names to run.")
    builtin_task_dirs: list[str] = Field(
        default_factory=list,
        description="Folders under the installed lm_eval/tasks to index (never all 14k tasks).",
    )
    bundled_task_dir: str | None = Field(
        default=None,
        description="Folder of task YAML templates in the suite; @SUITE_DIR@ becomes its path.",
    )
    benchmarks: list[Benchmark] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_columns(self) -> Suite:
        columns = [b.column for b in self.benchmarks]
        if len(set(columns)) != len(columns) or "Average" in columns:
            raise ValueError("benchmark columns must be unique and may not be 'Average'")
        return self

    @property
    def columns(self) -> list[str]:
        """Every score column, in display order: the benchmarks, then the average."""
        return [b.column for b in self.benchmarks] + ["Average"]


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


# --------------------------------------------------------------------------------------------
# The published table ("contents") and the queue
# --------------------------------------------------------------------------------------------


class ColumnKind(StrEnum):
    text = "text"
    number = "number"
    boolean = "boolean"
    date = "date"


class TableColumn(BaseModel):
    """One column of the published table. Benchmark columns come from the configured suite, so
    the column list is data (written to ``columns.json``) rather than fixed fields of a model."""

    model_config = ConfigDict(frozen=True)

    name: str
    kind: ColumnKind
    description: str
    group: Literal["model", "score", "raw", "hub", "curation", "provenance"] = "model"
    nullable: bool = True
    hidden: bool = Field(default=False, description="Hidden in the site's default view.")


class QueueEntry(BaseModel):
    """One request as the Queue page shows it: nothing disappears, removed requests included."""

    model: str
    request: str
    revision: str
    precision: str
    use_chat_template: bool
    model_type: str
    weight_type: str
    submitter: str
    submitted_at: str
    status: str
    position: int | None = Field(default=None, description="Place in the pending queue, from 1.")
    waiting_hours: float | None = None
    runner: str | None = None
    started_at: str | None = None
    finished_at: str | None = None
    attempts: int = 0
    failure_reason: str | None = None
    failure_category: str | None = None
    log_url: str | None = None
    relaunches: int = 0
    removed_reason: str | None = None
    removed_at: str | None = None
    eval_name: str | None = Field(default=None, description="Its row on the leaderboard, if any.")
