"""The one reader of request files: path shape, links, size, strict YAML, schema, location.

A request is read here wherever it is read: from a pull request by validation, and from main by
the queue, the runner and the site. So whatever validation accepts, the runner and the site
read alike, and a file that went bad on main is refused with the same located problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import ValidationError as PydanticValidationError

from ..core.errors import ValidationFailed
from ..core.ids import (
    HUB_PART_RE,
    is_safe_relpath,
    parse_request_path,
    request_path,
)
from ..core.models import Problem, Request, problem
from ..core.printable import bounded
from ..core.rules import Rule
from .files import NotADataFile, read_data_file
from .yaml_strict import MAX_BYTES, KeyPath, load_yaml, problems_from_pydantic

if TYPE_CHECKING:  # the repository reads its requests through this module
    from .repo import Repo


def path_problems(rel: str, request: Request) -> list[Problem]:
    """Check that a request file sits exactly where its content says it should."""
    expected = request_path(request.identity)
    if rel == expected:
        return []
    return [
        problem(
            rel,
            Rule.path,
            f"the file's path does not match its content: a request for {request.model} at "
            f"{request.revision[:12]}… in {request.precision.value} "
            f"{'with' if request.use_chat_template else 'without'} chat template must be "
            f"at {expected}",
            line=1,
        )
    ]


@dataclass
class ParsedRequest:
    rel: str
    request: Request | None
    lines: dict[KeyPath, int]
    problems: list[Problem]

    def line(self, name: str) -> int | None:
        return self.lines.get((name,))


UNSAFE_PATH = "not a safe repository-relative path"
#: An unsafe path is shown this long at most, as its problem's path.
_PATH_SHOWN = 200


def parse_request_file(repo: Repo, rel: str, *, where: bool = True) -> ParsedRequest:
    """Strictly parse a request file: path, symbolic links, size, YAML, schema and, with
    ``where``, that the file sits where its content says (a new request in a pull request).

    Every reader of a request comes here (``Repo.read_request`` without ``where``, for files
    already known by their path). A misplaced file is still read, so that one run reports
    everything to fix, and the path problem can name the exact path the content calls for. A
    missing file raises ``FileNotFoundError``, as reading any file does.
    """
    if not is_safe_relpath(rel) or not rel.isprintable():
        hint = ": use requests/<org>/<model>/<file>.yaml" if where else ""
        shown = bounded(rel, _PATH_SHOWN)
        return ParsedRequest(rel, None, {}, [problem(shown, Rule.path, UNSAFE_PATH + hint)])
    shape = _path_shape_problems(rel) if where else []
    if shape and not rel.endswith(".yaml"):
        return ParsedRequest(rel, None, {}, shape)
    try:
        data = read_data_file(repo.root, rel, MAX_BYTES)
    except NotADataFile as exc:
        return ParsedRequest(rel, None, {}, shape or [problem(rel, Rule.path, str(exc))])
    try:
        value, lines = load_yaml(rel, data)
    except ValidationFailed as exc:
        return ParsedRequest(rel, None, {}, shape + exc.problems)
    if not isinstance(value, dict):
        message = "the file must be a YAML mapping of field: value"
        return ParsedRequest(rel, None, lines, [*shape, problem(rel, Rule.schema, message, 1)])
    try:
        request = Request.model_validate(value)
    except PydanticValidationError as exc:
        return ParsedRequest(rel, None, lines, shape + problems_from_pydantic(rel, exc, lines))
    if not where:
        return ParsedRequest(rel, request, lines, [])
    return ParsedRequest(rel, request, lines, path_problems(rel, request))


def _path_shape_problems(rel: str) -> list[Problem]:
    parts = parse_request_path(rel)
    if parts is None:
        return [
            problem(
                rel,
                Rule.path,
                "not a request file path: requests go to "
                "requests/<org>/<model>/<40-hex sha>_<precision>_<chat|nochat>.yaml "
                "(`leaderboard submit` writes it for you)",
            )
        ]
    org, name = parts.model.split("/")
    if not (HUB_PART_RE.fullmatch(org) and HUB_PART_RE.fullmatch(name)):
        return [problem(rel, Rule.path, f"{parts.model!r} in the path is not a valid Hub model id")]
    return []
