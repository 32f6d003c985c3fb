"""The curation files maintainers own: flags, maintainer's choice, do-not-submit, renames."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import (
    BaseModel,
    Field,
)

from ..ids import CURATION_FILE_PATHS
from .settings import Settings
from .types import GitHubLogin, ModelId, OrgName, SafeText, Sha, StrictModel, Url, UtcDatetime


class FlagCategory(StrEnum):
    contamination = "contamination"
    unattributed_copy = "unattributed-copy"
    undeclared_merge = "undeclared-merge"
    other = "other"


class Flag(StrictModel):
    model: ModelId
    sha: Sha | None = Field(default=None, description="Flag only this commit; all if absent.")
    category: FlagCategory
    discussion: Url
    date: UtcDatetime
    maintainer: GitHubLogin
    note: SafeText | None = None


class FlagsFile(StrictModel):
    schema_version: Literal[1] = 1
    flags: list[Flag] = Field(default_factory=list)


class MaintainersChoiceFile(StrictModel):
    schema_version: Literal[1] = 1
    organisations: list[OrgName] = Field(default_factory=list)


class DoNotSubmitEntry(StrictModel):
    model: ModelId
    reason: SafeText
    date: UtcDatetime


class DoNotSubmitFile(StrictModel):
    schema_version: Literal[1] = 1
    models: list[DoNotSubmitEntry] = Field(default_factory=list)


class Rename(StrictModel):
    old: ModelId
    new: ModelId
    date: UtcDatetime
    maintainer: GitHubLogin


class RenamesFile(StrictModel):
    schema_version: Literal[1] = 1
    renames: list[Rename] = Field(default_factory=list)


#: Curation files: maintainers own them (CODEOWNERS), CI validates them like requests.
_MODELS: dict[str, type[BaseModel]] = {
    "settings": Settings,
    "flags": FlagsFile,
    "maintainers_choice": MaintainersChoiceFile,
    "do_not_submit": DoNotSubmitFile,
    "renames": RenamesFile,
}
#: kind -> (path, model) of each curation file.
CURATION_FILES = {kind: (CURATION_FILE_PATHS[kind], _MODELS[kind]) for kind in CURATION_FILE_PATHS}
CURATION_PATHS = {path: kind for kind, (path, _) in CURATION_FILES.items()}
