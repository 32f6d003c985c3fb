"""The site and the queue read a file on main as validation reads it from a pull request.

Before there was one reader per kind of file, the bulk readers took a lenient fast path: a
file validation refuses (a duplicate key, a symbolic link on the way out of the repository)
was read without a word. Now each is left out with a warning that names it, and the rest is
published.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from leaderboard.core.errors import ValidationFailed
from leaderboard.store import tolerant
from leaderboard.store.repo import Repo
from leaderboard.store.tolerant import Skipped

CORPUS = Path(__file__).parent / "corpus" / "request"
SHA = "0123456789abcdef0123456789abcdef01234567"
REL = f"requests/acme/tiny-llama/{SHA}_bfloat16_nochat.yaml"
VALID = (CORPUS / "valid.yaml").read_text("utf-8")


def _repo(root: Path, text: str, rel: str = REL) -> Repo:
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_text(text, encoding="utf-8")
    return Repo(root)


def test_a_request_with_a_duplicate_key_is_left_out_as_validation_refuses_it(
    tmp_path: Path,
) -> None:
    repo = _repo(tmp_path, VALID + "submitter: mallory\n")
    with pytest.raises(ValidationFailed, match="appears twice"):
        repo.read_request(REL)
    skipped = Skipped()
    assert list(tolerant.requests(repo, skipped)) == []
    [(rel, why)] = skipped.items
    assert rel == REL and "the key 'submitter' appears twice" in why


def test_a_request_through_a_linked_folder_is_not_read(tmp_path: Path) -> None:
    """``requests/acme -> elsewhere``: reading through it reads outside the repository."""
    outside = tmp_path / "outside" / "tiny-llama"
    outside.mkdir(parents=True)
    (outside / Path(REL).name).write_text(VALID, encoding="utf-8")
    root = tmp_path / "repo"
    (root / "requests").mkdir(parents=True)
    (root / "requests" / "acme").symlink_to(outside.parent, target_is_directory=True)
    skipped = Skipped()
    assert list(tolerant.requests(Repo(root), skipped)) == []
    [(rel, why)] = skipped.items
    assert rel == REL and "'requests/acme' is a symbolic link" in why


def test_a_curation_file_with_a_duplicate_key_is_named_and_read_as_its_defaults(
    tmp_path: Path,
) -> None:
    flags = "flags:\n- model: acme/tiny-llama\n  category: other\nflags: []\n"
    repo = _repo(tmp_path, flags, "curation/flags.yaml")
    with pytest.raises(ValidationFailed, match="appears twice"):
        repo.read_curation("flags")
    skipped = Skipped()
    assert tolerant.curation(repo, "flags", skipped).flags == []
    [(rel, why)] = skipped.items
    assert rel == "curation/flags.yaml" and "the key 'flags' appears twice" in why


def test_the_valid_request_is_read(tmp_path: Path) -> None:
    """The control: the same file, well formed and in place, is read without a warning."""
    skipped = Skipped()
    [(rel, request)] = tolerant.requests(_repo(tmp_path, VALID), skipped)
    assert rel == REL and request.model == "acme/tiny-llama" and skipped.items == []
