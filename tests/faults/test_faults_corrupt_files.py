"""Every kind of corrupt file on main, one at a time: the site and the queue survive each.

A maintainer's direct push, a bad merge or a broken disk can leave one file on ``main`` that
no longer parses. The published site must still build (the real ``leaderboard build``, which
runs ``mkdocs build --strict``), say which file it left out, and keep every other row; the
queue must still list every other request and the runner still claim them. Only under
``--strict`` (CI's validation) does the corrupt file fail the command.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from leaderboard.cli.main import main
from leaderboard.devtools.synthetic import make_repo
from leaderboard.queue.claims import pending
from leaderboard.store.repo import Repo

MODELS = 3


def _request(root: Path, i: int) -> Path:
    return next((root / "requests" / "org0" / f"model-{i}").glob("*.yaml"))


def _result(root: Path, i: int) -> Path:
    return next((root / "results" / "org0" / f"model-{i}").glob("*.json"))


def _pending_request(root: Path) -> Path:
    """Model 2 is sent back to the queue, so that the queue and the runner have work too."""
    file = _request(root, 2)
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace("status: FINISHED", "status: PENDING"), encoding="utf-8")
    return file


def _out_of_range(root: Path) -> None:
    file = _result(root, 0)
    doc = json.loads(file.read_text(encoding="utf-8"))
    task = next(iter(doc["results"].values()))
    key = next(k for k in task if "," in k)
    task[key] = 1e308
    file.write_text(json.dumps(doc), encoding="utf-8")


def _folder_for_a_file(path: Path) -> None:
    path.unlink()
    path.mkdir()


#: kind → (how to corrupt, the file the warning names, rows still published).
CORRUPTIONS: dict[str, tuple[Callable[[Path], None], Callable[[Path], str], int]] = {
    "request-bad-yaml": (
        lambda r: _request(r, 0).write_text("model: [unclosed\n", encoding="utf-8"),
        lambda r: "requests/org0/model-0/",
        MODELS - 1,
    ),
    "request-bad-schema": (
        lambda r: _request(r, 0).write_text(
            _request(r, 0)
            .read_text(encoding="utf-8")
            .replace("precision: bfloat16", "precision: 3bit"),
            encoding="utf-8",
        ),
        lambda r: "requests/org0/model-0/",
        MODELS - 1,
    ),
    "request-binary": (
        lambda r: _request(r, 0).write_bytes(b"\xff\xfe\x00garbage"),
        lambda r: "requests/org0/model-0/",
        MODELS - 1,
    ),
    "request-folder": (
        lambda r: _folder_for_a_file(_request(r, 0)),
        lambda r: "requests/org0/model-0/",
        MODELS - 1,
    ),
    "result-bad-json": (
        lambda r: _result(r, 0).write_text("{ not json", encoding="utf-8"),
        lambda r: "results/org0/model-0/",
        MODELS - 1,
    ),
    "result-out-of-range": (_out_of_range, lambda r: "results/org0/model-0/", MODELS - 1),
    "result-not-an-object": (
        lambda r: _result(r, 0).write_text('["a list"]', encoding="utf-8"),
        lambda r: "results/org0/model-0/",
        MODELS - 1,
    ),
    "settings-bad-yaml": (
        lambda r: (r / "curation/settings.yaml").write_text("title: [\n", encoding="utf-8"),
        lambda r: "curation/settings.yaml",
        0,  # the default suite has no results here; the pages and the queue still publish
    ),
    "settings-bad-field": (
        lambda r: (r / "curation/settings.yaml").write_text(
            "schema_version: 1\nsuite: demo\nmin_card_chars: lots\n", encoding="utf-8"
        ),
        lambda r: "curation/settings.yaml",
        MODELS,  # the valid fields are kept: the suite stays demo
    ),
    "settings-unknown-suite": (
        lambda r: (r / "curation/settings.yaml").write_text(
            "schema_version: 1\nsuite: nosuch\n", encoding="utf-8"
        ),
        lambda r: "curation/settings.yaml",
        0,
    ),
    "flags": (
        lambda r: (r / "curation/flags.yaml").write_text("flags: {not: a list}\n", "utf-8"),
        lambda r: "curation/flags.yaml",
        MODELS,
    ),
    "renames": (
        lambda r: (r / "curation/renames.yaml").write_text("renames:\n- old: x\n", "utf-8"),
        lambda r: "curation/renames.yaml",
        MODELS,
    ),
    "maintainers-choice": (
        lambda r: (r / "curation/maintainers-choice.yaml").write_bytes(b"\x00\x01"),
        lambda r: "curation/maintainers-choice.yaml",
        MODELS,
    ),
    "bench-figures": (
        lambda r: (r / "bench-figures.json").write_text("[{]", encoding="utf-8"),
        lambda r: "bench-figures.json",
        MODELS,
    ),
}


@pytest.fixture
def data_repo(tmp_path: Path) -> Path:
    root = make_repo(tmp_path / "repo", MODELS, features=False).root
    _pending_request(root)
    return root


def _build(root: Path, site: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "leaderboard", "build", "--root", str(root)]
    return subprocess.run(
        [*command, "--site-dir", str(site), *extra],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.parametrize("kind", sorted(CORRUPTIONS))
def test_build_publishes_the_rest_and_names_what_it_skipped(
    kind: str, data_repo: Path, tmp_path: Path
) -> None:
    corrupt, named, rows = CORRUPTIONS[kind]
    corrupt(data_repo)
    proc = _build(data_repo, tmp_path / "site")
    assert proc.returncode == 0, proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("warning: ")]
    assert any(named(data_repo) in w and "skipped" in w for w in warnings), proc.stderr
    table = json.loads((tmp_path / "site" / "data" / "table.json").read_text("utf-8"))
    assert len(table["rows"]) == rows
    queue = json.loads((tmp_path / "site" / "data" / "queue.json").read_text("utf-8"))
    assert any(e["status"] == "PENDING" for e in queue)
    assert (tmp_path / "site" / "queue" / "index.html").is_file()

    strict = _build(data_repo, tmp_path / "strict-site", "--strict")
    assert strict.returncode != 0
    assert "--strict" in strict.stderr and named(data_repo) in strict.stderr


@pytest.mark.parametrize("kind", sorted(k for k in CORRUPTIONS if "result" not in k))
def test_queue_and_runner_survive(kind: str, data_repo: Path, capsys) -> None:
    corrupt, named, _ = CORRUPTIONS[kind]
    corrupt(data_repo)
    capsys.readouterr()
    assert main(["queue", "--root", str(data_repo), "--json"]) == 0
    captured = capsys.readouterr()
    queue = json.loads(captured.out)
    assert [row["path"].split("/")[2] for row in queue["pending"]] == ["model-2"]
    if kind.startswith("request"):
        assert named(data_repo) in captured.err and "skipped" in captured.err
        assert len(queue["finished"]) == MODELS - 2
    assert [rel.split("/")[2] for rel, _ in pending(Repo(data_repo))] == ["model-2"]
    # The queue reads requests, the naming files (renames, flags, choice) and the settings (its
    # pools, votes and estimates), not the suites.
    assert main(["queue", "--root", str(data_repo), "--json", "--strict"]) == (
        1 if kind.startswith(("request", "flags", "renames", "maint", "settings-bad")) else 0
    )
    if kind.startswith("settings-bad"):
        assert "curation/settings.yaml" in capsys.readouterr().err
