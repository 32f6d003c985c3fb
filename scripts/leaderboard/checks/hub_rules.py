"""Rule 5: the do-not-submit list and the model on the Hub, at the pinned commit.

Every Hub fact comes from ``hub``; an unreachable Hub becomes one ``hub-unavailable`` problem
(run again), never a verdict on the model.
"""

from __future__ import annotations

from ..core import errors
from ..core.env import hub_request_seconds
from ..core.models import HubFacts, Precision, Problem, Request, WeightType
from ..core.models.change import problem
from ..core.rules import Rule
from ..hub import allowance, chat_template
from ..hub import facts as hub_facts
from ..store.request_file import ParsedRequest
from .context import Context
from .runner_rules import capacity_problems

#: The largest chat template accepted: real ones are a few KiB, and lm-eval copies it into
#: every result (the runner moves big fields out of the result anyway, see ``queue.caps``).
MAX_CHAT_TEMPLATE_BYTES = 64 * 1024

# --------------------------------------------------------------------------------------------
# Rule 5: the do-not-submit list and the Hub
# --------------------------------------------------------------------------------------------


def do_not_submit_problems(ctx: Context, parsed: ParsedRequest) -> list[Problem]:
    req = parsed.request
    assert req is not None
    listed = {e.model.lower(): e for e in ctx.base.do_not_submit().models}
    out = []
    for fname, model in (("model", req.model), ("base_model", req.base_model)):
        if model and model.lower() in listed:
            entry = listed[model.lower()]
            whose = "this model" if fname == "model" else f"its base model {model}"
            out.append(
                problem(
                    parsed.rel,
                    Rule.do_not_submit,
                    f"{whose} is on the do-not-submit list ({entry.reason}): its authors asked "
                    "not to be evaluated, so it cannot be submitted",
                    parsed.line(fname),
                    fname,
                )
            )
    return out


def _size_params(facts: HubFacts, precision: Precision) -> int | None:
    """Parameters as the size limit counts them: GPTQ packs eight 4-bit weights per int32."""
    if facts.params is None:
        return None
    if precision is Precision.gptq:
        packed = facts.params_by_dtype.get("I32", 0)
        return facts.params - packed + packed * 8
    return facts.params


def base_revision_problems(
    ctx: Context, parsed: ParsedRequest, *, ask_hub: bool = True
) -> list[Problem]:
    """A new Adapter or Delta request pins its base model's commit (``base_revision``).

    Without it the checks judge the base as it is when the pull request is opened, and the
    runner loads whatever it is when the request runs: its owner could push a model of a
    trillion parameters in between. With the Hub (and ``ask_hub``), the message gives the sha
    to write.
    """
    req = parsed.request
    assert req is not None
    if req.weight_type is WeightType.original or req.base_revision or not req.base_model:
        return []
    sha = None
    if ctx.hub and ask_hub:
        try:
            sha = hub_facts.resolve_revision(req.base_model, "main")
        except (errors.HubError, errors.HubUnavailable):
            sha = None  # the Hub rules say what is wrong with the base
    write = (
        f"`base_revision: '{sha}'` (the commit of {req.base_model} on main now)"
        if sha
        else f"base_revision, the full 40-hex commit of {req.base_model} to evaluate with "
        f"(`leaderboard submit ... --base-model {req.base_model}` resolves it)"
    )
    return [
        problem(
            parsed.rel,
            Rule.base_revision,
            f"an {req.weight_type.value} request must pin the commit of its base model, which "
            f"the checks judge and the runner loads: add {write}",
            parsed.line("base_model"),
            "base_revision",
        )
    ]


def hub_problems(ctx: Context, parsed: ParsedRequest) -> list[Problem]:
    """Every Hub rule for one request; an unreachable Hub is one ``hub-unavailable`` problem."""
    req = parsed.request
    assert req is not None
    rel = parsed.rel
    seconds = hub_request_seconds()
    try:
        with allowance.deadline(seconds, f"{seconds:g} s for the checks of one request"):
            return _hub_rules(ctx, parsed, req)
    except errors.HubUnavailable as exc:
        return [
            problem(
                rel, Rule.hub_unavailable, f"{exc} (run the check again; nothing needs fixing yet)"
            )
        ]


def _hub_rules(ctx: Context, parsed: ParsedRequest, req: Request) -> list[Problem]:
    rel = parsed.rel
    out: list[Problem] = []
    base_facts: HubFacts | None = None
    if req.base_model and req.weight_type is not WeightType.original:
        # At its pinned commit; a request without one (older than the field) is judged at the
        # base's commit on main, which is what base_revision_problems tells it to pin.
        base_facts, base_out = _model_rules(
            ctx,
            parsed,
            req.base_model,
            req.base_revision or "main",
            "base_revision" if req.base_revision else "base_model",
            req,
            is_base=True,
        )
        out += base_out
    facts, model_out = _model_rules(
        ctx, parsed, req.model, req.revision, "revision", req, is_base=False
    )
    out += model_out
    if facts is None:
        return out
    # Size: the base's parameters count for an adapter, whose own weights are tiny.
    sized = base_facts if req.weight_type is WeightType.adapter else facts
    if sized is not None and not (sized.gated or sized.private):
        params = _size_params(sized, req.precision)
        limit = ctx.base_settings.size_limits_b.get(req.precision)
        if params is None:
            out.append(
                problem(
                    rel,
                    Rule.hub_size,
                    f"the size of {sized.model} is unknown: its safetensors metadata gives no "
                    "parameter count (save the weights as model.safetensors or a sharded "
                    "model.safetensors.index.json)",
                    parsed.line("model"),
                    "model",
                )
            )
        elif limit is not None and params / 1e9 > limit:
            out.append(
                problem(
                    rel,
                    Rule.hub_size,
                    f"{sized.model} has {params / 1e9:.1f}B parameters; the limit for "
                    f"{req.precision.value} is {limit:g}B. Choose a smaller precision "
                    "(8bit allows 280B, 4bit 560B) or a smaller model",
                    parsed.line("precision"),
                    "precision",
                )
            )
    # Planned at the base's size for an Adapter or a Delta: the runner loads the base.
    planned = base_facts if req.weight_type is not WeightType.original else facts
    if planned is not None and not (planned.gated or planned.private):
        out += capacity_problems(ctx, parsed, _size_params(planned, req.precision))
    if req.use_chat_template:
        has = facts.has_chat_template or bool(
            req.weight_type is WeightType.adapter and base_facts and base_facts.has_chat_template
        )
        if not has:
            out.append(
                problem(
                    rel,
                    Rule.hub_chat_template,
                    f"use_chat_template is true but {req.model} has no chat template (in "
                    "tokenizer_config.json or chat_template.jinja): add one, or set "
                    "use_chat_template: false",
                    parsed.line("use_chat_template"),
                    "use_chat_template",
                )
            )
        elif facts.chat_template_bytes > MAX_CHAT_TEMPLATE_BYTES:
            out.append(
                problem(
                    rel,
                    Rule.hub_chat_template,
                    f"the chat template of {req.model} is {facts.chat_template_bytes:,} bytes; "
                    f"at most {MAX_CHAT_TEMPLATE_BYTES:,} are accepted (lm-eval copies it into "
                    "every result). Shorten it, or set use_chat_template: false",
                    parsed.line("use_chat_template"),
                    "use_chat_template",
                )
            )
        else:
            out += chat_template_render_problems(parsed, req, facts, base_facts)
    return out


def chat_template_render_problems(
    parsed: ParsedRequest, req: Request, facts: HubFacts, base_facts: HubFacts | None
) -> list[Problem]:
    """The chat template the runner will use, rendered once as lm-eval renders it, in a child
    process under a time, memory and output budget (``hub.chat_template``): a template that
    raises, never finishes or floods would fail every document on the GPU.

    The runner loads the tokenizer lm-eval loads: an Adapter's or Delta's is its base's.
    """
    tokenizer_of = facts
    if req.weight_type is not WeightType.original and base_facts is not None:
        tokenizer_of = base_facts
    try:
        why = chat_template.template_problem(tokenizer_of.model, tokenizer_of.sha)
    except chat_template.TemplateFailed as exc:  # ours, not the model's: check again
        return [problem(parsed.rel, Rule.hub_unavailable, f"{exc.reason}; run the check again")]
    if why is None:
        return []
    return [
        problem(
            parsed.rel,
            Rule.hub_chat_template,
            f"the chat template of {tokenizer_of.model} cannot be used: {why}. The runner "
            "renders it once per document; fix the template, or set use_chat_template: false",
            parsed.line("use_chat_template"),
            "use_chat_template",
        )
    ]


def _model_rules(
    ctx: Context,
    parsed: ParsedRequest,
    model: str,
    revision: str,
    field: str,
    req: Request,
    *,
    is_base: bool,
) -> tuple[HubFacts | None, list[Problem]]:
    """The rules every model passes (the model itself, or an Adapter's/Delta's base)."""
    rel = parsed.rel
    who = f"the base model {model}" if is_base else model
    line = parsed.line("base_model" if is_base else "model")
    fname = "base_model" if is_base else "model"
    try:
        facts = hub_facts.model_facts(model, revision)
    except errors.ModelNotFound as exc:
        message = f"{'base model: ' if is_base else ''}{exc}"
        return None, [problem(rel, exc.rule, message, line, fname)]
    except errors.RevisionNotFound as exc:
        return None, [problem(rel, exc.rule, str(exc), parsed.line(field), field)]
    except errors.HubError as exc:
        return None, [problem(rel, exc.rule, str(exc), line, fname)]
    out: list[Problem] = []
    if facts.private:
        out.append(
            problem(
                rel,
                Rule.hub_private,
                f"{who} is private on the Hub: make it public to submit it",
                line,
                fname,
            )
        )
    if facts.gated and not ctx.base_settings.allow_gated:
        out.append(
            problem(
                rel,
                Rule.hub_gated,
                f"{who} is gated on the Hub ({facts.gated}): the leaderboard only evaluates "
                "models anyone can download; remove the gate",
                line,
                fname,
            )
        )
    if facts.private or facts.gated:
        return facts, out
    adapter_itself = req.weight_type is WeightType.adapter and not is_base
    if adapter_itself:
        if not facts.is_adapter:
            out.append(
                problem(
                    rel,
                    Rule.hub_config,
                    f"weight_type is Adapter but {model} has no adapter_config.json: submit "
                    "the full model as Original or Delta, or upload the adapter's config",
                    parsed.line("weight_type"),
                    "weight_type",
                )
            )
    else:
        wrong = hub_facts.config_problem(model, facts.sha)
        if wrong:
            out.append(problem(rel, Rule.hub_config, f"{who}: {wrong}", line, fname))
    has_tokenizer = any(
        f in facts.files for f in ("tokenizer.json", "tokenizer_config.json", "tokenizer.model")
    )
    if not adapter_itself or has_tokenizer:
        wrong = hub_facts.tokenizer_problem(model, facts.sha)
        if wrong:
            out.append(problem(rel, Rule.hub_tokenizer, f"{who}: {wrong}", line, fname))
    if not facts.safetensors:
        pickles = f" (found {', '.join(facts.pickle_files[:3])})" if facts.pickle_files else ""
        out.append(
            problem(
                rel,
                Rule.hub_safetensors,
                f"{who} has no safetensors weights{pickles}: pickled weights can run code when "
                "loaded, so only .safetensors are evaluated. Convert them (e.g. "
                "`model.save_pretrained(dir, safe_serialization=True)`) and push",
                line,
                fname,
            )
        )
    if not is_base:
        out += _card_problems(ctx, parsed, facts, who)
    return facts, out


def _card_problems(ctx: Context, parsed: ParsedRequest, facts: HubFacts, who: str) -> list[Problem]:
    rel, line = parsed.rel, parsed.line("model")
    if not facts.has_card:
        return [
            problem(
                rel,
                Rule.hub_card,
                f"{who} has no model card (README.md): write one that says what the model is, "
                "how it was trained, and its license",
                line,
                "model",
            )
        ]
    out = []
    if not facts.license:
        out.append(
            problem(
                rel,
                Rule.hub_license,
                f"the model card of {who} declares no license the Hub knows: add `license: <id>` "
                "with an id from https://huggingface.co/docs/hub/repositories-licenses (or "
                "`license: other` with a kebab-case license_name and a license_link) to its YAML "
                "front matter",
                line,
                "model",
            )
        )
    minimum = ctx.base_settings.min_card_chars
    if facts.card_text_chars < minimum:
        out.append(
            problem(
                rel,
                Rule.hub_card,
                f"the model card of {who} has {facts.card_text_chars} characters of text; at least "
                f"{minimum} are needed: describe the model, its training data and its limits",
                line,
                "model",
            )
        )
    return out
