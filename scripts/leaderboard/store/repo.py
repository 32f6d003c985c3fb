"""The repository as data: where each kind of file lives, and reading and writing them.

Paths are derived from content (a request's identity names its file), so a duplicate request
collides on its path and a file can be checked against what it says. Each kind of file has one
reader, the same for a pull request's file and for one on ``main``: a request through
``request_file``, a curation file through ``yaml_strict`` (both strict: no links, bounded size,
strict YAML, the schema, located errors), a result as JSON. Reading past a corrupt file is the
bulk readers' choice (``tolerant``), never a second parser.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

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
from .files import NotADataFile, listdir, parse_json, read_data_file, write_text_atomic
from .request_file import parse_request_file
from .yaml_strict import MAX_BYTES, dump_yaml, parse_model

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
        base = f"{self.root}/{top}"  # strings, not Paths: a Path join costs more than a listing
        orgs = [model.split("/")[0]] if model else listdir(base)
        out: list[str] = []
        for org in orgs:
            names = [model.split("/")[1]] if model else listdir(f"{base}/{org}")
            for name in names:
                out += [
                    f"{top}/{org}/{name}/{e}"
                    for e in listdir(f"{base}/{org}/{name}")
                    if e.endswith(suffix)
                ]
        out.sort()
        return out

    def read_request(self, rel: str) -> Request:
        """The request at ``rel``, read strictly (``request_file``); raises ``ValidationFailed``
        with located problems, ``FileNotFoundError`` when there is none."""
        parsed = parse_request_file(self, rel, where=False)
        if parsed.request is None:
            raise ValidationFailed(parsed.problems)
        return parsed.request

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

    def read_curation(self, kind: str) -> BaseModel:
        """A curation file's model, read strictly (no links, bounded size, strict YAML, the
        schema, located errors); its defaults when the file does not exist."""
        rel, model = CURATION_FILES[kind]
        try:
            data = read_data_file(self.root, rel, MAX_BYTES)
        except FileNotFoundError:
            return model()
        except NotADataFile as exc:
            raise ValidationFailed([problem(rel, Rule.path, str(exc))]) from None
        return parse_model(model, rel, data)

    def settings(self) -> Settings:
        return self._curation("settings", Settings)

    def flags(self) -> FlagsFile:
        return self._curation("flags", FlagsFile)

    def maintainers_choice(self) -> MaintainersChoiceFile:
        return self._curation("maintainers_choice", MaintainersChoiceFile)

    def do_not_submit(self) -> DoNotSubmitFile:
        return self._curation("do_not_submit", DoNotSubmitFile)

    def renames(self) -> RenamesFile:
        return self._curation("renames", RenamesFile)

    def _curation(self, kind: str, model: type[ModelT]) -> ModelT:
        value = self.read_curation(kind)
        assert isinstance(value, model)  # CURATION_FILES pairs each kind with this model
        return value

    def write_curation(self, kind: str, value: BaseModel) -> str:
        rel, _ = CURATION_FILES[kind]
        write_text_atomic(self.root / rel, dump_yaml(value))
        return rel
