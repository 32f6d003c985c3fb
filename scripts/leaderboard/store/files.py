"""Files on disk: listing folders, spotting links, parsing JSON, and writing so that a killed
process never leaves half a file."""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path
from typing import Any

import orjson


def listdir(folder: Path | str) -> list[str]:
    """The visible entries of ``folder``, sorted; none when it is missing or not a folder."""
    try:
        with os.scandir(folder) as it:
            return sorted(e.name for e in it if not e.name.startswith("."))
    except (FileNotFoundError, NotADirectoryError):
        return []


def parse_json(raw: bytes) -> Any:
    """JSON with orjson (the table parses one file per row); lm-eval can write ``NaN``, which
    orjson refuses, so such a document is parsed again by the standard library."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return json.loads(raw)


LINKS = "links are not allowed in the repository's data files"


def linked_folder(root: Path, rel: str) -> str | None:
    """The first folder on the way to ``rel`` that is a symbolic link, if any.

    A pull request can add ``requests/acme -> /`` as easily as a file, and reading through it
    would read outside the repository, so the folders are checked, not just the file.
    """
    parts = rel.split("/")
    folder = str(root)
    for end in range(1, len(parts)):
        folder = f"{folder}/{parts[end - 1]}"
        try:
            if stat.S_ISLNK(os.lstat(folder).st_mode):
                return "/".join(parts[:end])
        except OSError:
            return None  # nothing there, so nothing beneath it either
    return None


class NotADataFile(Exception):
    """A path that must not be read as a data file: a link on the way, or no regular file."""


def read_data_file(root: Path, rel: str, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of the regular file at ``rel`` (the caller refuses more),
    read without following a symbolic link in any folder on the way or in the file itself.

    Raises ``NotADataFile`` saying why, and ``FileNotFoundError`` when nothing is there.
    """
    link = linked_folder(root, rel)
    if link is not None:
        raise NotADataFile(f"'{link}' is a symbolic link; {LINKS}")
    try:
        # No link followed, and no wait on a pipe: a folder or a pipe opens, and is refused next.
        fd = os.open(f"{root}/{rel}", os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise NotADataFile(f"symbolic {LINKS}") from None
        raise
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # a folder or a submodule where a file should be
            raise NotADataFile("this is not a regular file")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def write_text_atomic(file: Path, text: str) -> None:
    """Write through a temporary file and rename, so a killed process never leaves half a file."""
    file.parent.mkdir(parents=True, exist_ok=True)
    tmp = file.with_name(f".{file.name}.tmp")
    try:
        with tmp.open("w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
        tmp.replace(file)
    except BaseException:
        tmp.unlink(missing_ok=True)  # a full disk must not leave a stray half-written copy
        raise


def dump_result(data: dict[str, Any]) -> str:
    """A results file as git keeps it: one line, no indentation (26% of an indented real
    result is whitespace), a final newline so that git's diffs stay tidy."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
