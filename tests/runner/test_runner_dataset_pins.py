"""A suite in the repository pins a Hub dataset to a commit: the run reads that commit, not main.

The dataset is published twice to a devhub, so main has moved on past the pin; the suite (a
deployment's own, under `suites/`, using lm-eval's built-in BBH task) pins the first commit.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from leaderboard.core.ids import request_path
from leaderboard.store.repo import Repo
from tests.lbtest import GIT_ENV, git, make_request
from tests.runner.runnertest import leaderboard

SUITE = """\
name: pinned
version: "1"
lm_eval_version: "0.4.13"
tasks: [leaderboard_bbh_boolean_expressions]
builtin_task_dirs: [leaderboard/bbh_mc]
datasets: {{SaylorTwift/bbh: {pin}}}
benchmarks:
  - column: Booleans
    metrics: ["acc_norm,none"]
    subtasks:
      - {{task: leaderboard_bbh_boolean_expressions, choices: 2}}
"""


def _bbh(version: str) -> dict[str, bytes]:
    from leaderboard.devtools.hubdatasets import dataset_files

    rows = [{"input": f"{version} question {i}", "target": "True"} for i in range(2)]
    return dataset_files("SaylorTwift/bbh", {"boolean_expressions": {"test": rows}})


@pytest.mark.slow
def test_a_pinned_dataset_is_read_at_its_commit(tiny_model_dir: Path, tmp_path: Path):
    from leaderboard.devtools.devhub import publish, serve

    hub = tmp_path / "hub"
    model = publish(hub, "acme/tiny", tiny_model_dir)
    first = publish(hub, "SaylorTwift/bbh", _bbh("first"), repo_type="dataset")
    publish(hub, "SaylorTwift/bbh", _bbh("second"), repo_type="dataset")

    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "curation").mkdir()
    (repo / "curation" / "settings.yaml").write_text("schema_version: 1\nsuite: pinned\n")
    (repo / "suites" / "pinned").mkdir(parents=True)
    (repo / "suites" / "pinned" / "suite.yaml").write_text(SUITE.format(pin=first))
    request = make_request("acme/tiny", model, age_minutes=1)
    rel = request_path(request.identity)
    Repo(repo).write_request(rel, request, create=True)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "a deployment with its own suite")

    with serve(hub) as url:
        env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
        env.update(HF_ENDPOINT=url, HF_HOME=str(tmp_path / "hf"), OMP_NUM_THREADS="1", **GIT_ENV)
        args = ("evaluate", rel, "--no-git", "--out", str(tmp_path / "bundle"), "--limit", "2")
        run = leaderboard(*args, "--device", "cpu", cwd=repo, env=env)
        assert run.returncode == 0, run.stderr[-3000:]
        tasks = leaderboard(
            "suite-tasks", "pinned", "--out", str(tmp_path / "reproduce"), cwd=repo, env=env
        )
        assert tasks.returncode == 0, tasks.stderr[-3000:]

    result = json.loads((tmp_path / "bundle" / "result.json").read_text())
    prov = result["provenance"]
    assert prov["suite"] == "pinned"
    assert prov["datasets"] == [
        {
            "task": "leaderboard_bbh_boolean_expressions",
            "repo": "SaylorTwift/bbh",
            "config": "boolean_expressions",
            "revision": first,
        }
    ]
    assert f"--pin=SaylorTwift/bbh@{first}" in prov["command"]
    (samples,) = (tmp_path / "bundle" / "lm-eval").rglob("samples_*.jsonl")
    docs = [json.loads(line)["doc"]["input"] for line in samples.read_text().splitlines()]
    assert docs == ["first question 0", "first question 1"]

    # The reproduce command's first step writes the same pin for plain lm_eval.
    (written,) = (tmp_path / "reproduce").rglob("leaderboard_bbh_boolean_expressions.yaml")
    spec = yaml.safe_load(written.read_text())
    assert spec["dataset_kwargs"]["revision"] == first
    assert Path(spec["include"]).name == "boolean_expressions.yaml"
