"""Whatever validation accepts, a runner can run: rules ``runner-capacity`` and ``hub-params``.

``runner-capacity`` asks :func:`core.plan.plan_run`, the function the claim routes with, whether
some pool of ``settings.runner_pools`` holds the model at the requested precision (and whether
any runner runs that precision at all). ``hub-params`` keeps the request's optional ``params``
honest: the queue plans pending requests from it without asking the Hub.
"""

from __future__ import annotations

from ..core.errors import NoPoolFits
from ..core.models import Problem, WeightType
from ..core.models.change import problem
from ..core.plan import UNSUPPORTED, params_in_billions, plan_run
from ..core.rules import Rule
from ..store.request_file import ParsedRequest
from .context import Context


def precision_problems(ctx: Context, parsed: ParsedRequest) -> list[Problem]:
    """A precision no runner can run, refused before the Hub is asked."""
    req = parsed.request
    assert req is not None
    why = UNSUPPORTED.get(req.precision)
    if why is None:
        return []
    return [_capacity(parsed, f"{req.precision.value}: {why}")]


def capacity_problems(ctx: Context, parsed: ParsedRequest, counted: int | None) -> list[Problem]:
    """``runner-capacity`` for ``counted`` parameters (the Hub's count); without one, the
    request's own ``params``, or nothing when it has none (``hub-size`` says the size is
    unknown). ``hub-params`` when the request's ``params`` disagrees with the count."""
    req = parsed.request
    assert req is not None
    out: list[Problem] = []
    if counted is not None and req.params is not None:
        expected = params_in_billions(counted)
        if req.params != expected:
            out.append(
                problem(
                    parsed.rel,
                    Rule.hub_params,
                    f"params is {req.params} but the safetensors metadata of "
                    f"{req.base_model if _by_base(parsed) else req.model} counts "
                    f"{counted:,} parameters: set `params: {expected}` (or remove the line)",
                    parsed.line("params"),
                    "params",
                )
            )
    if counted is None and req.params is not None:
        counted = round(req.params * 1e9)
    if counted is None or req.precision in UNSUPPORTED:
        return out  # precision_problems has refused an unsupported precision already
    try:
        plan_run(counted, req.precision, ctx.base_settings)
    except NoPoolFits as exc:
        out.append(_capacity(parsed, f"{req.model}: {exc}"))
    return out


def _by_base(parsed: ParsedRequest) -> bool:
    req = parsed.request
    return bool(req and req.base_model and req.weight_type is not WeightType.original)


def _capacity(parsed: ParsedRequest, message: str) -> Problem:
    return problem(parsed.rel, Rule.runner_capacity, message, parsed.line("precision"), "precision")
