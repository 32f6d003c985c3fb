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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError as PydanticValidationError

from ..core.errors import LeaderboardError, ValidationFailed
from ..core.ids import (
    REQUESTS_DIR,
    RESULTS_DIR,
    SETTINGS_FILE,
    attestation_path,
    index_path,
    is_safe_relpath,
    parse_result_path,
    result_of_index,
)
from ..core.models import (
    TYPE_EMOJI,
    Flag,
    FlagCategory,
    HubFacts,
    ModelType,
    Provenance,
    Request,
    iso_z,
    problem,
)
from ..core.models.settings import Settings
from ..core.rules import Rule
from ..core.sizes import size_class
from ..hub.cards import undeclared_merge
from ..store import attestations, result_index, tolerant
from ..store import git as store_git
from ..store.git import blob_id
from ..store.repo import Repo
from ..store.tolerant import Skipped
from ..suites.uncertainty import standard_errors
from . import bands, co2
from .row_cache import row_cache

AVERAGE = "Average ⬆️"


Scorer = Callable[[dict[str, Any], Any], dict[str, float]]


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
        for three, and at 50,000 rows ``pathlib`` joins were a tenth of the table's time."""
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

    def request(self, rel: str, result: dict[str, Any]) -> Request:
        """The request of a row: the entry's memo while the file has the bytes it was made
        from (no YAML to parse), else the file itself."""
        memo = result.get("request") if "index" in result else None
        if isinstance(memo, dict) and memo.get("path") == rel and self._unchanged(rel, memo):
            try:
                return Request.model_validate(memo.get("data"))
            except PydanticValidationError:
                pass  # a broken memo: the file itself says what is wrong, located
        return self.repo.load_request(rel)

    def _unchanged(self, rel: str, memo: dict[str, Any]) -> bool:
        with open(self.file(rel), "rb") as fh:
            return blob_id(fh.read()) == memo.get("blob")

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
    row[bands.BAND] = None  # set by bands.assign(), which sees every row
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
            "Submission Date": iso_z(request.submitted_at),
            "Upload To Hub Date": iso_z(hub.created_at),
            "Chat Template": request.use_chat_template,
            "Maintainer's Highlight": choice,
            "Official Providers": choice,
            "Generation": None,  # filled in by rows(), which sees every model
            "Base Model": cur.current_name(base) if base else name,
            "CO₂ cost (kg)": co2.co2_kg(prov, hours),
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
            "Evaluated at": iso_z(prov.finished_at),
            "Reproduce": prov.command,
            "Device": prov.device,
            "Batch size": prov.batch_size,
            "Details": prov.details,
            "Hardware": prov.hardware,
            "Runner pool": prov.pool,
            "Parallelism": prov.parallelism,
            "Peak GPU memory (GB)": prov.peak_memory_gb,
        }
    )
    row["_base"] = cur.current_name(base) if base else None
    return row


def attestation_columns(note: Any) -> dict[str, Any]:
    """The row's attestation: GitHub's page of it and the command that checks it, or nothing
    (not attested: the deployment signs nothing, or the signing step failed, or the result
    changed since)."""
    if note is None:
        return {"Attestation": None, "Verify": None}
    return {
        "Attestation": note.attestation_url or note.run,
        "Verify": attestations.verify_command(note),
    }


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


def _adapter_sizes(rows: list[dict[str, Any]]) -> None:
    """An adapter is as big as the model it runs on: its own file holds only the low-rank
    matrices, so it takes its base's size (and size class) when the base is on the leaderboard."""
    size_of = {r["fullname"]: r["#Params (B)"] for r in rows if r["Weight type"] != "Adapter"}
    for row in rows:
        if row["Weight type"] == "Adapter" and size_of.get(row["_base"] or "") is not None:
            row["#Params (B)"] = size_of[row["_base"]]
            row["Size class"] = size_class(row["#Params (B)"])


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


def load_suite_and_scorer(
    settings: Settings, root: Path | None = None, skipped: Skipped | None = None
) -> tuple[Any, Scorer]:
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
    suite: Any | None = None,
    scorer: Scorer | None = None,
    settings: Settings | None = None,
    skipped: Skipped | None = None,
    seen: dict[str, Request] | None = None,
) -> list[dict[str, Any]]:
    """Every row of the leaderboard, sorted by average (best first), removed requests excluded.

    ``suite`` and ``scorer`` default to the configured suite and ``scoring.score``,
    ``settings`` to the repository's (pass what the caller already read). A row is made for
    each request's latest result, from the result's index entry (the request from the entry's
    memo while the file is unchanged). Each request read on the way is put in ``seen``, for a
    caller that reads every request next. Corrupt files are left out and named in ``skipped``.
    """
    skipped = skipped if skipped is not None else Skipped()
    settings = settings or tolerant.curation(repo, "settings", skipped)
    if suite is None or scorer is None:
        suite, scorer = load_suite_and_scorer(settings, repo.root, skipped)
    suite_name = getattr(suite, "name", None) or settings.suite
    cur = Curation.load(repo, skipped)
    sources = ResultSource.scan(repo)
    latest = latest_results(sources.results(), suite_name)
    score_names = [b.column for b in suite.benchmarks] + [
        f"{b.column} Raw" for b in suite.benchmarks
    ]
    out: list[dict[str, Any]] = []
    cache = row_cache(repo, suite)
    notes = attestations.note_files(repo)
    for (model, stem), (attempt, result_rel) in sorted(latest.items()):
        rel = f"{REQUESTS_DIR}/{model}/{stem}.yaml"
        if not os.path.isfile(sources.file(rel)):
            continue  # a result whose request is gone: no row, as before the index
        blob = sources.blob(result_rel)
        source = sources.pick(result_rel, blob, skipped)
        if source is None:
            continue
        # The raw result's blob id is in the key: a changed result is never served from the
        # row of its old entry, even where the entry file itself did not change. So is its
        # attestation note, which the record job commits after the result.
        note_rel = attestation_path(result_rel)
        note_rel = note_rel if note_rel in notes else ""
        key = f"{rel}\n{source}\n{blob}\n{note_rel}"
        files = (rel, source, note_rel) if note_rel else (rel, source)
        stored = cache.get(key, files)
        if stored is not None:
            out.append(dict(stored["row"]))
            if seen is not None:
                # The queue pages need every request: the validated copy costs half a parse.
                seen[rel] = Request.model_validate(stored["request"])
            continue
        read = sources.read(source, result_rel, blob, skipped)
        if read is None:
            continue
        result, used = read
        try:
            request = sources.request(rel, result)
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
            row.update(attestation_columns(attestations.note_for(repo, result_rel, blob, notes)))
            row.update(standard_errors(result, suite))
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
        if used == source:  # not a stale entry's row: that must warn again
            cache.put(key, files, {"row": dict(row), "request": request.model_dump(mode="json")})
        out.append(row)
    cache.save()
    _adapter_sizes(out)
    _generations(out)
    _ranks(out)
    bands.assign(out, AVERAGE)
    out.sort(key=lambda r: (r[AVERAGE] is None, -(r[AVERAGE] or 0.0), r["eval_name"]))
    return out
