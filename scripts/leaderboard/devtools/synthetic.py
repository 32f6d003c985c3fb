"""Synthetic leaderboard repositories for the site's tests and benchmark.

The files are real (requests through the schema and ``dump_yaml``, results in lm-eval's shape
with a ``provenance`` block, curation files), only the numbers are made up. ``features=True``
adds the cases the site must show correctly: flagged, merged, MoE, maintainer's choice, renamed,
removed, failed, pending, running, an undeclared merge, a model gone from the Hub, and hostile
strings that must be escaped.
"""

from __future__ import annotations

import copy
import functools
import gzip
import hashlib
import json
import math
import random
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from ..core.ids import request_path, result_path
from ..core.models import (
    Flag,
    FlagCategory,
    FlagsFile,
    HubFacts,
    MaintainersChoiceFile,
    ModelType,
    Precision,
    Provenance,
    Removal,
    Rename,
    RenamesFile,
    Request,
    Settings,
    Status,
    Suite,
    utcnow,
)
from ..queue.caps import cap_result
from ..store import result_index
from ..store.files import dump_result
from ..store.repo import Repo
from ..suites.loader import load_suite
from ..suites.uncertainty import stderr_key

_dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
#: The synthetic history starts two years back by the clock (7 minutes a request fits 100,000
#: requests before now): a fixed day would one day be too old, or still in the future.
T0 = utcnow() - timedelta(days=730)
LICENSES = ["apache-2.0", "mit", "llama3", "cc-by-nc-4.0", "other", "gemma"]
TYPES = [t for t in ModelType]
#: A 7B model's parameter count, as ``leaderboard submit`` writes it into a request.
SEVEN_B = {"params": 7.2}
#: An attempt at script injection through every free-text field the site displays.
HOSTILE = '<img src=x onerror="window.__pwned=1">'


def _sha(i: int, salt: int = 0) -> str:
    return hashlib.sha1(f"{i}:{salt}".encode(), usedforsecurity=False).hexdigest()


#: A real result of the ``leaderboard`` suite (lm-eval 0.4.13's ``leaderboard`` group, made by
#: ``leaderboard evaluate`` on a tiny model, see tests/runner/test_runner_leaderboard_suite.py):
#: every section lm-eval writes, its ~90 KB ``configs`` block included. Only its temporary
#: task folder was renamed, so that the template does not change from one capture to the next.
TEMPLATE = Path(__file__).parent / "templates" / "leaderboard-result.json.gz"


def full_template() -> dict[str, Any]:
    """The real result, as lm-eval wrote it."""
    return json.loads(gzip.decompress(TEMPLATE.read_bytes()))


@functools.cache
def _template() -> dict[str, Any]:
    """The real result as the record job commits it (its ``configs`` in the details store: the
    same block for every model of a suite version, so it is capped once)."""
    with tempfile.TemporaryDirectory(prefix="lb-synthetic-") as moved:
        capped, _ = cap_result(full_template(), Path(moved))
    return capped


def _results(suite: Suite, rng: random.Random, real_size: bool) -> dict[str, Any]:
    """Made-up scores; with ``real_size``, in the real result's shape and size (its configs,
    environment and hashes as lm-eval writes them), so that benchmarks read what CI reads."""
    body: dict[str, Any] = (
        copy.deepcopy(_template())
        if real_size
        else {"results": {}, "versions": {}, "n-shot": {}, "configs": {}}
    )
    tasks: dict[str, dict[str, Any]] = body["results"]
    for bench in suite.benchmarks:
        skill = rng.random()
        for sub in bench.subtasks:
            entry = tasks.setdefault(sub.task, {"alias": sub.task})
            for key in bench.metrics:
                value = round(min(1.0, max(0.0, rng.gauss(skill, 0.1))), 4)
                entry[key] = value
                # lm-eval's binomial error for a 500-question task; no draw, so seeded values
                # stay what they were.
                entry[stderr_key(key)] = round(math.sqrt(value * (1 - value) / 499), 6)
    if not real_size:
        body["versions"] = {t: 1 for t in tasks}
    return body


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def add_model(
    repo: Repo,
    suite: Suite,
    model: str,
    i: int,
    rng: random.Random,
    *,
    status: Status = Status.finished,
    model_type: ModelType | None = None,
    precision: Precision = Precision.bfloat16,
    chat: bool = False,
    hub: dict[str, Any] | None = None,
    request: dict[str, Any] | None = None,
    attempts: int = 1,
    sha_salt: int = 0,
    real_size: bool = False,
    wall_hours: float = 1.0,
    pool: str | None = "gpu",
    submitted_at: datetime | None = None,
) -> Request:
    """Write one request (and, if FINISHED, its results) for a made-up model: its run took
    ``wall_hours`` (on ``pool``, as the provenance records it), an hour after it was submitted
    (``submitted_at``, else a time of the synthetic history)."""
    submitted = submitted_at or T0 + timedelta(minutes=7 * i)
    ran = timedelta(hours=wall_hours)
    fields: dict[str, Any] = {
        "model": model,
        "revision": _sha(i, sha_salt),
        "precision": precision,
        "model_type": model_type or TYPES[i % len(TYPES)],
        "use_chat_template": chat,
        "submitter": f"user{i % 97}",
        "submitted_at": submitted,
        "status": status,
    }
    if status in (Status.finished, Status.failed, Status.running):
        fields.update(runner="gpu-runner-1", started_at=submitted + timedelta(hours=1))
        fields["attempts"] = attempts
    if status in (Status.finished, Status.failed):
        fields["finished_at"] = submitted + timedelta(hours=1) + ran
    if status is Status.running:
        fields["attempts"] = 1
    fields.update(request or {})
    req = Request.model_validate(fields)
    _write(
        repo.root / request_path(req.identity),
        yaml.dump(req.model_dump(mode="json", exclude_none=True), Dumper=_dumper, sort_keys=False),
    )
    if status is not Status.finished:
        return req
    facts: dict[str, Any] = {
        "model": model,
        "sha": req.revision,
        "license": LICENSES[i % len(LICENSES)],
        "likes": rng.randint(0, 500),
        "architectures": ["LlamaForCausalLM"],
        "model_type": "llama",
        "params": int(10 ** rng.uniform(8, 11.3)),
        "safetensors": True,
        "created_at": submitted - timedelta(days=3),
    }
    facts.update(hub or {})
    for attempt in range(1, attempts + 1):
        prov = Provenance(
            request=request_path(req.identity),
            request_commit=_sha(i, 7),
            model=model,
            revision=req.revision,
            precision=req.precision,
            use_chat_template=chat,
            attempt=attempt,
            suite=suite.name,
            suite_version=suite.version,
            lm_eval_version="0.4.13",
            transformers_version="5.23.0",
            hardware="1x NVIDIA H100 80GB",
            device="cuda",
            batch_size="auto",
            # What runner pools record (settings' runner_pools, core/plan.py): the pool, whether
            # the model was split across its GPUs, and the peak memory the run held.
            pool=pool,
            parallelism="single",
            gpu_model="NVIDIA H100 80GB HBM3",
            gpu_count=1,
            peak_memory_gb=round(min(79.0, 1.5 + (facts["params"] or 0) / 1e9 * 2), 1),
            runner="gpu-runner-1",
            started_at=submitted + timedelta(hours=1),
            finished_at=submitted + timedelta(hours=1) + ran,
            wall_time_seconds=ran.total_seconds(),
            command=(
                f"lm_eval --model hf --model_args pretrained={model},revision={req.revision},"
                f"dtype={req.precision.value} --tasks {','.join(suite.tasks)} --batch_size auto "
                "--device cuda"
            ),
            details=f"https://huggingface.co/datasets/example/details/{model}",
            hub=HubFacts.model_validate(facts),
        )
        body = _results(suite, rng, real_size)
        body["total_evaluation_time_seconds"] = str(ran.total_seconds())
        body["provenance"] = prov.model_dump(mode="json", exclude_none=True)
        if real_size:
            # The real run's per-task dataset commits: 6 KB of every real result.
            body["provenance"]["datasets"] = _template()["provenance"]["datasets"]
        rel = result_path(req.identity, suite.name, attempt)
        _write(
            repo.root / rel,
            dump_result(body) if real_size else json.dumps(body, separators=(",", ":")),
        )
        # As the record job commits them: the raw result and its index entry.
        result_index.write_entry(repo, rel)
    return req


def _write_model(repo: Repo, kind: str, value: Any) -> None:
    repo.write_curation(kind, value)


def make_repo(
    root: Path,
    n_models: int,
    suite: str = "demo",
    *,
    features: bool = True,
    seed: int = 0,
    real_size: bool = False,
) -> Repo:
    """A repository with ``n_models`` finished evaluations (plus the feature cases).

    ``real_size`` writes results in the real ``leaderboard`` suite's shape and size (needs that
    suite's tasks): what benchmarks must read, since a toy result hides where the time goes.
    """
    repo = Repo(root)
    add = functools.partial(add_model, real_size=real_size)
    s = load_suite(suite)
    rng = random.Random(seed)  # noqa: S311 (made-up scores, not secrets)
    _write_model(
        repo,
        "settings",
        Settings(
            title="Synthetic Leaderboard",
            suite=suite,
            maintainers=["maint"],
            repo_url="https://github.com/example/leaderboard",
        ),
    )
    for i in range(n_models):
        add(repo, s, f"org{i % max(1, n_models // 5)}/model-{i}", i, rng)
    if not features:
        return repo
    base = n_models + 1000
    now = T0
    add(
        repo,
        s,
        "trusted/highlight-7b",
        base + 1,
        rng,
        model_type=ModelType.chat,
        chat=True,
        hub={"params": 7_200_000_000, "license": "apache-2.0"},
    )
    add(
        repo,
        s,
        "trusted/highlight-7b",
        base + 1,
        rng,
        model_type=ModelType.chat,
        precision=Precision.int4,
        hub={"params": 7_200_000_000, "license": "apache-2.0"},
    )
    add(
        repo,
        s,
        "cheater/contaminated-13b",
        base + 2,
        rng,
        model_type=ModelType.fine_tuned,
        hub={"params": 13_000_000_000, "license": "mit"},
    )
    add(
        repo,
        s,
        "merger/frankenmerge-70b",
        base + 3,
        rng,
        model_type=ModelType.merge,
        hub={"params": 70_000_000_000, "merged": True, "tags": ["merge", "mergekit"]},
    )
    # The same model at two commits, the second submitted later: the table marks it the latest.
    for n in (base + 4, base + 15):
        add(
            repo,
            s,
            "experts/mixture-8x1b",
            n,
            rng,
            model_type=ModelType.pretrained,
            hub={"params": 8_000_000_000, "moe": True, "tags": ["moe"]},
        )
    add(
        repo,
        s,
        "sneaky/quiet-merge-1b",
        base + 5,
        rng,
        model_type=ModelType.fine_tuned,
        hub={"params": 1_000_000_000, "card_says_merge": True},
    )
    add(
        repo,
        s,
        "newname/renamed-3b",
        base + 6,
        rng,
        model_type=ModelType.pretrained,
        hub={"params": 3_100_000_000},
    )
    add(
        repo, s, "gone/deleted-2b", base + 7, rng, hub={"params": 2_000_000_000, "available": False}
    )
    add(
        repo,
        s,
        "hostile/escape-test",
        base + 8,
        rng,
        hub={"license": HOSTILE, "architectures": [HOSTILE], "params": 500_000_000},
        attempts=2,
    )
    add(
        repo,
        s,
        "removed/taken-down-7b",
        base + 9,
        rng,
        request={"removed": Removal(at=now, by="maint", reason="The authors asked.")},
    )
    add(
        repo,
        s,
        "broken/failing-model",
        base + 10,
        rng,
        status=Status.failed,
        request={
            "failure_reason": "config.json has an auto_map: remote code is refused",
            "failure_category": "model",
        },
    )
    add(
        repo,
        s,
        "unlucky/infra-fail",
        base + 11,
        rng,
        status=Status.failed,
        request={
            "failure_reason": "the runner was lost (timeout after 12 h)",
            "failure_category": "infrastructure",
            "log_url": "https://github.com/example/leaderboard/actions/runs/1",
        },
    )
    # Sizes for the queue's estimates, from the finished runs of the same size class.
    add(repo, s, "waiting/first-in-line", base + 12, rng, status=Status.pending, request=SEVEN_B)
    add(repo, s, "waiting/second-in-line", base + 13, rng, status=Status.pending, request=SEVEN_B)
    add(
        repo,
        s,
        "busy/being-evaluated",
        base + 14,
        rng,
        status=Status.running,
        request={"runner": "gpu-runner-2", **SEVEN_B},
    )
    _write_model(repo, "maintainers_choice", MaintainersChoiceFile(organisations=["trusted"]))
    _write_model(
        repo,
        "flags",
        FlagsFile(
            flags=[
                Flag(
                    model="cheater/contaminated-13b",
                    category=FlagCategory.contamination,
                    discussion="https://github.com/example/leaderboard/discussions/1",
                    date=now,
                    maintainer="maint",
                    note=HOSTILE,
                ),
            ]
        ),
    )
    _write_model(
        repo,
        "renames",
        RenamesFile(
            renames=[
                Rename(
                    old="newname/renamed-3b",
                    new="newname/better-name-3b",
                    date=now,
                    maintainer="maint",
                )
            ]
        ),
    )
    return repo
