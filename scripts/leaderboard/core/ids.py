"""Ids and paths: the shapes of Hub and GitHub names, and where each kind of file lives.

Paths are derived from content (a request's identity names its file), so a duplicate request
collides on its path and a file can be checked against what it says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the models use the shapes defined here
    from .models import RequestIdentity

# --------------------------------------------------------------------------------------------
# Identifiers and safe text
# --------------------------------------------------------------------------------------------

#: One part of a Hub repo id. The Hub allows letters, digits, ``-``, ``_`` and ``.``, up to 96
#: characters, not starting or ending with ``-`` or ``.``, and no ``--`` or ``..`` inside.
_HUB_PART = r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9_])?"
HUB_PART_RE = re.compile(rf"^{_HUB_PART}$")
MODEL_ID_RE = re.compile(rf"^{_HUB_PART}/{_HUB_PART}$")
SHA_RE = re.compile(r"^[0-9a-f]{40}$")
#: GitHub logins: alphanumerics and single inner hyphens, at most 39 characters.
GITHUB_LOGIN_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")


def model_id_fault(value: str) -> str | None:
    """Why ``value`` is not a Hub model id (``org/name``, as the Hub allows), or None when it is
    one: the one rule behind the request's ``model`` field and every path built from an id."""
    if not MODEL_ID_RE.fullmatch(value) or "--" in value or ".." in value:
        return (
            "use 'org/name' with letters, digits, '-', '_' and '.', at most 96 characters a "
            "part, no '..' or '--'"
        )
    if value.lower().endswith(".git"):
        return "it may not end in '.git'"
    return None


def is_model_id(value: str) -> bool:
    return model_id_fault(value) is None


REQUESTS_DIR = "requests"
RESULTS_DIR = "results"
#: What the table reads of each result, one small file per result (``store.result_index``).
INDEX_DIR = "index"
#: What the record job's signed attestation covers, one small note per attested result
#: (``store.attestations``); written only after GitHub signed it.
ATTESTATIONS_DIR = "attestations"
CURATION_DIR = "curation"
#: A deployment's own suites, ``suites/<name>/suite.yaml`` (``suites.loader``).
SUITES_DIR = "suites"

#: The curation files, by kind: maintainers own them (CODEOWNERS), CI validates them.
SETTINGS_FILE = f"{CURATION_DIR}/settings.yaml"
FLAGS_FILE = f"{CURATION_DIR}/flags.yaml"
CHOICE_FILE = f"{CURATION_DIR}/maintainers-choice.yaml"
DO_NOT_SUBMIT_FILE = f"{CURATION_DIR}/do-not-submit.yaml"
RENAMES_FILE = f"{CURATION_DIR}/renames.yaml"
CURATION_FILE_PATHS = {
    "settings": SETTINGS_FILE,
    "flags": FLAGS_FILE,
    "maintainers_choice": CHOICE_FILE,
    "do_not_submit": DO_NOT_SUBMIT_FILE,
    "renames": RENAMES_FILE,
}


def request_stem(revision: str, precision: str, use_chat_template: bool) -> str:
    """``<sha>_<precision>_<chat|nochat>``: a request's identity as a file name. A request's
    file, its results and its evaluation cache are all named from it."""
    return f"{revision}_{precision}_{'chat' if use_chat_template else 'nochat'}"


def request_path(identity: RequestIdentity) -> str:
    """``requests/<org>/<model>/<sha>_<precision>_<chat|nochat>.yaml``."""
    return f"{REQUESTS_DIR}/{identity.model}/{identity.stem}.yaml"


def result_path(identity: RequestIdentity, suite: str, attempt: int) -> str:
    """One file per run: an attempt never overwrites another, so recording is idempotent."""
    return f"{RESULTS_DIR}/{identity.model}/{identity.stem}_{suite}_attempt-{attempt}.json"


@dataclass(frozen=True)
class PathParts:
    model: str
    revision: str
    precision: str
    use_chat_template: bool


def parse_request_path(rel: str) -> PathParts | None:
    """The identity a request path claims, or None if the path is not a request path."""
    parts = PurePosixPath(rel).parts
    if len(parts) != 4 or parts[0] != REQUESTS_DIR or not parts[3].endswith(".yaml"):
        return None
    pieces = parts[3].removesuffix(".yaml").split("_")
    if len(pieces) != 3 or pieces[2] not in ("chat", "nochat"):
        return None
    return PathParts(f"{parts[1]}/{parts[2]}", pieces[0], pieces[1], pieces[2] == "chat")


_RESULT_NAME = re.compile(
    r"^(?P<stem>[0-9a-f]{40}_[^_/]+_(?:chat|nochat))_(?P<suite>[a-z0-9_-]+)"
    r"_attempt-(?P<attempt>[0-9]+)\.json$"
)


@dataclass(frozen=True)
class ResultParts:
    model: str
    stem: str
    suite: str
    attempt: int


def parse_result_path(rel: str) -> ResultParts | None:
    """What a result path says (see :func:`result_path`), or None if it is not one."""
    parts = PurePosixPath(rel).parts
    if len(parts) != 4 or parts[0] != RESULTS_DIR:
        return None
    m = _RESULT_NAME.match(parts[3])
    if m is None:
        return None
    return ResultParts(f"{parts[1]}/{parts[2]}", m["stem"], m["suite"], int(m["attempt"]))


def result_key(result_rel: str) -> str:
    """``results/ORG/NAME/F.json`` -> ``ORG/NAME/F``: a result's name in the details store."""
    return result_rel.removeprefix(f"{RESULTS_DIR}/").removesuffix(".json")


def index_path(result_rel: str) -> str:
    """``results/ORG/NAME/F.json`` -> ``index/ORG/NAME/F.json``: a result's index entry."""
    return f"{INDEX_DIR}/{result_rel.removeprefix(f'{RESULTS_DIR}/')}"


def attestation_path(result_rel: str) -> str:
    """``results/ORG/NAME/F.json`` -> ``attestations/ORG/NAME/F.json``: the note that says a
    result (and its index entry) was attested."""
    return f"{ATTESTATIONS_DIR}/{result_rel.removeprefix(f'{RESULTS_DIR}/')}"


def result_of_index(index_rel: str) -> str:
    """The result path an index entry path stands for (see :func:`index_path`)."""
    return f"{RESULTS_DIR}/{index_rel.removeprefix(f'{INDEX_DIR}/')}"


#: Control characters; a regular expression, since every bulk read checks each of its paths.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def is_safe_relpath(rel: str) -> bool:
    """A repository-relative path with no traversal, no absolute part and no odd characters,
    each of whose names a file system can hold (git allows longer ones than Linux's 255 bytes)."""
    if not rel or rel.startswith("/") or "\\" in rel or len(rel) > 400:
        return False
    if _CONTROL.search(rel):
        return False
    return all(
        part not in ("", ".", "..") and len(part.encode(errors="surrogateescape")) <= 255
        for part in rel.split("/")
    )


PICKLE_SUFFIXES = (".bin", ".pt", ".pth", ".ckpt", ".pkl", ".pickle")

CODEOWNERS_PATH = ".github/CODEOWNERS"
