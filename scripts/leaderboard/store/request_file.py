"""The one strict reader of request files: path shape, links, size, YAML, schema, location."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError as PydanticValidationError

from ..core.errors import ValidationFailed
from ..core.ids import (
    HUB_PART_RE,
    is_safe_relpath,
    parse_request_path,
    request_path,
)
from ..core.models import Problem, Request
from .repo import Repo
from .yaml_strict import (
    MAX_BYTES,
    KeyPath,
    load_yaml,
    problems_from_pydantic,
)


def path_problems(rel: str, request: Request) -> list[Problem]:
    """Check that a request file sits exactly where its content says it should."""
    expected = request_path(request.identity)
    if rel == expected:
        return []
    return [
        Problem(
            path=rel,
            line=1,
            field=None,
            rule="path",
            message=(
                f"the file's path does not match its content: a request for {request.model} at "
                f"{request.revision[:12]}… in {request.precision.value} "
                f"{'with' if request.use_chat_template else 'without'} chat template must be "
                f"at {expected}"
            ),
        )
    ]


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
