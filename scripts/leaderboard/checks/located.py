"""What the maintainers' rules share: problems located by key path, and what changed."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from ..core.errors import ValidationFailed
from ..core.ids import REQUESTS_DIR, RESULTS_DIR
from ..core.models import Problem, problem
from ..core.rules import Rule
from ..store.repo import Repo
from ..store.yaml_strict import KeyPath, line_at, load_yaml

# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------

Lines = dict[KeyPath, int]


def key_lines(repo: Repo, rel: str) -> Lines:
    try:
        return load_yaml(rel, repo.path(rel).read_bytes())[1]
    except (ValidationFailed, OSError):
        return {}


class Findings:
    """The problems found in a pull request's head, each built the one way (``problem``)."""

    def __init__(self, head: Repo):
        self.head = head
        self.problems: list[Problem] = []
        self._lines: dict[str, Lines] = {}  # each file's key lines, read when first needed

    def add(self, rel: str, rule: Rule, message: str, *, field: str | None = None) -> None:
        """A problem with a whole file (or with a field of a JSON file, which has no lines)."""
        self.problems.append(problem(rel, rule, message, field=field))

    def at(self, rel: str, rule: Rule, message: str, keypath: KeyPath) -> None:
        """A problem at ``keypath`` in the head's YAML file ``rel``: the field is the key path
        dotted (``flags.2.maintainer``) and the line is that key's (or its nearest parent's)."""
        if rel not in self._lines:
            self._lines[rel] = key_lines(self.head, rel)
        field = ".".join(str(k) for k in keypath)
        self.problems.append(problem(rel, rule, message, line_at(self._lines[rel], keypath), field))


def changed_keys(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """Top-level keys whose values differ, in a's order then b's."""
    keys = list(a) + [k for k in b if k not in a]
    return [k for k in keys if a.get(k) != b.get(k)]


def entry_key(flag: Any) -> str:
    return flag.model_dump_json()


def top_folder(rel: str) -> str:
    return rel.split("/", 1)[0]


def is_data(rel: str) -> bool:
    return top_folder(rel) in (REQUESTS_DIR, RESULTS_DIR)


def has_request(repo: Repo, model: str, sha: str | None) -> bool:
    files = repo.request_files(model)
    if sha is None:
        return bool(files)
    return any(PurePosixPath(f).name.startswith(f"{sha}_") for f in files)
