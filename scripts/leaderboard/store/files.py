"""Writing files so that a killed process never leaves half of one."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def _listdir(folder: Path) -> list[str]:
    try:
        with os.scandir(folder) as it:
            return sorted(e.name for e in it if not e.name.startswith("."))
    except (FileNotFoundError, NotADirectoryError):
        return []


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
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
