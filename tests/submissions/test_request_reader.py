"""One strict reader for request files: validate and ``Repo.read_request`` give the same answer.

``parse_request_file`` is the only reader of an untrusted request. Validation calls it with
``where`` (a new file must also sit where its content says); ``Repo.read_request`` without it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from leaderboard.core.errors import ValidationFailed
from leaderboard.core.rules import Rule
from leaderboard.store.repo import Repo
from leaderboard.store.request_file import parse_request_file

CORPUS = Path(__file__).parents[1] / "hardening" / "corpus" / "request"
SHA = "0123456789abcdef0123456789abcdef01234567"
REL = f"requests/acme/tiny-llama/{SHA}_bfloat16_nochat.yaml"


def _placed(root: Path, source: Path, rel: str = REL) -> Repo:
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, root / rel)
    return Repo(root)


@pytest.mark.parametrize("case", sorted(p.name for p in CORPUS.glob("*.yaml")))
def test_validate_and_read_request_agree_on_every_hostile_file(tmp_path: Path, case: str) -> None:
    repo = _placed(tmp_path, CORPUS / case)
    parsed = parse_request_file(repo, REL)
    try:
        repo.read_request(REL)
        read_problems = []
    except ValidationFailed as exc:
        read_problems = exc.problems
    # The only difference: validation also checks that the file sits where its content says.
    assert [p for p in parsed.problems if p.rule is not Rule.path] == read_problems
    assert (parsed.request is None) == bool(read_problems)


def test_a_symlinked_folder_is_refused_by_validation_too(tmp_path: Path) -> None:
    """``requests/acme -> elsewhere``: before one reader, only ``Repo.read_request`` refused it."""
    outside = tmp_path / "outside" / "tiny-llama"
    outside.mkdir(parents=True)
    shutil.copyfile(CORPUS / "valid.yaml", outside / Path(REL).name)
    root = tmp_path / "repo"
    (root / "requests").mkdir(parents=True)
    os.symlink(tmp_path / "outside", root / "requests" / "acme")
    parsed = parse_request_file(Repo(root), REL)
    assert parsed.request is None
    [problem] = parsed.problems
    assert problem.rule is Rule.path
    assert "'requests/acme' is a symbolic link" in problem.message


def test_a_misplaced_file_is_read_so_every_problem_shows(tmp_path: Path) -> None:
    rel = REL.replace("acme", "other-org")
    parsed = parse_request_file(_placed(tmp_path, CORPUS / "valid.yaml", rel), rel)
    assert parsed.request is not None
    [problem] = parsed.problems
    assert problem.rule is Rule.path and f"must be at {REL}" in problem.message
    assert Repo(tmp_path).read_request(rel).model == "acme/tiny-llama"
