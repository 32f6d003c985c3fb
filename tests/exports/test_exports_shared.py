"""Issue 27: scores that travel. Every finished row as an Every Eval Ever record, validated
against the coalition's own schema (vendored with its license, see every_eval_ever/SOURCE.md),
and each model's Community Evals files, round-tripped through ``huggingface_hub`` as a pull
request on the devhub."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator

from leaderboard.cli.main import main
from leaderboard.core.ids import request_path
from leaderboard.core.models import Settings
from leaderboard.devtools.synthetic import make_repo
from leaderboard.table import eee, eval_results
from leaderboard.table.columns import AVERAGE_COLUMN
from leaderboard.table.rows import load_suite_and_scorer, rows

SCHEMA = json.loads((Path(__file__).parent / "every_eval_ever" / "eval.schema.json").read_text())
#: The datastore's layout: data/<collection>/<developer>/<model>/<uuid v4>.json (their README,
#: "Validate files with the package CLI"; the UUID shape is the schema's file_path pattern).
LAYOUT = re.compile(
    r"^data/[^/]+/[^/]+/[^/]+/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.json$"
)


@pytest.fixture(scope="module")
def board(tmp_path_factory: pytest.TempPathFactory):
    repo = make_repo(tmp_path_factory.mktemp("board"), 10, suite="leaderboard")
    settings = repo.settings()
    suite, scorer = load_suite_and_scorer(settings, repo.root)
    return repo, settings, suite, rows(repo, suite, scorer, settings=settings)


def test_schema_is_the_pinned_version():
    assert SCHEMA["version"] == eee.SCHEMA_VERSION == "0.3.0"


def test_every_finished_row_is_a_valid_every_eval_ever_record(board):
    _, settings, suite, found = board
    files = eee.records(found, settings, suite)
    assert len(files) == len(found) > 10
    validator = Draft7Validator(SCHEMA)
    for path, data in files.items():
        assert LAYOUT.match(path), path
        record = json.loads(data)
        errors = sorted(validator.iter_errors(record), key=lambda e: list(e.path))
        assert not errors, f"{path}: {errors[0].message} at {list(errors[0].path)}"
        assert uuid.UUID(Path(path).stem).version == 4
    by_id = {json.loads(d)["evaluation_id"]: json.loads(d) for d in files.values()}
    assert len(by_id) == len(files)  # unique ids
    row = found[0]
    [record] = [
        r
        for r in by_id.values()
        if r["source_metadata"]["additional_details"]["result_file"] == row.result_file
    ]
    scores = {
        r["evaluation_name"]: r["score_details"]["score"] for r in record["evaluation_results"]
    }
    assert scores[AVERAGE_COLUMN] == pytest.approx(row.average)
    for bench in suite.benchmarks:
        assert scores[bench.column] == pytest.approx(row.scores[bench.column])
        assert scores[bench.raw_column] == pytest.approx(row.scores[bench.raw_column])
    assert record["model_info"]["id"] == row.model
    assert record["model_info"]["additional_details"]["revision"] == row.sha
    assert record["source_metadata"]["source_name"] == settings.title
    assert record["eval_library"] == {
        "name": "lm_eval",
        "version": row.lm_eval_version,
        "additional_details": {"suite": "leaderboard", "suite_version": row.suite_version},
    }
    # Nothing random: the same rows give the same bytes.
    assert eee.records(found, settings, suite) == files
    assert eee.archive(files) == eee.archive(dict(reversed(list(files.items()))))


def test_the_schema_check_can_fail(board):
    _, settings, suite, found = board
    record = eee.record(found[0], settings, suite)
    del record["model_info"]["additional_details"]["deployment_type"]
    record["evaluation_results"][0]["metric_config"].pop("max_score")
    assert len(list(Draft7Validator(SCHEMA).iter_errors(record))) == 2


def test_the_export_command_writes_the_datastore_layout(board, tmp_path, capsys):
    repo, _, _, found = board
    assert (
        main(
            ["export", "--format", "eee", "--root", str(repo.root), "--out", str(tmp_path / "eee")]
        )
        == 0
    )
    written = sorted(
        p.relative_to(tmp_path / "eee").as_posix() for p in (tmp_path / "eee").rglob("*.json")
    )
    assert len(written) == len(found) and all(LAYOUT.match(p) for p in written)
    assert all(p.startswith("data/synthetic_leaderboard/") for p in written)
    out = tmp_path / "evals"
    assert (
        main(
            [
                "export",
                "--format",
                "eval-results",
                "--root",
                str(repo.root),
                "--out",
                str(out),
                "--model",
                found[0].model,
            ]
        )
        == 0
    )
    [file] = list(out.rglob("*.yaml"))
    assert file.relative_to(out).as_posix() == (
        f"{found[0].model}/.eval_results/synthetic_leaderboard-tiger-lab-mmlu-pro-mmlu-pro.yaml"
    )


def test_community_evals_files_name_the_benchmark_the_row_and_this_leaderboard(board):
    from huggingface_hub import parse_eval_result_entries

    _, settings, suite, found = board
    settings = Settings.model_validate({**settings.model_dump(), "site_url": "https://lb.example/"})
    model = found[0].model
    mine = [r for r in found if r.model == model]
    [(_, data)] = eval_results.model_files(mine, settings, suite).items()
    entries = parse_eval_result_entries(yaml.safe_load(data))
    assert len(entries) == len(mine)
    for entry, row in zip(entries, sorted(mine, key=lambda r: r.id), strict=True):
        assert (entry.dataset_id, entry.task_id) == ("TIGER-Lab/MMLU-Pro", "mmlu_pro")
        assert entry.value == round(row.scores["MMLU-PRO Raw"] * 100, 2)
        assert entry.source_url == f"https://lb.example/model/?id={row.id}"
        assert entry.source_name == settings.title and entry.date == row.evaluated_at
        assert row.precision in entry.notes and row.sha[:12] in entry.notes


def test_columns_without_a_hub_benchmark_are_not_shared(tmp_path):
    repo = make_repo(tmp_path / "demo", 3, suite="demo", features=False)
    settings = repo.settings()
    suite, scorer = load_suite_and_scorer(settings, repo.root)
    assert eval_results.all_files(rows(repo, suite, scorer), settings, suite) == {}


# -- the pull request, through huggingface_hub against the devhub ---------------------------


def test_community_evals_files_round_trip_as_a_hub_pull_request(board, devhub, monkeypatch):
    """The Hub's ``create_commit(create_pr=True)``: the files land on ``refs/pr/<n>``, numbered
    from 1, readable with ``hf_hub_download(revision=…)``, and ``main`` does not move."""
    from huggingface_hub import HfApi, hf_hub_download, parse_eval_result_entries

    from leaderboard.devtools.devhub.writes import writes
    from leaderboard.hub.pull_requests import open_pr

    _, settings, suite, found = board
    model = found[0].model
    main_sha = devhub.publish(model, {"README.md": b"# a model\n", "config.json": b"{}"})
    files = eval_results.model_files([r for r in found if r.model == model], settings, suite)
    with pytest.raises(Exception, match=r"401|token"):
        open_pr(model, files, title="t", description="d")  # writing needs a token, as on the Hub
    monkeypatch.setenv("HF_TOKEN", "hf_submitter_token")
    url = open_pr(model, files, title="Add evaluation results", description="from a test")
    assert url == f"{devhub.url}/{model}/discussions/1"
    for name, data in files.items():
        got = Path(hf_hub_download(model, name, revision="refs/pr/1")).read_bytes()
        assert got == data
        assert parse_eval_result_entries(yaml.safe_load(got))[0].dataset_id == "TIGER-Lab/MMLU-Pro"
    assert HfApi().model_info(model).sha == main_sha  # the pull request, not main
    assert open_pr(model, files, title="again", description="d").endswith("/discussions/2")
    assert [w["ref"] for w in writes(devhub.root)] == ["refs/pr/1", "refs/pr/2"]


def test_hub_pr_opens_one_only_where_the_settings_and_the_submitter_allow(
    tmp_path, devhub, monkeypatch, capsys
):
    repo = make_repo(tmp_path / "board", 3, suite="leaderboard", features=False)
    suite, scorer = load_suite_and_scorer(repo.settings(), repo.root)
    model = rows(repo, suite, scorer)[0].model
    [rel] = repo.request_files(model)
    devhub.publish(model, {"README.md": b"# a model\n"})
    monkeypatch.setenv("HF_TOKEN", "hf_leaderboard_token")
    claimed = json.dumps([rel])
    from leaderboard.devtools.devhub.writes import writes

    assert main(["hub-pr", "--root", str(repo.root), "--claimed", claimed]) == 0
    assert "off" in capsys.readouterr().out and writes(devhub.root) == []
    settings = repo.settings().model_copy(update={"eval_results_pr": True})
    (repo.root / "curation" / "settings.yaml").write_text(
        yaml.safe_dump(settings.model_dump(mode="json", exclude_none=True))
    )
    assert main(["hub-pr", "--root", str(repo.root), "--claimed", claimed]) == 0
    assert "asked for" in capsys.readouterr().out and writes(devhub.root) == []
    request = repo.read_request(rel).model_copy(update={"eval_results_pr": True})
    repo.write_request(rel, request)
    assert main(["hub-pr", "--root", str(repo.root), "--claimed", claimed]) == 0
    assert f"{model}: pull request {devhub.url}/{model}/discussions/1" in capsys.readouterr().out
    [write] = writes(devhub.root)
    assert write["repo"] == model and write["ref"] == "refs/pr/1"
    assert request_path(request.identity) == rel


def test_the_site_publishes_both_exports(board):
    import io
    import zipfile

    from leaderboard.site.data import SiteData

    repo, settings, suite, found = board
    files = SiteData.load(repo).generated_files()
    with zipfile.ZipFile(io.BytesIO(files["data/eee.zip"])) as zf:
        assert sorted(zf.namelist()) == sorted(eee.records(found, settings, suite))
    with zipfile.ZipFile(io.BytesIO(files["data/eval-results.zip"])) as zf:
        names = zf.namelist()
    assert names == sorted(eval_results.all_files(found, settings, suite)) and names
    assert all(n.split("/")[2] == ".eval_results" for n in names)
