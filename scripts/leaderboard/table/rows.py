"""The leaderboard table ("contents"): one row per evaluated model, precision, sha and chat
template setting.

A row joins the request, the latest attempt's result with its scores, the Hub facts recorded at
evaluation time and the curation files (flags, maintainer's choice, renames). Column names are
the Open LLM Leaderboard's public ones, so scripts written for its ``contents`` dataset keep
working; benchmark columns come from the configured suite, never from a fixed list.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError as PydanticValidationError

from ..core.errors import LeaderboardError, ValidationFailed
from ..core.ids import (
    REQUESTS_DIR,
    RESULTS_DIR,
    SETTINGS_FILE,
    index_path,
    is_safe_relpath,
    parse_result_path,
    result_of_index,
)
from ..core.models import (
    TYPE_EMOJI,
    AttestationNote,
    Flag,
    FlagCategory,
    HubFacts,
    ModelType,
    Provenance,
    Request,
    Row,
    Suite,
    WeightType,
    iso_z,
    problem,
)
from ..core.models.settings import Settings
from ..core.models.suite import AVERAGE
from ..core.rules import Rule
from ..core.sizes import size_class
from ..hub.cards import undeclared_merge
from ..store import attestations, result_index, tolerant
from ..store import git as store_git
from ..store.git import blob_id
from ..store.repo import Repo
from ..store.tolerant import Skipped
from ..suites.uncertainty import AVERAGE_SE, standard_errors
from . import bands, co2

#: What scores a result for a suite (``suites.scoring.score``).
Scorer = Callable[[Mapping[str, Any], Suite], Mapping[str, float]]


def eval_name(model: str, precision: str, sha: str, chat: bool) -> str:
    return f"{model.replace('/', '_')}_{precision}_{sha[:7]}_{'chat' if chat else 'nochat'}"


@dataclass
class Curation:
    """The curation files, indexed for joining."""

    flags: dict[str, list[Flag]] = field(default_factory=dict)
    choice: set[str] = field(default_factory=set)
    #: old name → current name, resolved through chains (a→b, b→c gives a→c).
    renamed_to: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, repo: Repo, skipped: Skipped | None = None) -> Curation:
        """The curation files; a corrupt one keeps its valid entries and is named in ``skipped``."""
        skipped = skipped if skipped is not None else Skipped()
        renames, flags_file, choice = (
            tolerant.curation(repo, kind, skipped)
            for kind in ("renames", "flags", "maintainers_choice")
        )
        direct = {r.old: r.new for r in renames.renames}
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
        for flag in flags_file.flags:
            # Hub ids are case-insensitive, so flags match whatever case a request used.
            flags[renamed_to.get(flag.model, flag.model).lower()].append(flag)
        return cls(
            flags=dict(flags),
            choice={o.lower() for o in choice.organisations},
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


def latest_results(paths: Iterable[str], suite: str) -> dict[tuple[str, str], tuple[int, str]]:
    """``(model, stem) → (attempt, path)`` of the latest attempt's result for the suite."""
    latest: dict[tuple[str, str], tuple[int, str]] = {}
    for rel in paths:
        parts = parse_result_path(rel)
        if parts is None or parts.suite != suite:
            continue
        key = (parts.model, parts.stem)
        if key not in latest or latest[key][0] < parts.attempt:
            latest[key] = (parts.attempt, rel)
    return latest


@dataclass
class ResultSource:
    """Where each result's row comes from: its index entry, checked against the blob id git
    holds for the raw file (which a sparse checkout lists without checking it out), or the raw
    file itself where there is no valid entry (see ``store.result_index``)."""

    repo: Repo
    blobs: dict[str, str]
    indexed: set[str]

    @classmethod
    def scan(cls, repo: Repo) -> ResultSource:
        return cls(
            repo,
            store_git.blob_ids(repo.root, RESULTS_DIR),
            set(result_index.entry_files(repo)),
        )

    def results(self) -> set[str]:
        """Every result the checkout knows of, checked out or not."""
        raw = set(self.repo.result_files())
        known = raw | set(self.blobs) | {result_of_index(rel) for rel in self.indexed}
        return {rel for rel in known if is_safe_relpath(rel)}

    def file(self, rel: str) -> str:
        """The path of ``rel`` (a safe path from :meth:`results`), as a string: a row asks
        for three, and ``pathlib`` joins showed in the table's time (``docs/performance.md``)."""
        return f"{self.repo.root}/{rel}"

    def blob(self, result_rel: str) -> str | None:
        """The raw result's blob id: git's, or (for a file git does not track) its bytes'."""
        known = self.blobs.get(result_rel)
        if known is not None:
            return known
        try:
            with open(self.file(result_rel), "rb") as fh:
                return blob_id(fh.read())
        except OSError:
            return None

    def pick(self, result_rel: str, blob: str | None, skipped: Skipped) -> str | None:
        """The file to read the row from; None (with the reason in ``skipped``) when neither
        the entry nor the raw result can be."""
        rel = index_path(result_rel)
        if rel in self.indexed:
            if blob is None:
                skipped.add(rel, f"is the index entry of {result_rel}, which does not exist")
                return None
            return rel
        if os.path.isfile(self.file(result_rel)):
            return result_rel
        skipped.add(
            result_rel,
            f"is not in this checkout and has no index entry {rel}: run `leaderboard index "
            "rebuild` and commit the index",
        )
        return None

    def read(
        self, source: str, result_rel: str, blob: str | None, skipped: Skipped
    ) -> tuple[Any, str] | None:
        """The result's data and the file it came from; None when no file could be read,
        each named in ``skipped`` with why. An entry that is unreadable, or made from another
        version of the raw file, is read past to the raw file where it is checked out."""
        if source != result_rel:
            try:
                entry = result_index.read_entry(self.repo, source)
                if entry.get("blob") != blob:
                    raise ValidationFailed([result_index.stale(source, result_rel)])
                return entry, source
            except (OSError, ValueError, ValidationFailed) as exc:
                skipped.add(source, tolerant.why(exc))
                if not os.path.isfile(self.file(result_rel)):
                    return None
        try:
            return self.repo.read_json(result_rel), result_rel
        except (OSError, ValueError, ValidationFailed) as exc:
            skipped.add(result_rel, tolerant.why(exc))
            return None


def _build_row(
    rel: str,
    request: Request,
    result: Mapping[str, Any],
    result_rel: str,
    attempt: int,
    scores: Mapping[str, float],
    cur: Curation,
    suite_name: str,
    score_names: list[str],
) -> Row:
    """The row's own cells (``table/columns.py`` names each): what needs other rows
    (generation, ranks, band, an adapter's size) is set later by ``rows``."""
    try:
        prov = Provenance.model_validate(result.get("provenance") or {})
    except PydanticValidationError as exc:
        raise ValidationFailed(
            [problem(result_rel, Rule.schema, str(exc), field="provenance")]
        ) from exc
    if (prov.model, prov.revision, prov.precision) != (
        request.model,
        request.revision,
        request.precision,
    ):
        raise ValidationFailed(
            [
                problem(
                    result_rel,
                    Rule.provenance,
                    f"its provenance is for {prov.model}@{prov.revision[:12]} "
                    f"({prov.precision.value}, {prov.request}), not for {rel}",
                    field="provenance",
                )
            ]
        )
    hub = prov.hub or HubFacts(model=request.model, sha=request.revision)
    name = cur.current_name(request.model)
    sha = request.revision
    flag = cur.flag_for(name, sha)
    flag_category = flag.category.value if flag else None
    if flag is None and undeclared_merge(hub, request):
        flag_category = FlagCategory.undeclared_merge.value
    params_b = hub.params_b
    choice = name.split("/")[0].lower() in cur.choice
    declared = request.base_model or (hub.card_base_model[0] if hub.card_base_model else None)
    base = cur.current_name(declared) if declared else None
    seconds = result.get("total_evaluation_time_seconds")
    try:
        hours = float(seconds) / 3600 if seconds is not None else prov.wall_time_seconds / 3600
    except (TypeError, ValueError):
        hours = prov.wall_time_seconds / 3600
    return Row(
        id=eval_name(name, request.precision.value, sha, request.use_chat_template),
        emoji=TYPE_EMOJI.get(request.model_type, "❓"),
        model=name,
        average=scores.get(AVERAGE),
        average_se=None,  # with the other errors, by rows()
        scores={column: scores.get(column) for column in score_names},
        type=request.model_type.value,
        architecture=", ".join(hub.architectures) or None,
        weight_type=request.weight_type.value,
        precision=request.precision.value,
        merged=request.model_type is ModelType.merge or hub.merged,
        license=hub.license,
        params=params_b,
        likes=hub.likes,
        available=hub.available,
        sha=sha,
        flagged=flag_category is not None,
        moe=hub.moe,
        submitted=iso_z(request.submitted_at),
        uploaded=iso_z(hub.created_at),
        chat=request.use_chat_template,
        highlight=choice,
        base_model=base or name,
        co2=co2.co2_kg(prov, hours),
        flag_category=flag_category,
        flag_discussion=flag.discussion if flag else None,
        aliases=", ".join(cur.aliases.get(name, [])) or None,
        size_class=size_class(params_b),
        submitter=request.submitter,
        request_file=rel,
        result_file=result_rel,
        attempt=attempt,
        suite=suite_name,
        suite_version=prov.suite_version,
        lm_eval_version=prov.lm_eval_version,
        evaluated_at=iso_z(prov.finished_at),
        reproduce=prov.command,
        device=prov.device,
        batch_size=prov.batch_size,
        details=prov.details,
        hardware=prov.hardware,
        pool=prov.pool,
        parallelism=prov.parallelism,
        peak_memory=prov.peak_memory_gb,
        attestation=None,
        verify=None,
        base=base,
    )


def _attest(row: Row, note: AttestationNote | None) -> None:
    """The row's attestation: GitHub's page of it and the command that checks it, or nothing
    (not attested: the deployment signs nothing, or the signing step failed, or the result
    changed since)."""
    if note is not None:
        row.attestation = note.attestation_url or note.run
        row.verify = attestations.verify_command(note)


def _errors(row: Row, errors: dict[str, float | None]) -> None:
    """The standard errors (``suites.uncertainty``): the average's, and each score's."""
    row.average_se = errors.pop(AVERAGE_SE, None)
    row.scores.update(errors)


def _generations(rows: list[Row]) -> None:
    """Generation = 0 without a base model, else 1 + the base's generation when the base is on
    the leaderboard, else 1. Cycles (a card naming a descendant) stop at the first repeat."""
    base_of = {r.model: r.base for r in rows}
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
        row.generation = gen(row.model, frozenset())


def _adapter_sizes(rows: list[Row]) -> None:
    """An adapter is as big as the model it runs on: its own file holds only the low-rank
    matrices, so it takes its base's size (and size class) when the base is on the leaderboard."""
    adapter = WeightType.adapter.value
    size_of = {r.model: r.params for r in rows if r.weight_type != adapter}
    for row in rows:
        size = size_of.get(row.base or "")
        if row.weight_type == adapter and size is not None:
            row.params = size
            row.size_class = size_class(size)


def _ranks(rows: list[Row]) -> None:
    ordered = sorted(
        (r for r in rows if not r.flagged and r.average is not None),
        key=lambda r: -(r.average or 0.0),
    )
    by_type: dict[str, int] = defaultdict(int)
    by_size: dict[str, int] = defaultdict(int)
    for row in ordered:
        by_type[row.type] += 1
        row.rank_in_type = by_type[row.type]
        if row.size_class is not None:
            by_size[row.size_class] += 1
            row.rank_in_size = by_size[row.size_class]


def load_suite_and_scorer(
    settings: Settings, root: Path | None = None, skipped: Skipped | None = None
) -> tuple[Suite, Scorer]:
    """The configured suite (the repository's own at ``root`` first) and its scoring function.

    With ``skipped``, a suite that cannot be loaded is a warning on the settings file and the
    default suite is used, so that the rest of the site is still published.
    """
    from ..suites.loader import load_suite
    from ..suites.scoring import score

    try:
        return load_suite(settings.suite, root), score
    except LeaderboardError as exc:
        if skipped is None:
            raise
        default = Settings().suite
        skipped.add(SETTINGS_FILE, f"suite: {exc}; the table uses the default suite {default!r}")
        return load_suite(default, root), score


def rows(
    repo: Repo,
    suite: Suite | None = None,
    scorer: Scorer | None = None,
    settings: Settings | None = None,
    skipped: Skipped | None = None,
    seen: dict[str, Request] | None = None,
) -> list[Row]:
    """Every row of the leaderboard, sorted by average (best first), removed requests excluded.

    ``suite`` and ``scorer`` default to the configured suite and ``scoring.score``,
    ``settings`` to the repository's (pass what the caller already read). A row is made for
    each request's latest result, from the result's index entry. Each request read on the way
    is put in ``seen``, for a caller that reads every request next. Corrupt files are left out
    and named in ``skipped``.
    """
    skipped = skipped if skipped is not None else Skipped()
    settings = settings or tolerant.curation(repo, "settings", skipped)
    if suite is None or scorer is None:
        suite, scorer = load_suite_and_scorer(settings, repo.root, skipped)
    suite_name = suite.name or settings.suite
    cur = Curation.load(repo, skipped)
    sources = ResultSource.scan(repo)
    latest = latest_results(sources.results(), suite_name)
    score_names = [b.column for b in suite.benchmarks] + [b.raw_column for b in suite.benchmarks]
    out: list[Row] = []
    notes = attestations.note_files(repo)
    for (model, stem), (attempt, result_rel) in sorted(latest.items()):
        rel = f"{REQUESTS_DIR}/{model}/{stem}.yaml"
        if not os.path.isfile(sources.file(rel)):
            continue  # a result whose request is gone: no row, as before the index
        blob = sources.blob(result_rel)
        source = sources.pick(result_rel, blob, skipped)
        if source is None:
            continue
        read = sources.read(source, result_rel, blob, skipped)
        if read is None:
            continue
        result, _ = read
        try:
            request = repo.read_request(rel)
        except (OSError, ValueError, LeaderboardError) as exc:
            skipped.add(rel, tolerant.why(exc))
            continue
        if seen is not None:
            seen[rel] = request
        if request.removed is not None:
            continue
        try:
            scores = scorer(result, suite)
            row = _build_row(
                rel, request, result, result_rel, attempt, scores, cur, suite_name, score_names
            )
            _attest(row, attestations.note_for(repo, result_rel, blob, notes))
            _errors(row, standard_errors(result, suite))
        except (
            OSError,
            ValueError,
            TypeError,
            LookupError,
            AttributeError,
            LeaderboardError,
        ) as exc:
            # One corrupt result must not take the whole leaderboard down: say which and why
            # (the result, even where its entry was read: the entry mirrors it, blob for blob).
            skipped.add(result_rel, tolerant.why(exc))
            continue
        out.append(row)
    _adapter_sizes(out)
    _generations(out)
    _ranks(out)
    bands.assign(out)
    out.sort(key=lambda r: (r.average is None, -(r.average or 0.0), r.id))
    return out
