"""The result index: what the table reads of each result, in one small file per result.

A real ``leaderboard`` result is large even once its ``configs`` are in the details store, and
the table reads a small part of it (the metric values and their errors, the provenance, the run
time). At tens of thousands of models the raw files are more than a publishing job should check
out (the sizes are on the Performance page, ``docs/performance.md``), so each result has an
entry at ``index/<org>/<name>/<file>.json`` (the result's own path under ``index/``) holding
just that, and the site is built from the entries: its job checks out no ``results/`` at all.

An entry is derived from its result's bytes alone (:func:`derive`) and names the git blob id of
those bytes. So it is checked without reading the result: git's index lists every result's
blob id, also in a sparse checkout. An entry made from another version of its result is a
located error (the table then reads the raw file where it is checked out); ``leaderboard index
check`` compares every entry with its raw file field by field, and ``leaderboard index
rebuild`` writes them all again from the raw files. The raw result stays the record: the
runner commits both in one commit, and ``leaderboard full-result`` restores lm-eval's whole
output from it and the details store.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..core.errors import LeaderboardError, ValidationFailed
from ..core.ids import (
    INDEX_DIR,
    RESULTS_DIR,
    index_path,
    result_of_index,
)
from ..core.models import Problem, problem
from ..core.rules import Rule
from .files import dump_result, parse_json, write_text_atomic
from .git import blob_id, blob_ids
from .repo import Repo

#: The entry format; an entry of another format is rebuilt, never half-read.
FORMAT = 1
#: Sections of lm-eval's output whose metric entries the table scores.
_SCORED = ("results", "groups")
#: What entries written before the table read each request itself carried, and is ignored.
_DROPPED_REQUEST_COPY = "request"
#: Provenance parts no row shows: per-task dataset commits (6 KB of a real result).
_PROVENANCE_DROPPED = ("datasets",)


def _metrics(section: Any) -> Any:
    """A task's metric values and their errors (keys ``metric,filter``), nothing else: the
    aliases, names and sample counts lm-eval writes next to them are not scored."""
    if not isinstance(section, dict):
        return section
    return {
        task: {k: v for k, v in entry.items() if "," in k} if isinstance(entry, dict) else entry
        for task, entry in section.items()
    }


def derive(data: dict[str, Any], result_rel: str, blob: str) -> dict[str, Any]:
    """The entry of the result at ``result_rel`` whose bytes have git blob id ``blob``."""
    entry: dict[str, Any] = {"index": FORMAT, "result": result_rel, "blob": blob}
    for key in _SCORED:
        if key in data:
            entry[key] = _metrics(data[key])
    if "total_evaluation_time_seconds" in data:
        entry["total_evaluation_time_seconds"] = data["total_evaluation_time_seconds"]
    provenance = data.get("provenance")
    if isinstance(provenance, dict):
        provenance = {k: v for k, v in provenance.items() if k not in _PROVENANCE_DROPPED}
    entry["provenance"] = provenance
    return entry


def derive_file(repo: Repo, result_rel: str) -> dict[str, Any]:
    """The entry for the raw result as it is in the checkout."""
    raw = repo.path(result_rel).read_bytes()
    data = parse_json(raw)
    if not isinstance(data, dict):
        raise ValidationFailed([problem(result_rel, Rule.schema, "not a JSON object")])
    return derive(data, result_rel, blob_id(raw))


def difference(want: dict[str, Any], got: dict[str, Any]) -> str | None:
    """The first field in which an entry differs from what its files give, or None. The
    ``request`` that entries once carried (a copy of the request file, which the table now
    reads itself) is no part of an entry: an entry that still has it is not wrong."""
    keys = (set(want) | set(got)) - {_DROPPED_REQUEST_COPY}
    return next((k for k in sorted(keys) if want.get(k) != got.get(k)), None)


def write_entry(repo: Repo, result_rel: str) -> str:
    """Write the entry of a result from its raw file; returns the entry's path."""
    rel = index_path(result_rel)
    write_text_atomic(repo.path(rel), dump_result(derive_file(repo, result_rel)))
    return rel


def read_entry(repo: Repo, rel: str) -> dict[str, Any]:
    """An entry, refused (located) when it is not one of this format for its own path."""
    value = parse_json(repo.path(rel).read_bytes())
    if not isinstance(value, dict) or value.get("index") != FORMAT:
        raise ValidationFailed(
            [
                problem(
                    rel,
                    Rule.results,
                    f"not a result index entry of format {FORMAT}: run `leaderboard index rebuild`",
                    field="index",
                )
            ]
        )
    if value.get("result") != result_of_index(rel):
        raise ValidationFailed(
            [
                problem(
                    rel,
                    Rule.results,
                    f"names {value.get('result')!r}, not {result_of_index(rel)}: run "
                    "`leaderboard index rebuild`",
                    field="result",
                )
            ]
        )
    return value


def entry_files(repo: Repo) -> list[str]:
    """Every entry path in the checkout, sorted."""
    return repo.files_under(INDEX_DIR, ".json")


def stale(rel: str, result_rel: str) -> Problem:
    """An entry whose result changed after it was written."""
    return problem(
        rel,
        Rule.results,
        f"was made from another version of {result_rel}: run `leaderboard index "
        "rebuild` and commit the index",
        field="blob",
    )


def require_results(repo: Repo) -> None:
    """Refuse a checkout that leaves out results git holds (the jobs' sparse checkouts): there,
    every entry would look like one without its result, and a rebuild would delete them all."""
    absent = [
        rel for rel in sorted(blob_ids(repo.root, RESULTS_DIR)) if not repo.path(rel).exists()
    ]
    if absent:
        raise LeaderboardError(
            f"{len(absent):,} result(s) that git holds are not in this checkout (a sparse "
            f"checkout?), for one {absent[0]}: checking or rebuilding the index reads every raw "
            "result; run `git sparse-checkout disable` first"
        )


def check(repo: Repo) -> list[Problem]:
    """Every difference between the index and the raw results, located: a result without an
    entry, an entry without its result, and an entry that differs from what its result gives
    (naming the first field that differs)."""
    require_results(repo)
    problems: list[Problem] = []
    entries = set(entry_files(repo))
    for result_rel in repo.result_files():
        rel = index_path(result_rel)
        if rel not in entries:
            problems.append(
                problem(
                    result_rel,
                    Rule.results,
                    f"has no index entry {rel}: run `leaderboard index rebuild`",
                )
            )
            continue
        entries.discard(rel)
        try:
            want = derive_file(repo, result_rel)
            got = read_entry(repo, rel)
        except ValidationFailed as exc:
            problems += exc.problems
            continue
        except (OSError, ValueError) as exc:
            problems.append(problem(rel, Rule.results, f"unreadable: {exc}"))
            continue
        field = difference(want, got)
        if field is not None:
            if field == "blob":
                problems.append(stale(rel, result_rel))
            else:
                problems.append(
                    problem(
                        rel,
                        Rule.results,
                        f"differs from {result_rel} in {field!r}: run `leaderboard index rebuild`",
                        field=field,
                    )
                )
    for rel in sorted(entries):
        problems.append(
            problem(
                rel,
                Rule.results,
                f"is the entry of {result_of_index(rel)}, which does not exist: run "
                "`leaderboard index rebuild`",
            )
        )
    return problems


def rebuild(repo: Repo) -> tuple[list[str], list[str]]:
    """Write every entry from the raw results and remove entries without one: ``(written,
    removed)``. Only files that change are written, so git sees just the real differences."""
    require_results(repo)
    written: list[str] = []
    wanted = set()
    for result_rel in repo.result_files():
        rel = index_path(result_rel)
        wanted.add(rel)
        try:
            text = dump_result(derive_file(repo, result_rel))
        except (OSError, ValueError, ValidationFailed) as exc:
            raise LeaderboardError(f"{result_rel}: cannot index it: {exc}") from exc
        target = repo.path(rel)
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            write_text_atomic(target, text)
            written.append(rel)
    removed = [rel for rel in entry_files(repo) if rel not in wanted]
    for rel in removed:
        repo.path(rel).unlink()
        _prune(repo.path(rel).parent, repo.root / INDEX_DIR)
    return written, removed


def _prune(folder: Path, top: Path) -> None:
    while folder != top and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
