"""``curation/settings.yaml``: how this leaderboard runs."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    Field,
    model_validator,
)

from ..sizes import SizeClass
from .request import Precision
from .types import FiniteFloat, GitHubLogin, ModelId, OrgName, RelPath, SafeText, StrictModel, Url

# --------------------------------------------------------------------------------------------
# Settings (maintainers own this file)
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
    trusted_publisher: bool = Field(
        default=False,
        description="Push the details with a short-lived token from Hugging Face's Trusted "
        "Publishers (the record job's OIDC identity, `HF_OIDC_RESOURCE`), the stored "
        "HF_DETAILS_TOKEN only as the fallback. Register this repository's evaluate workflow "
        "as a trusted publisher of the dataset first.",
    )


#: A GitHub Actions runner label, as ``runs-on`` names it (GitHub compares them ignoring case).
RunnerLabel = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]


class RunnerPool(StrictModel):
    """Self-hosted runners that share their labels and their hardware.

    One evaluation job runs on one runner of a pool and gets all of that runner's GPUs, so
    ``gpus`` is what each runner has, not how many runners there are. ``core.plan`` sends each
    request to the smallest pool that can hold it.
    """

    name: str = Field(
        pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$",
        description="The pool's name, shown in plans, results and the queue.",
    )
    labels: list[RunnerLabel] = Field(
        min_length=1,
        max_length=20,
        description="The runs-on labels that reach this pool's runners (a job asks for all).",
    )
    gpus: int = Field(
        ge=1, le=64, description="GPUs each runner of the pool has (one job's share)."
    )
    gpu_memory_gb: FiniteFloat = Field(
        gt=0, le=4096, description="Memory of each of those GPUs, in GB (10^9 bytes)."
    )
    runners: int = Field(
        default=1,
        ge=1,
        le=10_000,
        description="How many runners the pool has, so how many of its evaluations run at "
        "once: the queue's estimates share the pool's line among them.",
    )
    projected_hours: dict[SizeClass, Annotated[FiniteFloat, Field(gt=0, le=10_000)]] = Field(
        default_factory=dict,
        description="Hours one evaluation of a model of each size class takes on one of this "
        "pool's runners, used by the queue's estimates until the pool has measured runs of "
        "that class: the GPU benchmark's projection (`leaderboard bench --area gpu`, "
        "'projected GPU-hours, full suite'), run on this pool's hardware.",
    )

    @model_validator(mode="after")
    def _distinct_labels(self) -> RunnerPool:
        lowered = [label.lower() for label in self.labels]
        if len(set(lowered)) != len(lowered):
            raise ValueError(f"runner pool {self.name!r} lists a label twice")
        return self

    @property
    def total_memory_gb(self) -> float:
        return self.gpus * self.gpu_memory_gb

    def describe(self) -> str:
        """``gpu-8x80 (8 × 80 GB)``, for messages."""
        return f"{self.name} ({self.gpus} × {self.gpu_memory_gb:g} GB)"


def _default_pools() -> list[RunnerPool]:
    # What evaluate.yml asked for before pools existed: [self-hosted, linux, gpu], one 80 GB card.
    return [
        RunnerPool(name="gpu", labels=["self-hosted", "linux", "gpu"], gpus=1, gpu_memory_gb=80)
    ]


class Votes(StrictModel):
    """Votes on the queue: a 👍 on the pull request that added a request moves it up, within
    a bound. Off by default: the queue is then first come, first served."""

    enabled: bool = False
    max_per_request: int = Field(
        default=48,
        ge=0,
        le=100_000,
        description="Votes counted per request at most: with the ageing rate, it bounds how far "
        "votes can move a request (max_per_request / ageing_per_hour hours of arrivals).",
    )
    ageing_per_hour: FiniteFloat = Field(
        default=1.0,
        gt=0,
        le=1_000_000,
        description="What an hour of waiting is worth, in votes: priority = votes + waiting "
        "hours × this.",
    )
    min_account_age_days: int = Field(
        default=30,
        ge=0,
        le=36_500,
        description="Accounts younger than this many days do not count (a fresh account is "
        "the cheapest vote to make).",
    )

    @property
    def bound_hours(self) -> float:
        """How far votes can move a request, in hours of arrivals: a request is always claimed
        before every request of its pool that arrived more than this much later."""
        return self.max_per_request / self.ageing_per_hour


class QueueSettings(StrictModel):
    """The order pending requests are claimed in (``core.priority``)."""

    votes: Votes = Field(default_factory=Votes)
    maintainers_choice_first: bool = Field(
        default=False,
        description="Requests of the maintainer's choice organisations "
        "(curation/maintainers-choice.yaml) are claimed before every other request.",
    )


class Settings(StrictModel):
    """``curation/settings.yaml``: how this leaderboard runs."""

    schema_version: Literal[1] = 1
    title: SafeText = "Open LLM Leaderboard"
    maintainers: list[GitHubLogin] = Field(default_factory=list)
    suite: str = Field(default="leaderboard", pattern=r"^[a-z0-9_-]{1,40}$")
    rate_limit: RateLimit = Field(default_factory=RateLimit)
    allow_gated: bool = False
    size_limits_b: dict[Precision, Annotated[FiniteFloat, Field(gt=0)]] = Field(
        default_factory=_default_size_limits,
        description="Largest model accepted per precision, in billions of parameters (> 0).",
    )
    min_card_chars: int = Field(default=200, ge=0)
    reconcile_timeout_hours: float = Field(default=12.0, gt=0, allow_inf_nan=False)
    max_attempts: int = Field(default=3, ge=1)
    max_requests_per_pr: int = Field(
        default=50,
        ge=1,
        le=1000,
        description="New requests one pull request may add: bounds what CI must check.",
    )
    details: DetailsStore = Field(default_factory=DetailsStore)
    runner_pools: list[RunnerPool] = Field(
        default_factory=_default_pools,
        min_length=1,
        max_length=50,
        description="The GPU runners' pools; each request runs on the smallest that holds it.",
    )
    queue: QueueSettings = Field(
        default_factory=QueueSettings,
        description="The order pending requests are claimed in: first come, first served "
        "unless votes or the maintainer's choice are turned on.",
    )
    attestations: bool = Field(
        default=True,
        description="The record job signs each result and its index entry with GitHub's "
        "artifact attestations (free for public repositories; private ones need GitHub "
        "Enterprise Cloud). Off: results are recorded unsigned and the site says 'not attested'.",
    )
    eval_results_pr: bool = Field(
        default=False,
        description="Allow the record job to open a pull request with a result's "
        "`.eval_results/*.yaml` (Hugging Face Community Evals) on the model's Hub repository, "
        "for requests whose submitter asked for it (`eval_results_pr: true`). Needs the "
        "HF_EVAL_RESULTS_TOKEN secret.",
    )
    site_url: Url | None = None
    repo_url: Url | None = Field(default=None, description="Link to this repository, for the site.")
    hub_url: Url | None = Field(
        default=None,
        description=(
            "The Hub the Submit page asks for a revision's commit (a private Hub's address); "
            "default: $HF_ENDPOINT at build time, else https://huggingface.co."
        ),
    )

    def pool(self, name: str) -> RunnerPool | None:
        return next((p for p in self.runner_pools if p.name == name), None)

    def is_maintainer(self, login: str | None) -> bool:
        """Whether ``login`` may curate. GitHub logins are case-insensitive."""
        return login is not None and login.lower() in {m.lower() for m in self.maintainers}

    def maintainers_text(self) -> str:
        """Who to ask, for messages: ``@alice, @bob`` (a mention reaches them on GitHub)."""
        names = ", ".join(f"@{m}" for m in self.maintainers)
        return names or "the maintainers listed in curation/settings.yaml (none yet)"
