"""The submission rules: each a small function that returns located problems.

:func:`validate_changes` judges a pull request (its changes against a base);
:func:`check_new_request` judges one new request (``leaderboard submit`` calls it before
writing the file). The rules:

1. ``needs-maintainer`` / ``submitter``: a submitter may only add request files, status PENDING,
   whose ``submitter`` is the pull request's author. Anything else needs a maintainer.
2. ``path``/``schema``/``yaml``/``size``/``encoding``: the file parses strictly, sits where its
   content says, and has no hostile name (see ``yamlio`` and ``repo``).
3. ``duplicate``: the same identity (model, sha, precision, chat template) exists already.
4. ``rate-limit``: at most N new requests per namespace per window, exempt organisations aside.
5. ``do-not-submit`` and ``hub-*``: the model (and base model) on the Hub, at the commit.

What each rule reads is bounded by what the change touches: the request folders of the models
in the pull request, one organisation's folder for the rate limit, and the curation files, so
validating stays fast at 100,000 requests. Settings, maintainers and lists always come from the
base: a pull request cannot vouch for itself.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from pydantic import ValidationError as PydanticValidationError

from . import hub
from .repo import (
    CURATION_DIR,
    REQUESTS_DIR,
    Repo,
    is_safe_relpath,
    parse_request_path,
    path_problems,
    request_path,
)
from .schema import (
    HUB_PART_RE,
    Change,
    ChangeKind,
    HubFacts,
    Precision,
    Problem,
    Request,
    Settings,
    Status,
    ValidationFailed,
    WeightType,
    utcnow,
)
from .yamlio import MAX_BYTES, KeyPath, load_yaml, problems_from_pydantic

try:  # the curation helper's rules for maintainers' changes; absent in a bare checkout
    from . import curation_rules
except ImportError:  # pragma: no cover - exercised only where curation is not installed
    curation_rules = None  # type: ignore[assignment]

#: How far in the future ``submitted_at`` may be (clocks differ).
CLOCK_SKEW = timedelta(minutes=15)
_SUBMITTED_AT_RE = re.compile(rb"^submitted_at:\s*['\"]?([0-9T:.+\-Z ]+?)['\"]?\s*$", re.M)
_RUNNER_FIELDS = ("runner", "started_at", "finished_at", "failure_reason", "log_url")


@dataclass
class Context:
    """Everything the rules read: the pull request's tree, the base's view and its settings."""

    head: Repo
    base: Repo
    author: str | None = None
    now: datetime = field(default_factory=utcnow)
    hub: bool = True
    settings: Settings = field(init=False)
    maintainers: list[str] = field(init=False)
    #: Paths the pull request changed: the head's copy of these is not the base's.
    changed: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.settings = self.base.settings()
        self.maintainers = list(self.settings.maintainers)

    def is_maintainer(self, login: str | None) -> bool:
        return bool(login) and login.lower() in {m.lower() for m in self.maintainers}

    def maintainers_text(self) -> str:
        names = ", ".join(f"@{m}" for m in self.maintainers)
        return names or "a maintainer (none is listed in curation/settings.yaml)"


@dataclass
class Outcome:
    """The problems found, and what kind of change each judged file is (for the comment)."""

    problems: list[Problem] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=dict)
    checked: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Reading a request from the pull request, with line numbers
# --------------------------------------------------------------------------------------------


@dataclass
class Parsed:
    rel: str
    request: Request | None
    lines: dict[KeyPath, int]
    problems: list[Problem]

    def line(self, name: str) -> int | None:
        return self.lines.get((name,))


def parse_request_file(repo: Repo, rel: str) -> Parsed:
    """Strictly parse a request file: path shape, symlinks, size, YAML, schema, path ↔ content.

    A misplaced file is still read, so that one run reports everything to fix (and the path
    problem can name the exact path the content calls for).
    """
    if not is_safe_relpath(rel) or any(not c.isprintable() for c in rel):
        message = "hostile or malformed path: use requests/<org>/<model>/<file>.yaml"
        return Parsed(rel, None, {}, [_p(_printable(rel), "path", message)])
    shape = _path_shape_problems(rel)
    file = repo.root / rel
    if file.is_symlink() or not file.is_file() or not rel.endswith(".yaml"):
        return Parsed(
            rel, None, {}, shape or [_p(rel, "path", "must be a regular file, not a link")]
        )
    with file.open("rb") as fh:
        data = fh.read(MAX_BYTES + 1)
    try:
        value, lines = load_yaml(rel, data)
    except ValidationFailed as exc:
        return Parsed(rel, None, {}, shape + exc.problems)
    if not isinstance(value, dict):
        message = "must be a YAML mapping of field: value"
        return Parsed(rel, None, lines, [*shape, _p(rel, "schema", message, 1)])
    try:
        request = Request.model_validate(value)
    except PydanticValidationError as exc:
        return Parsed(rel, None, lines, shape + problems_from_pydantic(rel, exc, lines))
    return Parsed(rel, request, lines, path_problems(rel, request))


def _path_shape_problems(rel: str) -> list[Problem]:
    parts = parse_request_path(rel)
    if parts is None:
        return [
            _p(
                rel,
                "path",
                "not a request file path: requests go to "
                "requests/<org>/<model>/<40-hex sha>_<precision>_<chat|nochat>.yaml "
                "(`leaderboard submit` writes it for you)",
            )
        ]
    org, name = parts.model.split("/")
    if not (HUB_PART_RE.fullmatch(org) and HUB_PART_RE.fullmatch(name)):
        return [_p(rel, "path", f"{parts.model!r} in the path is not a valid Hub model id")]
    return []


def _printable(rel: str) -> str:
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in rel)[:200]


def _p(
    path: str, rule: str, message: str, line: int | None = None, field: str | None = None
) -> Problem:
    return Problem(path=path, line=line, field=field, rule=rule, message=message)


# --------------------------------------------------------------------------------------------
# Rule 1: who may change what
# --------------------------------------------------------------------------------------------


def submitter_problems(ctx: Context, parsed: Parsed) -> list[Problem]:
    """A new request by a submitter: their own login, PENDING, no runner or maintainer fields."""
    req, rel = parsed.request, parsed.rel
    assert req is not None
    out = []
    if ctx.author and req.submitter.lower() != ctx.author.lower():
        out.append(
            _p(
                rel,
                "submitter",
                f"submitter is {req.submitter!r} but the pull request is by {ctx.author!r}: set "
                f"`submitter: {ctx.author}` (you may only submit in your own name)",
                parsed.line("submitter"),
                "submitter",
            )
        )
    touched = [f for f in _RUNNER_FIELDS if getattr(req, f) is not None]
    touched += [f for f in ("relaunches",) if getattr(req, f)]
    touched += [f for f in ("removed",) if getattr(req, f) is not None]
    touched += ["attempts"] if req.attempts else []
    for name in touched:
        out.append(
            _p(
                rel,
                "needs-maintainer",
                f"a new request must not set '{name}': the runner and maintainers write it. "
                "Remove the field",
                parsed.line(name),
                name,
            )
        )
    if req.submitted_at > ctx.now + CLOCK_SKEW:
        out.append(
            _p(
                rel,
                "submitted-at",
                f"submitted_at {req.submitted_at:%Y-%m-%dT%H:%M:%SZ} is in the future: use the "
                "current UTC time",
                parsed.line("submitted_at"),
                "submitted_at",
            )
        )
    return out


def needs_maintainer(ctx: Context, change: Change, parsed: Parsed | None) -> Problem:
    """The problem for a change only a maintainer may make, saying who must approve it."""
    rel = change.path
    if change.kind is ChangeKind.added and parsed and parsed.request:
        what = (
            f"a new request must have status PENDING, not {parsed.request.status.value}: only "
            "the runner moves a status forward"
        )
        return _p(
            rel,
            "needs-maintainer",
            f"{what}. Ask {ctx.maintainers_text()}",
            parsed.line("status"),
            "status",
        )
    verb = {
        ChangeKind.modified: "changes",
        ChangeKind.deleted: "deletes",
        ChangeKind.renamed: f"moves {change.old_path} to",
        ChangeKind.added: "adds",
    }[change.kind]
    existing = ""
    if change.kind is ChangeKind.modified and rel.startswith(f"{REQUESTS_DIR}/"):
        existing = (
            " A request with this identity already exists: to evaluate it again, ask a "
            "maintainer for a relaunch; to submit a new commit, resolve the new sha with "
            "`leaderboard submit`."
        )
    return _p(
        rel,
        "needs-maintainer",
        f"this pull request {verb} {rel}, which only a maintainer may do: submitters may only "
        f"add new PENDING requests.{existing} Approval needed from {ctx.maintainers_text()}",
        1,
    )


# --------------------------------------------------------------------------------------------
# Rules 3 and 4: duplicates and the rate limit (read the base, bounded by what changed)
# --------------------------------------------------------------------------------------------


def _folders_ci(parent: Path, name: str) -> list[str]:
    """Entries of ``parent`` equal to ``name`` ignoring case: Hub ids are case-insensitive."""
    try:
        with os.scandir(parent) as it:
            return [e.name for e in it if e.name.lower() == name.lower() and e.is_dir()]
    except (FileNotFoundError, NotADirectoryError):
        return []


def duplicate_problems(
    ctx: Context, parsed: Parsed, others_in_pr: Iterable[Request]
) -> list[Problem]:
    """An existing request with the same identity (model, sha, precision, chat template)."""
    req = parsed.request
    assert req is not None
    org, name = req.model.split("/")
    stem = f"{req.identity.stem}.yaml"
    root = ctx.head.root / REQUESTS_DIR
    found = []
    for o in _folders_ci(root, org):
        for n in _folders_ci(root / o, name):
            rel = f"{REQUESTS_DIR}/{o}/{n}/{stem}"
            if rel != parsed.rel and rel not in ctx.changed and (root / o / n / stem).is_file():
                found.append(rel)
    for other in others_in_pr:
        if (
            other is not req
            and other.identity.stem == req.identity.stem
            and other.model.lower() == req.model.lower()
        ):
            found.append(request_path(other.identity))
    return [
        _p(
            parsed.rel,
            "duplicate",
            f"this request already exists: {rel} asks for {req.model} at {req.revision[:12]}… in "
            f"{req.precision.value} {'with' if req.use_chat_template else 'without'} chat template "
            "(in any status it counts). If it FAILED, ask a maintainer to relaunch it",
            parsed.line("model"),
            "model",
        )
        for rel in found
    ]


def exempt_orgs(ctx: Context) -> set[str]:
    choice = ctx.base.maintainers_choice().organisations
    return {o.lower() for o in [*ctx.settings.rate_limit.exempt, *choice]}


def rate_limit_problems(ctx: Context, new: list[Parsed]) -> list[Problem]:
    """At most N new requests per namespace per window, counting this pull request's too."""
    limit = ctx.settings.rate_limit
    exempt = exempt_orgs(ctx)
    window_start = ctx.now - timedelta(days=limit.days)
    by_org: dict[str, list[Parsed]] = {}
    for parsed in new:
        assert parsed.request is not None
        org = parsed.request.model.split("/")[0].lower()
        if org not in exempt:
            by_org.setdefault(org, []).append(parsed)
    out = []
    root = ctx.head.root / REQUESTS_DIR
    new_paths = {p.rel for p in new}
    for org, items in by_org.items():
        times = []
        for folder in _folders_ci(root, org):
            for model in _folders_ci_all(root / folder):
                for file in _yaml_files(root / folder / model):
                    rel = f"{REQUESTS_DIR}/{folder}/{model}/{file.name}"
                    if rel in new_paths or rel in ctx.changed:
                        continue
                    t = _submitted_at(file)
                    if t is not None and window_start <= t <= ctx.now + CLOCK_SKEW:
                        times.append(t)
        times.sort()
        for k, parsed in enumerate(sorted(items, key=lambda p: p.rel), start=1):
            over = len(times) + k - limit.per_namespace
            if over <= 0:
                continue
            opens = times[over - 1] + timedelta(days=limit.days) if over <= len(times) else None
            when = (
                f"the next slot opens at {opens:%Y-%m-%d %H:%M} UTC"
                if opens
                else "this pull request alone has more; split it up"
            )
            out.append(
                _p(
                    parsed.rel,
                    "rate-limit",
                    f"the namespace '{org}' already has {len(times) + k - 1} request(s) in the "
                    f"last {limit.days} days; at most {limit.per_namespace} are allowed: {when}. "
                    "(Organisations can ask maintainers to be exempt)",
                    parsed.line("model"),
                    "model",
                )
            )
    return out


def _folders_ci_all(folder: Path) -> list[str]:
    try:
        return [e.name for e in os.scandir(folder) if e.is_dir()]
    except (FileNotFoundError, NotADirectoryError):
        return []


def _yaml_files(folder: Path) -> list[Path]:
    try:
        return [
            Path(e.path) for e in os.scandir(folder) if e.name.endswith(".yaml") and e.is_file()
        ]
    except (FileNotFoundError, NotADirectoryError):
        return []


def _submitted_at(file: Path) -> datetime | None:
    with file.open("rb") as fh:
        match = _SUBMITTED_AT_RE.search(fh.read(MAX_BYTES))
    if not match:
        return None
    try:
        return datetime.fromisoformat(match.group(1).decode().strip().replace("Z", "+00:00"))
    except ValueError:
        return None


# --------------------------------------------------------------------------------------------
# Rule 5: the do-not-submit list and the Hub
# --------------------------------------------------------------------------------------------


def do_not_submit_problems(ctx: Context, parsed: Parsed) -> list[Problem]:
    req = parsed.request
    assert req is not None
    listed = {e.model.lower(): e for e in ctx.base.do_not_submit().models}
    out = []
    for fname, model in (("model", req.model), ("base_model", req.base_model)):
        if model and model.lower() in listed:
            entry = listed[model.lower()]
            whose = "this model" if fname == "model" else f"its base model {model}"
            out.append(
                _p(
                    parsed.rel,
                    "do-not-submit",
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


def hub_problems(ctx: Context, parsed: Parsed) -> list[Problem]:
    """Every Hub rule for one request; an unreachable Hub is one ``hub-unavailable`` problem."""
    req = parsed.request
    assert req is not None
    rel = parsed.rel
    try:
        return _hub_rules(ctx, parsed, req)
    except hub.HubUnavailable as exc:
        return [
            _p(rel, "hub-unavailable", f"{exc} (run the check again; nothing needs fixing yet)")
        ]


def _hub_rules(ctx: Context, parsed: Parsed, req: Request) -> list[Problem]:
    rel = parsed.rel
    out: list[Problem] = []
    base_facts: HubFacts | None = None
    if req.base_model and req.weight_type is not WeightType.original:
        base_facts, base_out = _model_rules(
            ctx, parsed, req.base_model, "main", "base_model", req, is_base=True
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
        limit = ctx.settings.size_limits_b.get(req.precision)
        if params is None:
            out.append(
                _p(
                    rel,
                    "hub-size",
                    f"the size of {sized.model} is unknown: its safetensors metadata gives no "
                    "parameter count (save the weights as model.safetensors or a sharded "
                    "model.safetensors.index.json)",
                    parsed.line("model"),
                    "model",
                )
            )
        elif limit is not None and params / 1e9 > limit:
            out.append(
                _p(
                    rel,
                    "hub-size",
                    f"{sized.model} has {params / 1e9:.1f}B parameters; the limit for "
                    f"{req.precision.value} is {limit:g}B. Choose a smaller precision "
                    "(8bit allows 280B, 4bit 560B) or a smaller model",
                    parsed.line("precision"),
                    "precision",
                )
            )
    if req.use_chat_template:
        has = facts.has_chat_template or bool(
            req.weight_type is WeightType.adapter and base_facts and base_facts.has_chat_template
        )
        if not has:
            out.append(
                _p(
                    rel,
                    "hub-chat-template",
                    f"use_chat_template is true but {req.model} has no chat template (in "
                    "tokenizer_config.json or chat_template.jinja): add one, or set "
                    "use_chat_template: false",
                    parsed.line("use_chat_template"),
                    "use_chat_template",
                )
            )
    return out


def _model_rules(
    ctx: Context,
    parsed: Parsed,
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
        facts = hub.model_facts(model, revision)
    except hub.ModelNotFound as exc:
        return None, [_p(rel, exc.rule, f"{'base model: ' if is_base else ''}{exc}", line, fname)]
    except hub.RevisionNotFound as exc:
        return None, [_p(rel, exc.rule, str(exc), parsed.line(field), field)]
    except hub.HubError as exc:
        return None, [_p(rel, exc.rule, str(exc), line, fname)]
    out: list[Problem] = []
    if facts.private:
        out.append(
            _p(
                rel,
                "hub-private",
                f"{who} is private on the Hub: make it public to submit it",
                line,
                fname,
            )
        )
    if facts.gated and not ctx.settings.allow_gated:
        out.append(
            _p(
                rel,
                "hub-gated",
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
                _p(
                    rel,
                    "hub-config",
                    f"weight_type is Adapter but {model} has no adapter_config.json: submit "
                    "the full model as Original or Delta, or upload the adapter's config",
                    parsed.line("weight_type"),
                    "weight_type",
                )
            )
    else:
        problem = hub.config_problem(model, facts.sha)
        if problem:
            out.append(_p(rel, "hub-config", f"{who}: {problem}", line, fname))
    has_tokenizer = any(
        f in facts.files for f in ("tokenizer.json", "tokenizer_config.json", "tokenizer.model")
    )
    if not adapter_itself or has_tokenizer:
        problem = hub.tokenizer_problem(model, facts.sha)
        if problem:
            out.append(_p(rel, "hub-tokenizer", f"{who}: {problem}", line, fname))
    if not facts.safetensors:
        pickles = f" (found {', '.join(facts.pickle_files[:3])})" if facts.pickle_files else ""
        out.append(
            _p(
                rel,
                "hub-safetensors",
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


def _card_problems(ctx: Context, parsed: Parsed, facts: HubFacts, who: str) -> list[Problem]:
    rel, line = parsed.rel, parsed.line("model")
    if not facts.has_card:
        return [
            _p(
                rel,
                "hub-card",
                f"{who} has no model card (README.md): write one that says what the model is, "
                "how it was trained, and its license",
                line,
                "model",
            )
        ]
    out = []
    if not facts.license:
        out.append(
            _p(
                rel,
                "hub-license",
                f"the model card of {who} declares no license: add `license: <id>` (or "
                "`license: other` with license_name and license_link) to its YAML front matter",
                line,
                "model",
            )
        )
    minimum = ctx.settings.min_card_chars
    if facts.card_text_chars < minimum:
        out.append(
            _p(
                rel,
                "hub-card",
                f"the model card of {who} has {facts.card_text_chars} characters of text; at least "
                f"{minimum} are needed: describe the model, its training data and its limits",
                line,
                "model",
            )
        )
    return out


# --------------------------------------------------------------------------------------------
# One new request, and a whole pull request
# --------------------------------------------------------------------------------------------


def check_new_request(
    ctx: Context, parsed: Parsed, others_in_pr: list[Request] | None = None
) -> list[Problem]:
    """Rules 3 to 5 for one parsed new request (rules 1 and 2 are the caller's)."""
    others = others_in_pr or []
    out = duplicate_problems(ctx, parsed, others)
    out += do_not_submit_problems(ctx, parsed)
    if ctx.hub and not out:
        out += hub_problems(ctx, parsed)
    return out


def validate_changes(ctx: Context, changes: list[Change]) -> Outcome:
    """Judge a pull request's changes. Settings and maintainers come from ``ctx.base``."""
    outcome = Outcome()
    ctx.changed = {c.path for c in changes} | {c.old_path for c in changes if c.old_path}
    maintainer = ctx.is_maintainer(ctx.author)
    submissions: list[Parsed] = []
    others: list[Change] = []
    for change in changes:
        outcome.checked.append(change.path)
        if change.kind is ChangeKind.added and change.path.startswith(f"{REQUESTS_DIR}/"):
            parsed = parse_request_file(ctx.head, change.path)
            if parsed.request is None or parsed.request.status is Status.pending:
                # A new request: a broken one gets its parse problems, a sound one every rule.
                outcome.kinds[change.path] = "submission"
                outcome.problems += parsed.problems
                if parsed.request is not None and not parsed.problems:
                    submissions.append(parsed)
                    if not maintainer:
                        outcome.problems += submitter_problems(ctx, parsed)
                continue
        others.append(change)
    if others:
        outcome.problems += _other_changes(ctx, others, maintainer, outcome)
    requests = [p.request for p in submissions if p.request is not None]
    for parsed in submissions:
        outcome.problems += check_new_request(ctx, parsed, requests)
    outcome.problems += rate_limit_problems(ctx, submissions)
    return outcome


def _other_changes(
    ctx: Context, changes: list[Change], maintainer: bool, outcome: Outcome
) -> list[Problem]:
    """Changes that are not plain submissions: a maintainer's curation, or needs-maintainer."""
    if not maintainer:
        out = []
        for change in changes:
            parsed = None
            if change.kind is ChangeKind.added and change.path.startswith(f"{REQUESTS_DIR}/"):
                parsed = parse_request_file(ctx.head, change.path)
            outcome.kinds[change.path] = "needs-maintainer"
            out.append(needs_maintainer(ctx, change, parsed))
        return out
    kind = "curation"
    if curation_rules is not None:
        kind = curation_rules.classify(changes, ctx.base, ctx.head)
        problems = curation_rules.check_change(ctx.base, ctx.head, changes, ctx.author or "")
        # A changed request's schema problems were already reported when it was parsed above.
        problems = [p for p in problems if p not in outcome.problems]
    else:
        problems = _schema_only(ctx, changes)
    for change in changes:
        outcome.kinds[change.path] = kind
    return problems


def _schema_only(ctx: Context, changes: list[Change]) -> list[Problem]:
    """Without the curation rules, a maintainer's change is accepted once its files parse."""
    from .repo import CURATION_FILES, CURATION_PATHS
    from .yamlio import read_model

    out = []
    for change in changes:
        if change.kind is ChangeKind.deleted:
            continue
        if change.path.startswith(f"{REQUESTS_DIR}/"):
            out += parse_request_file(ctx.head, change.path).problems
        elif change.path in CURATION_PATHS:
            model = CURATION_FILES[CURATION_PATHS[change.path]][1]
            try:
                read_model(model, ctx.head.root / change.path, change.path)
            except ValidationFailed as exc:
                out += exc.problems
        elif change.path.startswith(f"{CURATION_DIR}/"):
            out.append(
                _p(
                    change.path,
                    "path",
                    f"not a curation file; known: {', '.join(sorted(CURATION_PATHS))}",
                )
            )
    return out
