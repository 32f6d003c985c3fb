"""Whatever validation accepts, the runner runs: the queue's reader against the validator's.

Every hostile request of the corpus, and every legal YAML spelling of a request, is put through
the validator's reader of a new request and through the queue (``store.scans
.requests_with_status``): each file the validator accepts as PENDING is one the runner claims,
and every file on main that the schema reads as PENDING is claimed, however it is spelled.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from leaderboard.core.models import Status
from leaderboard.queue.claims import pending
from leaderboard.store.repo import Repo
from leaderboard.store.request_file import parse_request_file
from leaderboard.store.yaml_strict import dump_yaml

CORPUS = Path(__file__).parent / "corpus" / "request"
SHA = "0123456789abcdef0123456789abcdef01234567"
REL = f"requests/acme/tiny-llama/{SHA}_bfloat16_nochat.yaml"
VALID = (CORPUS / "valid.yaml").read_text("utf-8")

#: Legal YAML for the same PENDING request, spelled as a person might.
SPELLINGS = {
    "as-written": VALID,
    "no-status-line": VALID.replace("status: PENDING\n", ""),
    "trailing-comment": VALID.replace("status: PENDING", "status: PENDING  # new"),
    "quoted-key": VALID.replace("status: PENDING", '"status": PENDING'),
    "quoted-value": VALID.replace("status: PENDING", "status: 'PENDING'"),
    # The corpus file's own timestamp, with YAML's lowercase t and z.
    "lowercase-t": re.sub(r"(submitted_at: \S+)T(\S+)Z", r"\1t\2z", VALID),
    "extra-space": VALID.replace("status: PENDING", "status:   PENDING"),
    "flow-style": "{"
    + ", ".join(line.replace(": ", ": ", 1) for line in VALID.strip().splitlines())
    + "}\n",
    "crlf": VALID.replace("\n", "\r\n"),
    # A fake status line inside a quoted value, at the start of a line: the scan must not be
    # fooled into skipping the file (the value's continuation is not a key).
    "fake-line-in-a-value": VALID.replace(
        "status: PENDING\n", 'runner: "x\nstatus: FINISHED"\nstatus: PENDING\n'
    ),
    "fake-line-without-status": VALID.replace(
        "status: PENDING\n", 'runner: "x\nstatus: FINISHED"\n'
    ),
}
CASES = {f"corpus/{f.name}": f.read_text("utf-8", errors="replace") for f in CORPUS.glob("*.yaml")}
CASES |= {f"spelling/{name}": text for name, text in SPELLINGS.items()}


def _on_main(tmp_path: Path, text: str) -> Repo:
    root = tmp_path / "repo"
    if root.exists():
        shutil.rmtree(root)
    file = root / REL
    file.parent.mkdir(parents=True)
    file.write_bytes(text.encode("utf-8", errors="surrogateescape"))
    return Repo(root)


@pytest.mark.parametrize("case", sorted(CASES))
def test_what_validation_accepts_the_runner_claims(tmp_path: Path, case: str) -> None:
    repo = _on_main(tmp_path, CASES[case])
    parsed = parse_request_file(repo, REL)  # the validator's reader of a new request
    accepted = not parsed.problems and parsed.request and parsed.request.status is Status.pending
    claimed = [rel for rel, _ in pending(repo)]
    if accepted:
        assert claimed == [REL], f"{case}: validation accepts it, the runner never claims it"
    schema_says_pending = parsed.request is not None and parsed.request.status is Status.pending
    assert (claimed == [REL]) == schema_says_pending, case


def test_every_legal_spelling_is_accepted(tmp_path: Path) -> None:
    """No rule exists for a reader's sake: however a person spells a valid request (a quoted
    status, a comment, flow style, no status line at all), validation accepts it."""
    refused = {}
    for name, text in SPELLINGS.items():
        parsed = parse_request_file(_on_main(tmp_path, text), REL)
        if parsed.problems:
            refused[name] = parsed.problems
    assert refused == {}


def test_what_submit_writes_is_accepted(tmp_path: Path) -> None:
    """``leaderboard submit`` and the runner write through ``dump_yaml``: always accepted."""
    request = parse_request_file(_on_main(tmp_path, VALID), REL).request
    assert request is not None
    parsed = parse_request_file(_on_main(tmp_path, dump_yaml(request)), REL)
    assert parsed.problems == [] and [rel for rel, _ in pending(Repo(tmp_path / "repo"))] == [REL]
