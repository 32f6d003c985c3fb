"""What one result may commit to git: bounded, whatever the model's repository holds.

lm-eval copies into its results what the model repository and the machine say: the chat
template, the tokenizer's special tokens, the environment, every task's configuration. A model
can make those as large as it likes (a 20 MB chat template made a 20 MB commit). Before a
result is committed, every string longer than ``FIELD_LIMIT`` moves to the details store,
leaving its size and SHA-256 in its place; then, while the file is still over ``RESULT_LIMIT``,
the largest top-level sections that the table does not read move the same way. The scores
(``results``, ``groups``) and the provenance always stay.

``configs`` always moves. It is lm-eval's copy of every task's configuration: most of a real
``leaderboard`` result (``docs/performance.md`` has the sizes), the same for every model
evaluated with one suite version, and nothing the site shows. Git keeps a verified subset
(everything else, written without indentation), the details store keeps the whole output, and
``restore`` puts it back together, checking each moved part against the SHA-256 the result
recorded.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ..core.errors import ValidationFailed
from ..core.models import problem
from ..core.rules import Rule

#: A string longer than this (in UTF-8 bytes) is moved out of the result file.
FIELD_LIMIT = 16 * 1024
#: The most one result file may hold once large fields have moved.
RESULT_LIMIT = 1024 * 1024
#: Sections the table and the model page read: never moved.
KEPT = frozenset({"results", "groups", "provenance", "versions", "n-shot", "higher_is_better"})
#: Sections that always move, whatever their size: read by no one but a reproducer.
ALWAYS_MOVED = ("configs",)


def _size(value: Any) -> int:
    return len(json.dumps(value, ensure_ascii=False).encode())


def _moved(name: str, data: bytes) -> dict[str, Any]:
    """What stays in the result in place of a moved value."""
    return {
        "moved_to_details": name,
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def cap_result(document: dict[str, Any], out: Path) -> tuple[dict[str, Any], list[Path]]:
    """``document`` with its large values replaced by references; the values are written as
    files under ``out`` (for the details store), returned with the capped document."""
    out.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []

    def keep(path: str, data: bytes, ext: str = ".txt") -> dict[str, Any]:
        # A whole section moves as JSON (.json), a long string as its text (.txt).
        name = f"moved_{len(files):03d}_{_safe(path)}{ext}"
        (out / name).write_bytes(data)
        files.append(out / name)
        return _moved(name, data)

    def walk(value: Any, path: str) -> Any:
        if isinstance(value, str):
            data = value.encode("utf-8", errors="surrogatepass")
            return keep(path, data) if len(data) > FIELD_LIMIT else value
        if isinstance(value, dict):
            return {k: walk(v, f"{path}.{k}" if path else str(k)) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, f"{path}.{i}") for i, v in enumerate(value)]
        return value

    capped = {k: (v if k == "provenance" else walk(v, k)) for k, v in document.items()}
    for key in ALWAYS_MOVED:
        if isinstance(capped.get(key), dict | list) and capped[key]:
            data = json.dumps(capped[key], ensure_ascii=False).encode()
            capped[key] = keep(key, data, ".json")
    movable = sorted((k for k in capped if k not in KEPT), key=lambda k: -_size(capped[k]))
    for key in movable:
        if _size(capped) <= RESULT_LIMIT:
            break
        data = json.dumps(capped[key], ensure_ascii=False, indent=2).encode()
        capped[key] = keep(key, data, ".json")
    return capped, files


def _safe(path: str) -> str:
    cleaned = "".join(c if c.isalnum() or c in "._-" else "_" for c in path)
    return cleaned[:80] or "value"


def restore(document: dict[str, Any], folder: Path, rel: str) -> dict[str, Any]:
    """lm-eval's whole output: ``document`` (the result at ``rel``) with every moved value read
    back from the details files in ``folder``. A file that is missing or does not match the
    SHA-256 the result recorded is a located error, naming the result, the field and the file.
    """

    def back(value: Any, path: str) -> Any:
        if isinstance(value, dict) and set(value) == {"moved_to_details", "bytes", "sha256"}:
            return _read_moved(folder, value, rel, path)
        if isinstance(value, dict):
            return {k: back(v, f"{path}.{k}" if path else str(k)) for k, v in value.items()}
        if isinstance(value, list):
            return [back(v, f"{path}.{i}") for i, v in enumerate(value)]
        return value

    return {k: (v if k == "provenance" else back(v, k)) for k, v in document.items()}


def _read_moved(folder: Path, ref: dict[str, Any], rel: str, field: str) -> Any:
    name = str(ref["moved_to_details"])
    file = folder / name
    wrong = None
    if "/" in name or "\\" in name or not file.is_file():
        wrong = f"its moved value {name!r} is not in the details folder {folder}"
    else:
        data = file.read_bytes()
        if hashlib.sha256(data).hexdigest() != ref["sha256"] or len(data) != ref["bytes"]:
            wrong = f"the details file {file} does not match the SHA-256 the result recorded"
    if wrong is not None:
        raise ValidationFailed([problem(rel, Rule.schema, wrong, field=field)])
    text = data.decode("utf-8", errors="surrogatepass")
    return json.loads(text) if name.endswith(".json") else text


def too_large(document: dict[str, Any]) -> int | None:
    """The size of a capped document still over ``RESULT_LIMIT`` (its scores are), else None."""
    size = _size(document)
    return size if size > RESULT_LIMIT else None
