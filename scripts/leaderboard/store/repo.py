"""The repository as data: where each kind of file lives, and reading and writing them.

Paths are derived from content (a request's identity names its file), so a duplicate request
collides on its path and a file can be checked against what it says. Reading is split in two:
files from a pull request are untrusted and go through the strict parsers in ``yaml_strict``
and ``request_file``; files already on ``main`` have passed validation, so bulk readers (queue,
table) take a fast path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from ..core.errors import ValidationFailed
from ..core.ids import REQUESTS_DIR, RESULTS_DIR, is_safe_relpath
from ..core.models import (
    CURATION_FILES,
    DoNotSubmitFile,
    FlagsFile,
    MaintainersChoiceFile,
    RenamesFile,
    Request,
    Settings,
    problem,
)
from ..core.rules import Rule
from .files import linked_folder, listdir, parse_json, write_text_atomic
from .request_file import linked_folder_problem, parse_request_file
from .yaml_flat import load_flat
from .yaml_strict import dump_yaml, read_model

_fast_loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
ModelT = TypeVar("ModelT", bound=BaseModel)


class Repo:
    """A checkout of the leaderboard repository (any folder with the same layout)."""

    def __init__(self, root: Path | str):
        self.root = Path(root).resolve()

    def path(self, rel: str) -> Path:
        if not is_safe_relpath(rel):
            raise ValidationFailed([problem(rel, Rule.path, "not a safe repository-relative path")])
        return self.root / rel

    # -- requests ---------------------------------------------------------------------------

    def request_files(self, model: str | None = None) -> list[str]:
        """Relative paths of request files, sorted; only one model's when ``model`` is given."""
        return self.files_under(REQUESTS_DIR, ".yaml", model)

    def files_under(self, top: str, suffix: str, model: str | None = None) -> list[str]:
        """``top/<org>/<name>/*suffix``, sorted; only one model's when ``model`` is given.

        Walks with ``os.scandir`` two levels deep: at 100,000 files this is the hot path of
        every bulk reader, and it never descends into anything that is not a model folder.
        """
        base = self.root / top
        orgs = [model.split("/")[0]] if model else listdir(base)
        out: list[str] = []
        for org in orgs:
            names = [model.split("/")[1]] if model else listdir(base / org)
            for name in names:
                out += [
                    f"{top}/{org}/{name}/{e}"
                    for e in listdir(base / org / name)
                    if e.endswith(suffix)
                ]
        out.sort()
        return out

    def read_request(self, rel: str) -> Request:
        """Strict read, with located errors: for files that came from a pull request."""
        parsed = parse_request_file(self, rel, where=False)
        if parsed.request is None:
            raise ValidationFailed(parsed.problems)
        return parsed.request

    def load_request(self, rel: str) -> Request:
        """Fast read for files already on main; falls back to the strict parser on error."""
        return self._load_fast(Request, rel, lambda: self.read_request(rel))

    def iter_requests(self) -> Iterator[tuple[str, Request]]:
        for rel in self.request_files():
            yield rel, self.load_request(rel)

    def write_request(self, rel: str, request: Request, *, create: bool = False) -> None:
        """Write a request. With ``create``, refuse to overwrite: a duplicate is an error."""
        target = self.path(rel)
        if create and target.exists():
            raise ValidationFailed(
                [problem(rel, Rule.duplicate, "a request file already exists here")]
            )
        write_text_atomic(target, dump_yaml(request))

    # -- results ----------------------------------------------------------------------------

    def result_files(self, model: str | None = None) -> list[str]:
        return self.files_under(RESULTS_DIR, ".json", model)

    def read_json(self, rel: str) -> dict[str, Any]:
        """A JSON object file (lm-eval's ``NaN`` included, see ``files.parse_json``)."""
        value = parse_json(self.path(rel).read_bytes())
        if not isinstance(value, dict):
            raise ValidationFailed([problem(rel, Rule.schema, "not a JSON object")])
        return value

    # -- curation ---------------------------------------------------------------------------

    def curation(self, kind: str) -> Any:
        """A curation file's model, or its defaults when the file does not exist."""
        rel, model = CURATION_FILES[kind]
        if not (self.root / rel).exists():
            return model()
        return self._load_fast(model, rel, lambda: read_model(model, self.path(rel), rel))

    def settings(self) -> Settings:
        return self.curation("settings")

    def flags(self) -> FlagsFile:
        return self.curation("flags")

    def maintainers_choice(self) -> MaintainersChoiceFile:
        return self.curation("maintainers_choice")

    def do_not_submit(self) -> DoNotSubmitFile:
        return self.curation("do_not_submit")

    def renames(self) -> RenamesFile:
        return self.curation("renames")

    def read_curation(self, kind: str) -> Any:
        """Strict read of a curation file, with located errors: for a pull request's version."""
        rel, model = CURATION_FILES[kind]
        file = self._untrusted_path(rel)
        if not file.exists() and not file.is_symlink():
            return model()
        return read_model(model, file, rel)

    def write_curation(self, kind: str, value: BaseModel) -> str:
        rel, _ = CURATION_FILES[kind]
        write_text_atomic(self.root / rel, dump_yaml(value))
        return rel

    # -- helpers ----------------------------------------------------------------------------

    def _untrusted_path(self, rel: str) -> Path:
        """``path(rel)``, refusing symbolic links in any folder on the way, not just the file."""
        file = self.path(rel)
        link = linked_folder(self.root, rel)
        if link is not None:
            raise ValidationFailed([linked_folder_problem(rel, link)])
        return file

    def _load_fast(self, model: type[ModelT], rel: str, strict: Callable[[], ModelT]) -> ModelT:
        """Parse with no line tracking (``yaml_flat`` for the flat files the project writes,
        else libyaml); on any error, ``strict`` says where."""
        try:
            raw = self.path(rel).read_bytes()
            data = load_flat(raw)
            if data is None:
                data = yaml.load(raw, Loader=_fast_loader)  # noqa: S506
            return model.model_validate(data)
        except (yaml.YAMLError, PydanticValidationError, UnicodeDecodeError):
            return strict()  # raises with lines and fields
