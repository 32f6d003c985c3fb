"""Which Hub datasets a suite's tasks read, at which commit, and task files that pin them.

lm-eval's built-in tasks name a dataset repo but no revision, so the data behind a score can
change under it. Every run therefore pins each Hub dataset to one commit: the suite's own pin
(``datasets:`` in suite.yaml) or, for an unpinned one, the commit its ``main`` is at (read from
the Hub, or from the cache when datasets are offline). Pinning is done with small override task
files (``include:`` of lm-eval's own file plus ``dataset_kwargs.revision``), which lm-eval
indexes after its own folder, so the same files reproduce the run with the plain ``lm_eval``
command. Nothing here downloads data; ``prepare`` below is the one step that does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..core.errors import EvaluationFailed, LeaderboardError
from ..core.ids import MODEL_ID_RE
from ..core.models import FailureCategory, Suite
from .tasks import task_include_paths

#: Where the pinning task files go, under a run's work folder or ``suite-tasks --out``.
PINS_DIR = "dataset-pins"


@dataclass(frozen=True)
class TaskDataset:
    """One task of a suite and the Hub dataset it reads."""

    task: str
    repo: str
    config: str | None
    yaml_path: Path
    dataset_kwargs: dict[str, Any]


def task_manager(include_paths: list[str]) -> Any:
    """lm-eval's TaskManager over only these folders (never the 14k built-in tasks)."""
    from lm_eval.tasks import TaskManager

    return TaskManager(include_path=include_paths, include_defaults=False)


def is_hub_dataset(path: object) -> bool:
    """A Hub repo id, as opposed to a builder (``json``, ``parquet``) or a local folder."""
    return isinstance(path, str) and bool(MODEL_ID_RE.fullmatch(path)) and not Path(path).exists()


def hub_datasets(manager: Any) -> list[TaskDataset]:
    """Every task in the manager's index that reads a Hub dataset, by task name."""
    out = []
    for name in manager.all_subtasks:
        entry = manager.task_index[name]
        cfg = entry.cfg or {}
        if entry.yaml_path is None or not is_hub_dataset(cfg.get("dataset_path")):
            continue
        kwargs = cfg.get("dataset_kwargs")
        out.append(
            TaskDataset(
                task=name,
                repo=cfg["dataset_path"],
                config=cfg.get("dataset_name"),
                yaml_path=Path(entry.yaml_path),
                dataset_kwargs=dict(kwargs) if isinstance(kwargs, dict) else {},
            )
        )
    return out


def suite_datasets(suite: Suite, workdir: Path) -> list[TaskDataset]:
    """The Hub datasets of every task the suite's folders define."""
    return hub_datasets(task_manager(task_include_paths(suite, workdir)))


def _offline() -> bool:
    import datasets.config

    return bool(datasets.config.HF_HUB_OFFLINE)


def _cached_main(repo: str) -> str | None:
    from huggingface_hub import scan_cache_dir
    from huggingface_hub.errors import CacheNotFound

    try:
        cache = scan_cache_dir()
    except CacheNotFound:
        return None
    for cached in cache.repos:
        if cached.repo_type == "dataset" and cached.repo_id == repo:
            for ref, revision in ((r, rev) for rev in cached.revisions for r in rev.refs):
                if ref == "main":
                    return revision.commit_hash
    return None


def resolve_revisions(suite: Suite, found: list[TaskDataset]) -> dict[str, str]:
    """Each dataset repo → a commit: the suite's pin, else where ``main`` is now.

    Offline (``HF_DATASETS_OFFLINE``/``HF_HUB_OFFLINE``), ``main`` is read from the cache that
    ``leaderboard runner prepare`` filled.
    """
    out: dict[str, str] = {}
    for repo in sorted({d.repo for d in found}):
        if repo in suite.datasets:
            out[repo] = suite.datasets[repo]
        elif _offline():
            sha = _cached_main(repo)
            if sha is None:
                raise EvaluationFailed(
                    f"the dataset {repo} is not in the cache and datasets are offline: run "
                    "`leaderboard runner prepare` on this runner first",
                    FailureCategory.infrastructure,
                )
            out[repo] = sha
        else:
            out[repo] = _hub_sha(repo)
    return out


def _hub_sha(repo: str, revision: str | None = None) -> str:
    from huggingface_hub import HfApi

    from ..core.env import timeout

    try:
        sha = HfApi().dataset_info(repo, revision=revision, timeout=timeout()).sha
    except Exception as exc:
        raise EvaluationFailed(
            f"could not read the dataset {repo} on the Hub: {exc}", FailureCategory.infrastructure
        ) from exc
    if not sha:
        raise EvaluationFailed(f"the Hub gave no commit for {repo}", FailureCategory.infrastructure)
    return sha


def render_pins(found: list[TaskDataset], revisions: dict[str, str], out: Path) -> Path:
    """One override task file per task: lm-eval's own file, its dataset pinned."""
    out.mkdir(parents=True, exist_ok=True)
    for item in found:
        spec = {
            "include": str(item.yaml_path),
            "task": item.task,
            "dataset_kwargs": {**item.dataset_kwargs, "revision": revisions[item.repo]},
        }
        (out / f"{item.task}.yaml").write_text(yaml.safe_dump(spec, sort_keys=False), "utf-8")
    return out


def pinned_include_paths(
    suite: Suite, workdir: Path, revisions: dict[str, str] | None = None
) -> tuple[list[str], list[TaskDataset], dict[str, str]]:
    """The include paths of a run with every Hub dataset pinned, what they read, and the pins."""
    paths = task_include_paths(suite, workdir)
    found = hub_datasets(task_manager(paths))
    if not found:
        return paths, [], {}
    pins = revisions if revisions is not None else resolve_revisions(suite, found)
    missing = sorted({d.repo for d in found} - set(pins))
    if missing:
        raise LeaderboardError(f"no revision given for the dataset(s) {', '.join(missing)}")
    return [*paths, str(render_pins(found, pins, workdir / PINS_DIR))], found, pins


def provenance_datasets(found: list[TaskDataset], pins: dict[str, str]) -> list[dict[str, Any]]:
    """What each task read, for the result's provenance."""
    return [
        {"task": d.task, "repo": d.repo, "config": d.config, "revision": pins[d.repo]}
        for d in sorted(found, key=lambda d: d.task)
    ]


# -- the runner's one download step ---------------------------------------------------------------


def prepare(suite: Suite, workdir: Path, progress: Any = print) -> dict[str, str]:
    """Fetch every dataset (at its pinned or current commit) and nltk package the suite needs.

    Afterwards an evaluation of this suite needs no network for its data: run it with
    ``HF_DATASETS_OFFLINE=1``. Returns the dataset pins it fetched.
    """
    import datasets

    found = suite_datasets(suite, workdir)
    fetched: set[tuple[str, str | None]] = set()
    for item in found:
        if (item.repo, item.config) in fetched:
            continue
        fetched.add((item.repo, item.config))
        pin = suite.datasets.get(item.repo)
        progress(f"dataset {item.repo} ({item.config or 'default'}) @ {pin or 'main'}")
        kwargs = {k: v for k, v in item.dataset_kwargs.items() if k != "trust_remote_code"}
        # An unpinned repo is fetched at main, so the cache records where main is for offline
        # runs to pin to (resolve_revisions).
        datasets.load_dataset(
            item.repo, item.config, **kwargs, **({"revision": pin} if pin else {})
        )
    pins = {
        repo: suite.datasets.get(repo) or _cached_main(repo) or _hub_sha(repo)
        for repo in sorted({d.repo for d in found})
    }
    for package in suite.nltk_data:
        _nltk(package, progress)
    return pins


def _nltk(package: str, progress: Any) -> None:
    import nltk

    try:
        nltk.data.find(f"tokenizers/{package}")
        progress(f"nltk {package}: already present")
    except LookupError:
        progress(f"nltk {package}: downloading")
        if not nltk.download(package, quiet=True, raise_on_error=True):
            raise LeaderboardError(f"nltk could not download {package}") from None
