"""The rows of unchanged files, kept between builds of one checkout (see ``store.filecache``).

A row is built from its request file and its result file, and from what every row shares: the
suite and the curation files. An entry is reused while its two files are unchanged; any change
to the shared inputs (or to the code) drops every entry. Only the per-row part is kept: the
passes that look across rows (generations, adapter sizes, ranks) run on every build.
"""

from __future__ import annotations

import json
from typing import Any

from ..core.models import CURATION_FILES
from ..store.filecache import FileCache, identity
from ..store.repo import Repo


def row_cache(repo: Repo, suite: Any) -> FileCache:
    shared = {
        "suite": suite.model_dump(mode="json") if hasattr(suite, "model_dump") else repr(suite),
        "curation": {kind: identity(repo.root / rel) for kind, (rel, _) in CURATION_FILES.items()},
    }
    return FileCache(repo.root, "rows", json.dumps(shared, sort_keys=True, default=str))
