"""How long past evaluations took, per runner pool and size class: what the queue's estimates
are made of (``core.estimates``).

A run's duration is the wall time its result's provenance records (``wall_time_seconds``,
measured on the runner around lm-eval), read from the result's index entry. Not the request
file's ``started_at`` to ``finished_at``: those are the claim and the record, and the record
job writes every leg of a dispatch at once, so they time the slowest leg of a batch plus the
wait for a runner. Its pool is the one the provenance names; a result from before pools
existed ran on the only pool there was (with several, on the one its plan gives today). Its
size is the request's ``params`` (what the plan used), else the Hub's count in the provenance.

Only the newest :data:`SCANNED` finished requests are read (by their ``finished_at``), so the
queue costs the same at 100,000 models as at 100.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from ..core.errors import ValidationFailed
from ..core.estimates import Run
from ..core.ids import INDEX_DIR, RESULTS_DIR, index_path, parse_result_path
from ..core.models import Request, Settings, Status
from ..core.plan import planned_pool
from ..core.sizes import size_class
from ..store import result_index
from ..store.repo import Repo

#: Finished requests whose results are read, newest first.
SCANNED = 500


def _latest_result(repo: Repo, request_rel: str, suite: str) -> str | None:
    """The latest attempt's result path of a request for ``suite`` that has an index entry
    (or, where there is none, a raw file in the checkout)."""
    _, org, name, file = request_rel.split("/", 3)
    stem = file.removesuffix(".yaml")
    best: tuple[int, str] | None = None
    for top in (INDEX_DIR, RESULTS_DIR):
        try:
            names = os.listdir(repo.root / top / org / name)
        except OSError:
            continue
        for entry in names:
            rel = f"{RESULTS_DIR}/{org}/{name}/{entry}"
            parts = parse_result_path(rel)
            if (
                parts
                and parts.stem == stem
                and parts.suite == suite
                and (best is None or parts.attempt > best[0])
            ):
                best = (parts.attempt, rel)
        if best is not None:
            return best[1]
    return None


def _provenance(repo: Repo, result_rel: str) -> dict[str, Any] | None:
    """The provenance of a result, from its index entry or raw file."""
    try:
        entry = result_index.read_entry(repo, index_path(result_rel))
    except (OSError, ValueError, ValidationFailed):
        try:
            entry = repo.read_json(result_rel)
        except (OSError, ValueError, ValidationFailed):
            return None
    if not isinstance(entry, dict) or not isinstance(entry.get("provenance"), dict):
        return None
    return entry["provenance"]


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def measured_runs(
    repo: Repo, settings: Settings, requests: Iterable[tuple[str, Request]]
) -> list[Run]:
    """The measured runs of the newest :data:`SCANNED` finished requests (see the module's
    docstring); one that cannot be read, or says no pool or size, is left out."""
    finished = [(rel, r) for rel, r in requests if r.status is Status.finished and r.finished_at]
    finished.sort(key=lambda item: item[1].finished_at or datetime.min, reverse=True)
    pools = {p.name for p in settings.runner_pools}
    out = []
    for rel, request in finished[:SCANNED]:
        result = _latest_result(repo, rel, settings.suite)
        prov = _provenance(repo, result) if result else None
        if prov is None:
            continue
        hours = _number(prov.get("wall_time_seconds"))
        params_b = request.params
        if params_b is None:
            hub_params = _number((prov.get("hub") or {}).get("params"))
            params_b = hub_params / 1e9 if hub_params is not None else None
        pool = prov.get("pool") if prov.get("pool") in pools else None
        if pool is None and not prov.get("pool"):
            pool = planned_pool(settings, request)
        if hours is None or pool is None or params_b is None or request.finished_at is None:
            continue
        out.append(Run(pool, size_class(params_b), hours / 3600, request.finished_at))
    return out
