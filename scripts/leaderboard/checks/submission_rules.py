"""The submission rules: each a small function that returns located problems.

``checks.validate`` runs them: ``validate_changes`` on a pull request (its changes against a
base), ``check_new_request`` on one new request (``leaderboard submit`` calls it before writing
the file). The rules (the Hub's are in ``checks.hub_rules``):

1. ``needs-maintainer`` / ``submitter``: a submitter may only add request files, status PENDING,
   whose ``submitter`` is the pull request's author. Anything else needs a maintainer.
2. ``path``/``schema``/``yaml``/``size``/``encoding``: the file parses strictly, sits where its
   content says, and has no hostile name (see ``store.request_file``).
3. ``duplicate``: the same identity (model, sha, precision, chat template) exists already.
4. ``rate-limit``: at most N new requests per namespace per window, exempt organisations aside.
5. ``do-not-submit`` and ``hub-*``: the model (and base model) on the Hub, at the commit.

What each rule reads is bounded by what the change touches: the request folders of the models
in the pull request, one organisation's folder for the rate limit, and the curation files, so
validating stays fast at 100,000 requests. Settings, maintainers and lists always come from the
base: a pull request cannot vouch for itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from ..core.errors import ValidationFailed
from ..core.ids import REQUESTS_DIR, request_path
from ..core.models import Change, ChangeKind, Problem, Request, Status, iso_z
from ..core.models.change import problem
from ..core.rules import Rule
from ..store import git
from ..store.request_file import ParsedRequest
from ..store.scans import folders_ignoring_case, request_files_of
from ..store.yaml_strict import MAX_BYTES, parse_model
from .context import Context

#: How far in the future ``submitted_at`` may be (clocks differ).
CLOCK_SKEW = timedelta(minutes=15)
#: How far ``submitted_at`` may be from the time of the commit that adds the request.
SUBMITTED_AT_TOLERANCE = timedelta(minutes=60)
_RUNNER_FIELDS = ("runner", "started_at", "finished_at", "failure_reason", "log_url")


# --------------------------------------------------------------------------------------------
# Rule 1: who may change what
# --------------------------------------------------------------------------------------------


def submitter_problems(ctx: Context, parsed: ParsedRequest) -> list[Problem]:
    """A new request by a submitter: their own login, PENDING, no runner or maintainer fields."""
    req, rel = parsed.request, parsed.rel
    assert req is not None
    out = []
    if ctx.author and req.submitter.lower() != ctx.author.lower():
        out.append(
            problem(
                rel,
                Rule.submitter,
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
            problem(
                rel,
                Rule.needs_maintainer,
                f"a new request must not set '{name}': the runner and maintainers write it. "
                "Remove the field",
                parsed.line(name),
                name,
            )
        )
    out += date_problems(ctx, parsed)
    return out


def date_problems(
    ctx: Context, parsed: ParsedRequest, *, against_commit: bool = True
) -> list[Problem]:
    """``submitted_at`` is not in the future and, ``against_commit``, is within
    ``SUBMITTED_AT_TOLERANCE`` of the commit that added the file. Neither the rate limit nor
    the queue reads it (they count git's time on main), but the site shows it, so it must not
    lie either. A maintainer's request may be older than its commit (a rename, a migration)."""
    req, rel = parsed.request, parsed.rel
    assert req is not None
    line = parsed.line("submitted_at")
    if req.submitted_at > ctx.now + CLOCK_SKEW:
        message = (
            f"submitted_at {iso_z(req.submitted_at)} is in the future: use the current UTC time"
        )
        return [problem(rel, Rule.submitted_at, message, line, "submitted_at")]
    if ctx.commits is None or not against_commit:
        return []
    when = git.commit_time(ctx.commits[0], ctx.commits[1], rel, author=True)
    if when is None:
        return []
    committed = datetime.fromtimestamp(when, UTC)
    if abs(committed - req.submitted_at) <= SUBMITTED_AT_TOLERANCE:
        return []
    minutes = int(SUBMITTED_AT_TOLERANCE.total_seconds() // 60)
    message = (
        f"submitted_at {iso_z(req.submitted_at)} is not the time this file was committed "
        f"({iso_z(committed)}); they may differ by at most {minutes} minutes. Set "
        f"`submitted_at: '{iso_z(committed)}'` (the queue and the rate limit count the time "
        "the request reaches main, never this field)"
    )
    return [problem(rel, Rule.submitted_at, message, line, "submitted_at")]


def runner_field_problems(ctx: Context, parsed: ParsedRequest) -> list[Problem]:
    """A maintainer's new request past PENDING carries a coherent runner record: who ran it,
    when it started and finished, in that order, none of it in the future."""
    req, rel = parsed.request, parsed.rel
    assert req is not None
    out = []

    def bad(name: str, message: str) -> None:
        out.append(problem(rel, Rule.needs_maintainer, message, parsed.line(name), name))

    if req.attempts < 1:
        bad("attempts", f"a {req.status.value} request has run at least once: set attempts")
    for name in ("started_at", "finished_at"):
        value = getattr(req, name)
        if value is not None and value > ctx.now + CLOCK_SKEW:
            bad(name, f"{name} {iso_z(value)} is in the future")
    if req.status in (Status.finished, Status.failed):
        if req.finished_at is None or req.started_at is None or req.runner is None:
            bad(
                "finished_at",
                f"a {req.status.value} request needs runner, started_at and finished_at",
            )
        elif req.finished_at < req.started_at:
            bad("finished_at", "finished_at is before started_at")
    return out


def needs_maintainer(ctx: Context, change: Change, parsed: ParsedRequest | None) -> Problem:
    """The problem for a change only a maintainer may make, saying who must approve it."""
    rel = change.path
    if change.kind is ChangeKind.added and parsed and parsed.request:
        what = (
            f"a new request must have status PENDING, not {parsed.request.status.value}: only "
            "the runner moves a status forward"
        )
        return problem(
            rel,
            Rule.needs_maintainer,
            f"{what}. Ask {ctx.base_settings.maintainers_text()}",
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
    return problem(
        rel,
        Rule.needs_maintainer,
        f"this pull request {verb} {rel}, which only a maintainer may do: submitters may only "
        f"add new PENDING requests.{existing} "
        f"Approval needed from {ctx.base_settings.maintainers_text()}",
        1,
    )


def duplicate_problems(
    ctx: Context, parsed: ParsedRequest, others_in_pr: Iterable[Request]
) -> list[Problem]:
    """An existing request with the same identity (model, sha, precision, chat template), on the
    base in any spelling of the model or under any of its names, or elsewhere in the pull
    request; and a model the leaderboard already holds under another spelling."""
    req = parsed.request
    assert req is not None
    stem = f"{req.identity.stem}.yaml"
    found = []
    for model in same_model_names(ctx, req.model):
        org, name = model.split("/")
        for rel in request_files_of(ctx.base_folders, org, name):
            if rel.rpartition("/")[2] == stem and rel != parsed.rel and rel not in ctx.changed:
                found.append(rel)
    others = [o for o in others_in_pr if o is not req]
    for other in others:
        if other.identity.stem == req.identity.stem and other.model.lower() == req.model.lower():
            found.append(request_path(other.identity))
    out = [
        problem(
            parsed.rel,
            Rule.duplicate,
            f"this request already exists: {rel} asks for {req.model} at {req.revision[:12]}… in "
            f"{req.precision.value} {'with' if req.use_chat_template else 'without'} chat template "
            "(in any status it counts). If it FAILED, ask a maintainer to relaunch it",
            parsed.line("model"),
            "model",
        )
        for rel in found
    ]
    return out + spelling_problems(ctx, parsed, others)


def spelling_problems(ctx: Context, parsed: ParsedRequest, others: list[Request]) -> list[Problem]:
    """A model id that differs only in case from one the base (or the pull request) holds.

    The Hub ignores case, so both are one model; the site would give it two rows and publish
    their two pages at what is one address for a case-insensitive reader, so that one of them
    (possibly the real one) answers 404."""
    req = parsed.request
    assert req is not None
    org, name = req.model.split("/")
    spelled = {
        f"{o}/{n}"
        for o in folders_ignoring_case(ctx.base_folders, REQUESTS_DIR, org)
        for n in folders_ignoring_case(ctx.base_folders, f"{REQUESTS_DIR}/{o}", name)
        if any(
            f"{REQUESTS_DIR}/{o}/{n}/{f}" not in ctx.changed
            for f in ctx.base_folders.files(f"{REQUESTS_DIR}/{o}/{n}")
        )
    }
    on_base = spelled - {req.model}
    # Two new spellings: each is told of the other; the base's spelling is never the wrong one.
    in_pr = set() if spelled else {o.model for o in others if o.model.lower() == req.model.lower()}
    in_pr -= {req.model}
    return [
        problem(
            parsed.rel,
            Rule.model_case,
            f"{req.model} is {where} spelled {other}: Hub ids ignore case, so the two are one "
            "model, and two spellings would split its rows and make one of its pages answer "
            f"404. Write `model: {other}` and put the file under {REQUESTS_DIR}/{other}/",
            parsed.line("model"),
            "model",
        )
        for spellings, where in (
            (on_base, "already on the leaderboard"),
            (in_pr, "also in this pull request"),
        )
        for other in sorted(spellings)
    ]


def same_model_names(ctx: Context, model: str) -> list[str]:
    """``model`` and every name the base's renames give the same model (lowercase): a request
    for a renamed model's old name at the same commit is the same request."""
    try:
        renames = ctx.base.renames().renames
    except ValidationFailed:
        renames = []  # a broken renames file on the base: only the name itself
    new_of = {r.old.lower(): r.new.lower() for r in renames}
    current, seen = model.lower(), {model.lower()}
    while current in new_of and new_of[current] not in seen:
        current = new_of[current]
        seen.add(current)
    names = {current}
    grew = True
    while grew:  # every old name that leads to the current one
        more = {old for old, new in new_of.items() if new in names} - names
        names |= more
        grew = bool(more)
    return sorted(names | seen)


def exempt_orgs(ctx: Context) -> set[str]:
    choice = ctx.base.maintainers_choice().organisations
    return {o.lower() for o in [*ctx.base_settings.rate_limit.exempt, *choice]}


def rate_limit_problems(ctx: Context, new: list[ParsedRequest]) -> list[Problem]:
    """At most N new requests per namespace per window, counting this pull request's too.

    A request on the base counts from the time git added it there (the merge or push onto
    main), not from its ``submitted_at``, which a submitter could backdate.
    """
    limit = ctx.base_settings.rate_limit
    exempt = exempt_orgs(ctx)
    window_start = ctx.now - timedelta(days=limit.days)
    by_org: dict[str, list[ParsedRequest]] = {}
    for parsed in new:
        assert parsed.request is not None
        org = parsed.request.model.split("/")[0].lower()
        if org not in exempt:
            by_org.setdefault(org, []).append(parsed)
    out = []
    new_paths = {p.rel for p in new}
    for org, items in by_org.items():
        rels = [
            rel
            for rel in request_files_of(ctx.base_folders, org)
            if rel not in new_paths and rel not in ctx.changed
        ]
        times = sorted(
            t for t in arrival_times(ctx, rels) if window_start <= t <= ctx.now + CLOCK_SKEW
        )
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
                problem(
                    parsed.rel,
                    Rule.rate_limit,
                    f"the namespace '{org}' already has {len(times) + k - 1} request(s) in the "
                    f"last {limit.days} days; at most {limit.per_namespace} are allowed: {when}. "
                    "(Organisations can ask maintainers to be exempt)",
                    parsed.line("model"),
                    "model",
                )
            )
    return out


def arrival_times(ctx: Context, rels: list[str]) -> list[datetime]:
    """When each request reached the base: git's time. Where git cannot tell (outside git, or
    beyond a shallow clone's history), the file's own date is all there is."""
    added: dict[str, int] = {}
    if ctx.history is not None:
        added = git.added_at(ctx.history[0], rels, ctx.history[1])
    out = [datetime.fromtimestamp(t, UTC) for t in added.values()]
    for rel in (r for r in rels if r not in added):
        raw = ctx.base_folders.read(rel, MAX_BYTES)
        if raw is None:
            continue
        try:
            out.append(parse_model(Request, rel, raw).submitted_at)
        except ValidationFailed:
            continue  # a broken file on the base is not this pull request's to answer for
    return out
