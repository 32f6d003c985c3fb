"""The real `leaderboard` suite through the production path, offline.

lm-eval's own `leaderboard` group (39 tasks, their prompts, filters, metrics and group
aggregation) reads synthetic stand-ins of its six Hub datasets from a devhub, exactly as it
would read huggingface.co: `leaderboard runner prepare` fetches them (and finds the locally
built punkt_tab), then the devhub stops serving any dataset and `leaderboard evaluate` runs
with datasets offline, with and without the chat template. The site's table then has the 13
Open LLM Leaderboard score columns, and each result names the commit of every dataset it read.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from leaderboard.queue.caps import restore
from leaderboard.store.repo import Repo
from leaderboard.suites.loader import load_suite
from leaderboard.suites.scoring import score
from tests.lbtest import GIT_ENV, make_request
from tests.runner.runnertest import leaderboard

SETTINGS = "schema_version: 1\nsuite: leaderboard\nmaintainers: [alice]\n"
HF_COLUMNS = [
    "Average ⬆️",
    *(
        f"{c}{raw}"
        for c in ("IFEval", "BBH", "MATH Lvl 5", "GPQA", "MUSR", "MMLU-PRO")
        for raw in ("", " Raw")
    ),
]


def long_context(tiny: Path) -> dict[str, bytes]:
    """The tiny model with a context long enough for IFEval's 1280 new tokens (RoPE: the
    weights do not change)."""
    files = {p.name: p.read_bytes() for p in tiny.iterdir() if p.is_file()}
    config = json.loads(files["config.json"])
    config["max_position_embeddings"] = 4096
    files["config.json"] = json.dumps(config).encode()
    return files


@pytest.fixture
def offline_runner(tiny_model_dir: Path, tmp_path: Path):
    from leaderboard.devtools.devhub import publish, serve
    from leaderboard.devtools.hubdatasets import publish_leaderboard_datasets
    from leaderboard.devtools.nltkdata import build_punkt_tab

    root = tmp_path / "hub"
    sha = publish(root, "acme/tiny-long", long_context(tiny_model_dir))
    datasets = publish_leaderboard_datasets(root)
    with serve(root) as url:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "NLTK_"))}
        env.update(
            HF_ENDPOINT=url,
            HF_HOME=str(tmp_path / "hf-home"),
            HF_HUB_DISABLE_TELEMETRY="1",
            NLTK_DATA=str(build_punkt_tab(tmp_path / "nltk")),
            TOKENIZERS_PARALLELISM="false",
            OMP_NUM_THREADS="1",
            **GIT_ENV,
        )
        yield root, sha, datasets, env


@pytest.mark.slow
def test_the_leaderboard_suite_runs_offline_through_evaluate(offline_runner, make_queue, tmp_path):
    root, sha, datasets, env = offline_runner
    requests = [
        make_request("acme/tiny-long", sha, age_minutes=2),
        make_request(
            "acme/tiny-long", sha, age_minutes=1, use_chat_template=True, model_type="chat"
        ),
    ]
    queue, paths = make_queue(requests, SETTINGS)
    clone = queue.clone("runner")

    prepared = leaderboard("runner", "prepare", "--json", cwd=clone, env=env, timeout=300)
    assert prepared.returncode == 0, prepared.stderr[-3000:]
    assert json.loads(prepared.stdout[prepared.stdout.index("{") :]) == datasets
    assert "nltk punkt_tab: already present" in prepared.stdout

    # From here on no dataset can be downloaded: the devhub has none, and datasets are offline.
    shutil.rmtree(root / "datasets")
    offline = {**env, "HF_DATASETS_OFFLINE": "1"}
    start = time.monotonic()
    args = ("evaluate", "--next", "--all", "--push", "--limit", "2", "--device", "cpu")
    run = leaderboard(*args, "--runner", "ci", cwd=clone, env=offline, timeout=900)
    elapsed = time.monotonic() - start
    assert run.returncode == 0, (run.stdout[-2000:], run.stderr[-4000:])
    print(f"\nleaderboard suite, 2 requests, --limit 2: {elapsed:.1f} s")
    for rel in paths:
        assert queue.request(rel).status.value == "FINISHED", run.stdout[-2000:]

    reader = Repo(queue.clone("reader"))
    results = queue.files("results")
    assert len(results) == 2 and all("_leaderboard_attempt-1" in r for r in results)
    suite = load_suite("leaderboard")
    for rel in results:
        doc = reader.read_json(rel)
        prov = doc["provenance"]
        read = {(d["task"], d["repo"], d["revision"]) for d in prov["datasets"]}
        assert {repo for _, repo, _ in read} == set(datasets)
        assert all(revision == datasets[repo] for _, repo, revision in read)
        assert len(prov["datasets"]) == 39
        for repo, commit in datasets.items():
            assert f"--pin={repo}@{commit}" in prov["command"]
        assert "--include_path ./leaderboard-tasks" in prov["command"]
        # The task configs lm-eval recorded read the pinned commits, not main. They are in
        # the details store (git keeps a verified subset), put back by restore().
        configs = restore(doc, clone / prov["details"], rel)["configs"]
        for task, _, revision in read:
            assert configs[task]["dataset_kwargs"]["revision"] == revision
        tasks = doc["results"]
        scores = score(doc, suite)
        bbh = [tasks[s.task]["acc_norm,none"] for s in suite.benchmarks[1].subtasks]
        assert scores["BBH Raw"] == pytest.approx(sum(bbh) / 24)
        assert scores["MMLU-PRO Raw"] == tasks["leaderboard_mmlu_pro"]["acc,none"]
        assert scores["GPQA Raw"] == doc["groups"]["leaderboard_gpqa"]["acc_norm,none"]
    chat = next(reader.read_json(r) for r in results if "_chat_" in r)
    assert chat["chat_template"] and "--apply_chat_template" in chat["provenance"]["command"]

    table = leaderboard("table", cwd=reader.root, env=env)
    assert table.returncode == 0, table.stderr[-2000:]
    rows = json.loads(table.stdout)
    assert len(rows) == 2
    for row in rows:
        assert row["Suite version"] == suite.version
        for column in HF_COLUMNS:
            assert isinstance(row[column], float) and 0 <= row[column] <= 100, (column, row)
