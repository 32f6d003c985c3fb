"""A request's run plan: which runner pool evaluates it, and how (``core.plan`` makes it); and
the votes a claim counted (``core.votes``)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from .request import Precision
from .types import GitHubLogin, StrictModel, UtcDatetime

#: ``single``: the model fits one GPU of the pool. ``model``: its layers are split across all
#: of the pool's GPUs (lm-eval's ``parallelize=True``, Accelerate's ``device_map="auto"``).
Parallelism = Literal["single", "model"]


class RunPlan(StrictModel):
    """Where and how one request is evaluated.

    ``leaderboard runner plan`` prints it, ``leaderboard claim --plan`` commits and emits it,
    and evaluate.yml gives each matrix leg its ``labels`` (``runs-on``) and
    ``timeout_minutes``; the leg hands the whole plan back to ``leaderboard evaluate --plan``.
    """

    request: str = Field(default="", max_length=1000, description="The request file's path.")
    pool: str = Field(description="The runner pool's name (settings.runner_pools).")
    labels: list[str] = Field(description="The pool's runs-on labels.")
    gpus: int = Field(ge=1, description="GPUs each runner of the pool has.")
    gpu_memory_gb: float = Field(gt=0, description="Memory of each of those GPUs, in GB.")
    parallelism: Parallelism
    memory_gb: float = Field(ge=0, description="Estimated GPU memory the run needs, in GB.")
    params_b: float = Field(ge=0, description="Parameters loaded, in billions (core.plan).")
    precision: Precision
    timeout_minutes: int = Field(ge=1, description="The evaluate job's timeout.")
    model_args: dict[str, Any] = Field(
        default_factory=dict, description="What lm-eval's hf model is given."
    )

    def split_args(self) -> dict[str, Any]:
        """The model arguments that split the model across GPUs; none for ``single``."""
        return {k: v for k, v in self.model_args.items() if k in SPLIT_ARGS}


#: lm-eval ``hf`` arguments a ``model`` plan adds (see ``core.plan.plan_run``).
SPLIT_ARGS = ("parallelize", "max_memory_per_gpu")


class VotesSeen(StrictModel):
    """The votes a claim counted on the pending requests' pull requests, recorded in its
    commit (``Votes: {…}``) for audit: the Queue page shows them, and nobody edits them."""

    at: UtcDatetime = Field(description="When GitHub was asked.")
    votes: dict[str, int] = Field(
        default_factory=dict, description="Request path → votes counted (those with any)."
    )
    voters: dict[str, list[GitHubLogin]] = Field(
        default_factory=dict, description="Request path → the accounts whose 👍 counted."
    )
    not_counted: dict[str, dict[str, int]] = Field(
        default_factory=dict,
        description="Request path → how many 👍 were left out, by reason (core.votes).",
    )
