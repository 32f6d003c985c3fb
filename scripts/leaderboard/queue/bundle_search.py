"""Finding evaluation bundles in whatever layout the artifacts were unpacked into.

``actions/download-artifact`` (v5 and later) unpacks a pattern that matches one artifact
straight into ``path``, and several into ``path/<artifact name>/``; with ``merge-multiple`` all
land in ``path`` together. So the record job cannot know the layout in advance: a bundle is any
folder holding ``outcome.json``, found at ``path`` itself or below it. With the requests the run
claimed, ``record`` takes each one's bundle from the artifact named for it (:func:`bundle_for`)
and nothing else.
"""

from __future__ import annotations

from pathlib import Path

from .bundles import OUTCOME_FILE
from .matrix import artifact_name

#: Bundles sit at ``path`` or one level below; lm-eval's own folders inside a bundle are deeper
#: and never hold an outcome file, so a shallow search is both enough and cheap.
MAX_DEPTH = 2


def find_bundles(folder: Path) -> list[Path]:
    """Every bundle folder at or below ``folder`` (sorted); none when it does not exist."""
    if not folder.is_dir():
        return []
    found: list[Path] = []
    frontier = [folder]
    for _ in range(MAX_DEPTH):
        below: list[Path] = []
        for current in frontier:
            if (current / OUTCOME_FILE).is_file():
                found.append(current)
                continue  # a bundle's own subfolders are lm-eval output, not bundles
            below += sorted(p for p in current.iterdir() if p.is_dir() and not p.is_symlink())
        frontier = below
    return sorted(found)


def bundle_for(folder: Path, request: str, *, alone: bool) -> Path | None:
    """The bundle of one claimed request: the artifact named for it (``bundle-name``), never
    any other folder. ``alone``: the only request of the run, whose one artifact
    download-artifact unpacks into ``folder`` itself (its content then says whose it is)."""
    named = folder / artifact_name(request)
    if (named / OUTCOME_FILE).is_file() and not named.is_symlink():
        return named
    if alone and (folder / OUTCOME_FILE).is_file():
        return folder
    return None
