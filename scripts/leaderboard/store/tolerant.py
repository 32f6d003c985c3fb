"""Bulk reading that survives a corrupt file: the site and the queue publish everything else.

A file on ``main`` has passed validation, but a maintainer's direct push, a bad merge or a disk
can still leave one broken. The site and the queue must not go down for it: each corrupt
request is left out, a corrupt curation file keeps its valid entries (the rest take their
defaults), and every file left out is named in a warning. ``Skipped`` collects them, so a
strict caller (CI's validation) can fail on them while the published site carries on.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from ..core.errors import ValidationFailed
from ..core.models import CURATION_FILES, Request
from .files import NotADataFile, read_data_file
from .repo import Repo
from .yaml_strict import MAX_BYTES, load_yaml

#: A corrupt curation file loses at most this many entries before it is dropped whole.
_MAX_REPAIRS = 200
#: The longest reason a skipped file is given.
_WHY = 400


@dataclass
class Skipped:
    """What a bulk reader left out, as ``(path, why)``; each is also printed as a warning."""

    items: list[tuple[str, str]] = field(default_factory=list)

    def add(self, rel: str, why: str) -> None:
        why = " ".join(why.split())[:_WHY]
        if any(seen == rel for seen, _ in self.items):
            return  # the site reads the curation files twice (rows and queue): say it once
        self.items.append((rel, why))
        print(f"warning: {rel}: skipped: {why}", file=sys.stderr)


def why(exc: BaseException) -> str:
    """One line on why a file could not be read."""
    if isinstance(exc, json.JSONDecodeError):
        return f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
    if isinstance(exc, ValidationFailed):
        text = "; ".join(f"{p.field or 'file'}: {p.message}" for p in exc.problems)
        return " ".join(text.split())[:_WHY]
    if isinstance(exc, PydanticValidationError):
        return f"not a valid file ({exc.error_count()} problems: {exc.errors()[0]['msg']})"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def requests(
    repo: Repo, skipped: Skipped, known: dict[str, Request] | None = None
) -> Iterator[tuple[str, Request]]:
    """Every readable request on main, each read by the one strict reader
    (``Repo.read_request``); a corrupt one is named in ``skipped`` and left out.

    The requests in ``known`` (read by the caller already, in this run) are not read again."""
    known = known or {}
    for rel in repo.request_files():
        if rel in known:
            yield rel, known[rel]
            continue
        try:
            request = repo.read_request(rel)
        except (ValidationFailed, OSError, ValueError) as exc:
            skipped.add(rel, why(exc))
            continue
        yield rel, request


def curation(repo: Repo, kind: str, skipped: Skipped) -> Any:
    """A curation file's model; when the file is corrupt, what of it is valid, with a warning.

    Entries of a list that fail are dropped one by one, and a field that fails takes its
    default, so that one bad flag does not unflag every model and one bad setting does not
    reset the others.
    """
    try:
        return repo.read_curation(kind)
    except (ValidationFailed, OSError, ValueError) as exc:
        rel, model = CURATION_FILES[kind]
        skipped.add(rel, f"{why(exc)} (its valid entries are kept, the rest are defaults)")
        return salvage(model, repo, rel)


def salvage(model: type[BaseModel], repo: Repo, rel: str) -> Any:
    """The largest valid part of a mapping: invalid list items dropped, invalid fields unset.

    Read with the strict YAML reader (no anchors, no tags, bounded size), as from a pull request.
    """
    try:
        data, _ = load_yaml(rel, read_data_file(repo.root, rel, MAX_BYTES))
    except (ValidationFailed, OSError, NotADataFile):
        return model()
    if not isinstance(data, dict):
        return model()
    for _ in range(_MAX_REPAIRS):
        try:
            return model.model_validate(data)
        except PydanticValidationError as exc:
            loc = exc.errors()[0]["loc"]
        if not loc or loc[0] not in data:
            return model()
        value = data[loc[0]]
        if len(loc) > 1 and isinstance(loc[1], int) and isinstance(value, list):
            del value[loc[1]]
        else:
            del data[loc[0]]
    return model()
