"""The leaderboard table ("contents"): one row per evaluated model, precision, sha and chat
template setting.

A row joins the request, the latest attempt's result with its scores, the Hub facts recorded at
evaluation time and the curation files (flags, maintainer's choice, renames). Column names are
the Open LLM Leaderboard's public ones, so scripts written for its ``contents`` dataset keep
working; benchmark columns come from the configured suite, never from a fixed list.
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError as PydanticValidationError

from .repo import Repo
from .schema import (
    TYPE_EMOJI,
    ColumnKind,
    Flag,
    FlagCategory,
    HubFacts,
    LeaderboardError,
    ModelType,
    Problem,
    Provenance,
    QueueEntry,
    Request,
    Status,
    TableColumn,
    ValidationFailed,
)

#: The Open LLM Leaderboard's CO₂ estimate: an 8×H100 node's 5.6 kW at 0.2698 kg CO₂ per kWh.
NODE_KW = 5.6
KG_CO2_PER_KWH = 0.2698

#: Size presets of the later Open LLM Leaderboard UI, in billions of parameters: [low, high).
SIZE_CLASSES: list[tuple[str, float, float]] = [
    ("Edge", 0.0, 3.0),
    ("Consumer", 3.0, 7.0),
    ("Mid-range", 7.0, 65.0),
    ("GPU-rich", 65.0, float("inf")),
]

AVERAGE = "Average ⬆️"

_RESULT_RE = re.compile(
    r"^(?P<sha>[0-9a-f]{40})_(?P<precision>[^_]+)_(?P<chat>chat|nochat)_(?P<suite>[a-z0-9_-]+)"
    r"_attempt-(?P<attempt>[0-9]+)\.json$"
)

Scorer = Callable[[dict[str, Any], Any], dict[str, float]]


def _c(name: str, kind: ColumnKind, description: str, **kw: Any) -> TableColumn:
    return TableColumn(name=name, kind=kind, description=description, **kw)


T, N, B, D = ColumnKind.text, ColumnKind.number, ColumnKind.boolean, ColumnKind.date

_HEAD = [
    _c(
        "eval_name",
        T,
        "Unique id of the row: org_model_precision_sha7_chat|nochat.",
        nullable=False,
        hidden=True,
    ),
    _c(
        "T",
        T,
        "Type emoji: 🟢 pretrained, 🟩 continuously pretrained, 🔶 fine-tuned, 💬 chat, "
        "🤝 merge, 🌸 multimodal.",
        nullable=False,
    ),
    _c("Model", T, "The model's Hub id (after any rename).", nullable=False),
    _c(
        "fullname",
        T,
        "The model's Hub id, 'org/name' (same as Model; kept for existing scripts).",
        nullable=False,
        hidden=True,
    ),
]
_TAIL = [
    _c("Type", T, "Model type as declared by the submitter.", nullable=False, hidden=True),
    _c("Architecture", T, "Architectures from the model's config.json.", hidden=True),
    _c("Weight type", T, "Original, Adapter or Delta.", nullable=False, hidden=True),
    _c(
        "Precision",
        T,
        "Precision of the evaluation: float16, bfloat16, 8bit, 4bit, gptq.",
        nullable=False,
    ),
    _c("Merged", B, "A merge (declared type, or tags of the card).", nullable=False, hidden=True),
    _c("Hub License", T, "License from the model card.", hidden=True),
    _c("#Params (B)", N, "Parameters in billions, from the safetensors metadata.", group="hub"),
    _c("Hub ❤️", N, "Likes on the Hub when the model was evaluated.", group="hub", hidden=True),
    _c(
        "Available on the hub",
        B,
        "Whether the Hub still had the model at evaluation time.",
        group="hub",
        nullable=False,
        hidden=True,
    ),
    _c("Model sha", T, "The evaluated commit (40 hex).", nullable=False, hidden=True),
    _c(
        "Flagged",
        B,
        "Flagged by maintainers or automatically (undeclared merge).",
        group="curation",
        nullable=False,
        hidden=True,
    ),
    _c("MoE", B, "Mixture of experts, from the card's tags.", nullable=False, hidden=True),
    _c("Submission Date", D, "When the request was submitted (UTC).", nullable=False, hidden=True),
    _c(
        "Upload To Hub Date",
        D,
        "When the model repository was created on the Hub.",
        group="hub",
        hidden=True,
    ),
    _c(
        "Chat Template",
        B,
        "Evaluated with the tokenizer's chat template.",
        nullable=False,
        hidden=True,
    ),
    _c(
        "Maintainer's Highlight",
        B,
        "The organisation is on the maintainer's choice list.",
        group="curation",
        nullable=False,
        hidden=True,
    ),
    _c(
        "Generation",
        N,
        "0 for a model without a base model, else one more than its base.",
        hidden=True,
    ),
    _c("Base Model", T, "The base model (the model itself when it has none).", hidden=True),
    _c(
        "CO₂ cost (kg)",
        N,
        "Estimate: 5.6 kW × evaluation hours × 0.2698 kg/kWh (the Open LLM Leaderboard's formula).",
        hidden=True,
    ),
    # Our additions: what the Hugging Face table could not say.
    _c("Flag category", T, "Why the row is flagged.", group="curation", hidden=True),
    _c("Flag discussion", T, "Link to the discussion of the flag.", group="curation", hidden=True),
    _c(
        "Aliases",
        T,
        "Former names of the model (renames), comma-separated.",
        group="curation",
        hidden=True,
    ),
    _c(
        "Size class",
        T,
        "Edge (<3B), Consumer (3–7B), Mid-range (7–65B), GPU-rich (65B+).",
        hidden=True,
    ),
    _c("Rank in type", N, "Rank by average among unflagged rows of the same type.", hidden=True),
    _c(
        "Rank in size class",
        N,
        "Rank by average among unflagged rows of the same size class.",
        hidden=True,
    ),
    _c(
        "Submitter",
        T,
        "GitHub login of the submitter.",
        group="provenance",
        nullable=False,
        hidden=True,
    ),
    _c(
        "Request file",
        T,
        "Path of the request file in the repository.",
        group="provenance",
        nullable=False,
        hidden=True,
    ),
    _c(
        "Result file",
        T,
        "Path of the result file in the repository.",
        group="provenance",
        nullable=False,
        hidden=True,
    ),
    _c(
        "Attempt",
        N,
        "Which attempt produced the result.",
        group="provenance",
        nullable=False,
        hidden=True,
    ),
    _c("Suite", T, "Benchmark suite.", group="provenance", nullable=False, hidden=True),
    _c("Suite version", T, "Version of the suite definition.", group="provenance", hidden=True),
    _c(
        "lm-eval version", T, "lm-evaluation-harness version used.", group="provenance", hidden=True
    ),
    _c("Evaluated at", D, "When the evaluation finished (UTC).", group="provenance", hidden=True),
    _c(
        "Reproduce",
        T,
        "The plain lm_eval command that reproduces the result.",
        group="provenance",
        hidden=True,
    ),
    _c("Details", T, "Where the per-sample outputs are.", group="provenance", hidden=True),
]


def columns(suite: Any) -> list[TableColumn]:
    """The table's columns for a suite, in display order."""
    scores = [_c(AVERAGE, N, "Mean of the normalized benchmark scores.", group="score")]
    for bench in suite.benchmarks:
        desc = getattr(bench, "description", None) or f"{bench.column}, normalized (0–100)."
        scores.append(_c(bench.column, N, desc, group="score"))
    for bench in suite.benchmarks:
        scores.append(
            _c(
                f"{bench.column} Raw",
                N,
                f"{bench.column}, raw metric (0–1).",
                group="raw",
                hidden=True,
            )
        )
    return [*_HEAD, *scores, *_TAIL]


def eval_name(model: str, precision: str, sha: str, chat: bool) -> str:
    return f"{model.replace('/', '_')}_{precision}_{sha[:7]}_{'chat' if chat else 'nochat'}"


def size_class(params_b: float | None) -> str | None:
    if params_b is None:
        return None
    return next(name for name, lo, hi in SIZE_CLASSES if lo <= params_b < hi)


@dataclass
class Curation:
    """The curation files, indexed for joining."""

    flags: dict[str, list[Flag]] = field(default_factory=dict)
    choice: set[str] = field(default_factory=set)
    #: old name → current name, resolved through chains (a→b, b→c gives a→c).
    renamed_to: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, repo: Repo) -> Curation:
        direct = {r.old: r.new for r in repo.renames().renames}
        renamed_to: dict[str, str] = {}
        for old in direct:
            new, seen = direct[old], {old}
            while new in direct and new not in seen:
                seen.add(new)
                new = direct[new]
            renamed_to[old] = new
        aliases: dict[str, list[str]] = defaultdict(list)
        for old, new in sorted(renamed_to.items()):
            aliases[new].append(old)
        flags: dict[str, list[Flag]] = defaultdict(list)
        for flag in repo.flags().flags:
            # Hub ids are case-insensitive, so flags match whatever case a request used.
            flags[renamed_to.get(flag.model, flag.model).lower()].append(flag)
        return cls(
            flags=dict(flags),
            choice={o.lower() for o in repo.maintainers_choice().organisations},
            renamed_to=renamed_to,
            aliases=dict(aliases),
        )

    def current_name(self, model: str) -> str:
        return self.renamed_to.get(model, model)

    def flag_for(self, model: str, sha: str) -> Flag | None:
        """The flag that applies to this commit: a commit-specific one first, then a global one."""
        flags = self.flags.get(model.lower(), [])
        return next((f for f in flags if f.sha == sha), None) or next(
            (f for f in flags if f.sha is None), None
        )


def latest_results(repo: Repo, suite: str) -> dict[tuple[str, str], tuple[int, str]]:
    """``(model, stem) → (attempt, path)`` of the latest attempt's result for the suite."""
    latest: dict[tuple[str, str], tuple[int, str]] = {}
    for rel in repo.result_files():
        _, org, name, filename = rel.split("/")
        m = _RESULT_RE.match(filename)
        if not m or m["suite"] != suite:
            continue
        key = (f"{org}/{name}", f"{m['sha']}_{m['precision']}_{m['chat']}")
        attempt = int(m["attempt"])
        if key not in latest or latest[key][0] < attempt:
            latest[key] = (attempt, rel)
    return latest


def _why(exc: BaseException) -> str:
    """One line on why a result file cannot become a row."""
    if isinstance(exc, json.JSONDecodeError):
        return f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
    if isinstance(exc, ValidationFailed):
        text = "; ".join(f"{p.field or 'file'}: {p.message}" for p in exc.problems)
        return " ".join(text.split())[:400]
    if isinstance(exc, PydanticValidationError):
        return f"not a results document ({exc.error_count()} problems: {exc.errors()[0]['msg']})"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _date(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _build_row(
    rel: str,
    request: Request,
    result: dict[str, Any],
    result_rel: str,
    attempt: int,
    scores: dict[str, float],
    cur: Curation,
    suite_name: str,
    score_names: list[str],
) -> dict[str, Any]:
    try:
        prov = Provenance.model_validate(result.get("provenance") or {})
    except PydanticValidationError as exc:
        raise ValidationFailed(
            [Problem(path=result_rel, field="provenance", rule="schema", message=str(exc))]
        ) from exc
    if (prov.model, prov.revision, prov.precision) != (
        request.model,
        request.revision,
        request.precision,
    ):
        raise ValidationFailed(
            [
                Problem(
                    path=result_rel,
                    field="provenance",
                    rule="provenance",
                    message=f"its provenance is for {prov.model}@{prov.revision[:12]} "
                    f"({prov.precision.value}, {prov.request}), not for {rel}",
                )
            ]
        )
    hub = prov.hub or HubFacts(model=request.model, sha=request.revision)
    name = cur.current_name(request.model)
    sha = request.revision
    flag = cur.flag_for(name, sha)
    flag_category = flag.category.value if flag else None
    if flag is None and hub.card_says_merge and request.model_type is not ModelType.merge:
        flag_category = FlagCategory.undeclared_merge.value
    params_b = hub.params_b
    base = request.base_model or (hub.card_base_model[0] if hub.card_base_model else None)
    seconds = result.get("total_evaluation_time_seconds")
    try:
        hours = float(seconds) / 3600 if seconds is not None else prov.wall_time_seconds / 3600
    except (TypeError, ValueError):
        hours = prov.wall_time_seconds / 3600
    row: dict[str, Any] = {
        "eval_name": eval_name(name, request.precision.value, sha, request.use_chat_template),
        "T": TYPE_EMOJI.get(request.model_type, "❓"),
        "Model": name,
        "fullname": name,
        AVERAGE: scores.get("Average"),
    }
    for column in score_names:
        row[column] = scores.get(column)
    row.update(
        {
            "Type": request.model_type.value,
            "Architecture": ", ".join(hub.architectures) or None,
            "Weight type": request.weight_type.value,
            "Precision": request.precision.value,
            "Merged": request.model_type is ModelType.merge or hub.merged,
            "Hub License": hub.license,
            "#Params (B)": params_b,
            "Hub ❤️": hub.likes,
            "Available on the hub": hub.available,
            "Model sha": sha,
            "Flagged": flag_category is not None,
            "MoE": hub.moe,
            "Submission Date": _date(request.submitted_at),
            "Upload To Hub Date": _date(hub.created_at),
            "Chat Template": request.use_chat_template,
            "Maintainer's Highlight": name.split("/")[0].lower() in cur.choice,
            "Generation": None,  # filled in by rows(), which sees every model
            "Base Model": cur.current_name(base) if base else name,
            "CO₂ cost (kg)": round(NODE_KW * hours * KG_CO2_PER_KWH, 4),
            "Flag category": flag_category,
            "Flag discussion": flag.discussion if flag else None,
            "Aliases": ", ".join(cur.aliases.get(name, [])) or None,
            "Size class": size_class(params_b),
            "Rank in type": None,
            "Rank in size class": None,
            "Submitter": request.submitter,
            "Request file": rel,
            "Result file": result_rel,
            "Attempt": attempt,
            "Suite": suite_name,
            "Suite version": prov.suite_version,
            "lm-eval version": prov.lm_eval_version,
            "Evaluated at": _date(prov.finished_at),
            "Reproduce": prov.command,
            "Details": prov.details,
        }
    )
    row["_base"] = cur.current_name(base) if base else None
    return row


def _generations(rows: list[dict[str, Any]]) -> None:
    """Generation = 0 without a base model, else 1 + the base's generation when the base is on
    the leaderboard, else 1. Cycles (a card naming a descendant) stop at the first repeat."""
    base_of = {r["fullname"]: r["_base"] for r in rows}
    memo: dict[str, int] = {}

    def gen(name: str, seen: frozenset[str]) -> int:
        if name in memo:
            return memo[name]
        base = base_of.get(name)
        if not base or base == name:
            value = 0
        elif base in seen or base not in base_of:
            value = 1
        else:
            value = 1 + gen(base, seen | {name})
        memo[name] = value
        return value

    for row in rows:
        row["Generation"] = gen(row["fullname"], frozenset())
        del row["_base"]


def _ranks(rows: list[dict[str, Any]]) -> None:
    ordered = sorted(
        (r for r in rows if not r["Flagged"] and r[AVERAGE] is not None), key=lambda r: -r[AVERAGE]
    )
    for column, key in (("Rank in type", "Type"), ("Rank in size class", "Size class")):
        counter: dict[Any, int] = defaultdict(int)
        for row in ordered:
            if row[key] is None:
                continue
            counter[row[key]] += 1
            row[column] = counter[row[key]]


def load_suite_and_scorer(repo: Repo) -> tuple[Any, Scorer]:
    """The configured suite and its scoring function (imported lazily: the runner owns them)."""
    from .scoring import score
    from .suites import load_suite

    return load_suite(repo.settings().suite), score


def rows(
    repo: Repo,
    suite: Any | None = None,
    scorer: Scorer | None = None,
    requests: Iterable[tuple[str, Request]] | None = None,
) -> list[dict[str, Any]]:
    """Every row of the leaderboard, sorted by average (best first), removed requests excluded.

    ``suite`` and ``scorer`` default to the configured suite and ``scoring.score``; ``requests``
    to every request file (pass them when the caller already read them).
    """
    if suite is None or scorer is None:
        suite, scorer = load_suite_and_scorer(repo)
    suite_name = getattr(suite, "name", None) or repo.settings().suite
    cur = Curation.load(repo)
    latest = latest_results(repo, suite_name)
    score_names = [b.column for b in suite.benchmarks] + [
        f"{b.column} Raw" for b in suite.benchmarks
    ]
    out: list[dict[str, Any]] = []
    for rel, request in requests if requests is not None else repo.iter_requests():
        if request.removed is not None:
            continue
        found = latest.get((request.model, request.identity.stem))
        if found is None:
            continue
        attempt, result_rel = found
        try:
            result = repo.read_json(result_rel)
            scores = scorer(result, suite)
            row = _build_row(
                rel, request, result, result_rel, attempt, scores, cur, suite_name, score_names
            )
        except (OSError, ValueError, LeaderboardError) as exc:
            # One corrupt result must not take the whole leaderboard down: say which and why.
            print(f"warning: {result_rel}: skipped: {_why(exc)}", file=sys.stderr)
            continue
        out.append(row)
    _generations(out)
    _ranks(out)
    out.sort(key=lambda r: (r[AVERAGE] is None, -(r[AVERAGE] or 0.0), r["eval_name"]))
    return out


def queue(
    repo: Repo,
    requests: Iterable[tuple[str, Request]] | None = None,
    now: datetime | None = None,
    evaluated: set[str] | None = None,
) -> list[dict[str, Any]]:
    """Every request as the Queue page shows it, pending ones numbered in submission order."""
    now = now or datetime.now(UTC)
    cur = Curation.load(repo)
    entries: list[QueueEntry] = []
    for rel, r in requests if requests is not None else repo.iter_requests():
        name = cur.current_name(r.model)
        ev = eval_name(name, r.precision.value, r.revision, r.use_chat_template)
        entries.append(
            QueueEntry(
                model=name,
                request=rel,
                revision=r.revision,
                precision=r.precision.value,
                use_chat_template=r.use_chat_template,
                model_type=r.model_type.value,
                weight_type=r.weight_type.value,
                submitter=r.submitter,
                submitted_at=_date(r.submitted_at) or "",
                status=r.status.value,
                waiting_hours=round((now - r.submitted_at).total_seconds() / 3600, 1)
                if r.status is Status.pending
                else None,
                runner=r.runner,
                started_at=_date(r.started_at),
                finished_at=_date(r.finished_at),
                attempts=r.attempts,
                failure_reason=r.failure_reason,
                failure_category=r.failure_category.value if r.failure_category else None,
                log_url=r.log_url,
                relaunches=len(r.relaunches),
                removed_reason=r.removed.reason if r.removed else None,
                removed_at=_date(r.removed.at) if r.removed else None,
                eval_name=ev if evaluated is not None and ev in evaluated else None,
            )
        )
    pending = sorted(
        (e for e in entries if e.status == Status.pending and e.removed_reason is None),
        key=lambda e: (e.submitted_at, e.request),
    )
    for i, e in enumerate(pending, 1):
        e.position = i
    return [e.model_dump() for e in entries]
