"""Hostile request and curation files, each answered with the exact error it must produce.

The static corpus lives in ``corpus/`` with its expectations in ``corpus/cases.yaml``; cases that
need the file system (huge files, symbolic links, hostile paths) are built here. Every file goes
through the same door as a pull request's file: ``Repo.read_request`` or ``Repo.read_curation``,
which read through ``store.request_file`` and ``store.yaml_strict``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from leaderboard.core.errors import ValidationFailed
from leaderboard.core.models import CURATION_FILES, Problem
from leaderboard.store.repo import Repo
from leaderboard.store.request_file import parse_request_file, path_problems
from leaderboard.store.yaml_strict import MAX_BYTES

CORPUS = Path(__file__).parent / "corpus"
CASES: dict[str, list[list[Any]]] = yaml.safe_load((CORPUS / "cases.yaml").read_text("utf-8"))
SHA = "0123456789abcdef0123456789abcdef01234567"
REQUEST_REL = f"requests/acme/tiny-llama/{SHA}_bfloat16_nochat.yaml"
VALID = (CORPUS / "request" / "valid.yaml").read_bytes()
#: Curation file name prefix -> curation kind.
CURATION_PREFIXES = {
    "settings-": "settings",
    "flags-": "flags",
    "maintainers-choice-": "maintainers_choice",
    "do-not-submit-": "do_not_submit",
    "renames-": "renames",
}


def _curation_kind(name: str) -> str:
    return next(kind for prefix, kind in CURATION_PREFIXES.items() if name.startswith(prefix))


def _read(root: Path, case: str) -> Any:
    """Place one corpus file where a pull request would put it, and read it strictly."""
    folder, name = case.split("/")
    if folder == "request":
        rel = REQUEST_REL
    else:
        kind = _curation_kind(name)
        rel = CURATION_FILES[kind][0]
    target = root / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(CORPUS / case, target)
    repo = Repo(root)
    if folder == "curation":
        return repo.read_curation(kind)
    # As validation reads a new request: the file, and where it is.
    parsed = parse_request_file(repo, rel)
    if parsed.problems:
        raise ValidationFailed(parsed.problems)
    return parsed.request


def _assert_problems(problems: list[Problem], expected: list[list[Any]]) -> None:
    got = [(p.rule, p.line, p.field, p.message) for p in problems]
    assert len(got) == len(expected), got
    for (rule, line, field, message), (want_rule, want_line, want_field, want_text) in zip(
        got, expected, strict=True
    ):
        assert (rule, line, field) == (want_rule, want_line, want_field), got
        assert want_text in message, got


@pytest.mark.parametrize("case", sorted(CASES))
def test_corpus_file_gets_its_error(tmp_path: Path, case: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        _read(tmp_path, case)
    _assert_problems(caught.value.problems, CASES[case])
    # Every problem names the file, as a submitter sees it.
    assert all(p.path.startswith(("requests/", "curation/")) for p in caught.value.problems)


def test_every_corpus_file_has_a_case() -> None:
    files = {f"{f.parent.name}/{f.name}" for f in CORPUS.glob("*/*.yaml") if f.name != "valid.yaml"}
    assert files == set(CASES)


def test_valid_request_is_accepted_where_it_belongs(tmp_path: Path) -> None:
    """The control: the base every hostile request was mutated from is fine."""
    request = _read(tmp_path, "request/valid.yaml")
    assert request.model == "acme/tiny-llama"
    assert path_problems(REQUEST_REL, request) == []


# -- cases built on the file system -----------------------------------------------------------


def _write_request(root: Path, data: bytes, rel: str = REQUEST_REL) -> Repo:
    target = root / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return Repo(root)


def _problem(call: Any) -> Problem:
    with pytest.raises(ValidationFailed) as caught:
        call()
    assert len(caught.value.problems) == 1, caught.value.problems
    return caught.value.problems[0]


def test_huge_file(tmp_path: Path) -> None:
    data = VALID + b"#" * (MAX_BYTES + 1 - len(VALID))
    repo = _write_request(tmp_path, data)
    problem = _problem(lambda: repo.read_request(REQUEST_REL))
    assert (problem.rule, problem.line) == ("size", None)
    assert f"the file is {MAX_BYTES + 1:,} bytes; at most {MAX_BYTES:,}" in problem.message


def test_file_at_the_size_limit_is_read(tmp_path: Path) -> None:
    data = VALID + b"#" * (MAX_BYTES - len(VALID))
    assert _write_request(tmp_path, data).read_request(REQUEST_REL).submitter == "alice"


def test_deep_flow_nesting_is_refused_without_recursion(tmp_path: Path) -> None:
    """30,000 brackets fit in the size limit; composing them used to raise RecursionError."""
    depth = (MAX_BYTES - len(VALID) - 20) // 2
    data = VALID + b"runner: " + b"[" * depth + b"]" * depth + b"\n"
    repo = _write_request(tmp_path, data)
    problem = _problem(lambda: repo.read_request(REQUEST_REL))
    assert (problem.rule, problem.line) == ("yaml", 11)
    # Our own check says "nesting deeper than 16 levels"; libyaml, when it stops first at its
    # own limit, says "exceeded maximum nesting depth".
    assert "nesting" in problem.message


def test_symlinked_request_file(tmp_path: Path) -> None:
    secret = tmp_path / "outside.yaml"
    secret.write_bytes(VALID)
    repo_root = tmp_path / "repo"
    (repo_root / REQUEST_REL).parent.mkdir(parents=True)
    os.symlink(secret, repo_root / REQUEST_REL)
    problem = _problem(lambda: Repo(repo_root).read_request(REQUEST_REL))
    assert (problem.rule, problem.path) == ("path", REQUEST_REL)
    assert "symbolic links are not allowed" in problem.message


def test_symlinked_request_folder(tmp_path: Path) -> None:
    """A link higher up (``requests/acme -> /elsewhere``) is refused too, not followed."""
    outside = tmp_path / "outside" / "tiny-llama"
    outside.mkdir(parents=True)
    (outside / Path(REQUEST_REL).name).write_bytes(VALID)
    repo_root = tmp_path / "repo"
    (repo_root / "requests").mkdir(parents=True)
    os.symlink(tmp_path / "outside", repo_root / "requests" / "acme")
    problem = _problem(lambda: Repo(repo_root).read_request(REQUEST_REL))
    assert problem.rule == "path"
    assert "'requests/acme' is a symbolic link" in problem.message


def test_symlinked_curation_file(tmp_path: Path) -> None:
    (tmp_path / "curation").mkdir()
    (tmp_path / "elsewhere.yaml").write_text("maintainers: [mallory]\n")
    os.symlink(tmp_path / "elsewhere.yaml", tmp_path / "curation" / "settings.yaml")
    problem = _problem(lambda: Repo(tmp_path).read_curation("settings"))
    assert (problem.rule, problem.path) == ("path", "curation/settings.yaml")


def test_folder_where_the_request_file_should_be(tmp_path: Path) -> None:
    """A submodule (gitlink) checks out as a folder: an error, not IsADirectoryError."""
    (tmp_path / REQUEST_REL).mkdir(parents=True)
    problem = _problem(lambda: Repo(tmp_path).read_request(REQUEST_REL))
    assert (problem.rule, problem.message) == ("path", "this is not a regular file")


@pytest.mark.parametrize(
    "rel",
    [
        "requests/../../etc/passwd",
        "../requests/acme/tiny-llama/x.yaml",
        "/etc/passwd",
        "requests\\acme\\tiny-llama\\x.yaml",
        "requests/acme/tiny-llama/x\x00.yaml",
        "requests//acme/x.yaml",
        "requests/./acme/x.yaml",
        "",
    ],
)
def test_hostile_request_paths(tmp_path: Path, rel: str) -> None:
    problem = _problem(lambda: Repo(tmp_path).read_request(rel))
    assert (problem.rule, problem.message) == ("path", "not a safe repository-relative path")


def test_lookalike_folder_does_not_match_the_content(tmp_path: Path) -> None:
    """A valid request filed under a Cyrillic 'а' organisation is caught by the path check."""
    rel = REQUEST_REL.replace("acme", "\u0430cme")
    request = _write_request(tmp_path, VALID, rel).read_request(rel)
    [problem] = path_problems(rel, request)
    assert problem.rule == "path"
    assert f"must be at {REQUEST_REL}" in problem.message
