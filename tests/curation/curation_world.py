"""Helpers for curation tests: a real git repository with a base and a pull-request branch.

``World`` holds a clone on branch ``pr`` (where commands prepare their changes) and a worktree
of ``main`` (the base the validator compares against). Changes come from ``git diff
--name-status`` between the two, as the validator gets them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from leaderboard.checks import classify as checks_classify
from leaderboard.checks import curation_rules
from leaderboard.checks.validate import validate_repo
from leaderboard.cli import main
from leaderboard.core import codeowners, ids
from leaderboard.core.ids import request_path, result_path
from leaderboard.core.models import (
    Change,
    ChangeKind,
    FailureCategory,
    Precision,
    Problem,
    Provenance,
    Request,
    Settings,
    Status,
)
from leaderboard.store import result_index
from leaderboard.store.files import dump_result, write_text_atomic
from leaderboard.store.repo import Repo
from tests.lbtest import ci_checkout, days_ago

SHA_A = "a" * 40
SHA_B = "b" * 40
SHA_C = "c" * 40
T0 = days_ago(2)
MAINTAINERS = ["alice", "bob"]


def make_request(model: str, sha: str, status: Status = Status.finished, **extra) -> Request:
    fields = dict(
        model=model,
        revision=sha,
        precision=Precision.bfloat16,
        model_type="fine-tuned",
        submitter="carol",
        submitted_at=T0,
        status=status,
    )
    if status in (Status.finished, Status.failed):
        fields.update(attempts=1, runner="gpu-1", started_at=T0, finished_at=T0)
    if status is Status.failed:
        fields.update(
            failure_reason="CUDA out of memory", failure_category=FailureCategory.infrastructure
        )
    fields.update(extra)
    return Request(**fields)


def make_result(request: Request) -> dict:
    rel = request_path(request.identity)
    prov = Provenance(
        request=rel,
        request_commit="d" * 40,
        model=request.model,
        revision=request.revision,
        precision=request.precision,
        use_chat_template=False,
        attempt=1,
        suite="demo",
        suite_version="1",
        lm_eval_version="0.4.13",
        transformers_version="5.23.0",
        hardware="1x H100",
        runner="gpu-1",
        started_at=T0,
        finished_at=T0,
        wall_time_seconds=12.5,
        command=f"lm_eval --model hf --model_args pretrained={request.model},revision="
        f"{request.revision},dtype=bfloat16 --tasks leaderboard",
    )
    return {
        "results": {"demo_task": {"acc,none": 0.5}},
        "config": {"model_args": f"pretrained={request.model},revision={request.revision}"},
        "model_name": request.model,
        "provenance": prov.model_dump(mode="json", exclude_none=True),
    }


class World:
    #: How the rules are run: on checkouts of the base and the pull request, or "head", as
    #: validate.yml runs them (``lbtest.VALIDATE_MODES``).
    mode = "checkout"

    def __init__(self, tmp: Path, template: Path | None = None):
        """A fresh world in ``tmp``: seeded from scratch, or copied from a seeded template."""
        self.tmp = tmp
        self.origin = tmp / "origin.git"
        self.root = tmp / "work"
        self.base_dir = tmp / "base"
        self.repo = Repo(self.root)
        self.finished = make_request("org/model-a", SHA_A)
        self.failed = make_request("org/model-a", SHA_B, Status.failed)
        self.pending = make_request("other/model-b", SHA_C, Status.pending)
        self.result_rel = result_path(self.finished.identity, "demo", 1)
        if template is not None:
            shutil.copytree(template / "origin.git", self.origin)
            shutil.copytree(template / "work", self.root)
            self.git("remote", "set-url", "origin", str(self.origin))
            self.git("fetch", "-q", "origin")
            return
        self.git_in(tmp, "init", "-q", "--bare", "-b", "main", str(self.origin))
        self.git_in(tmp, "clone", "-q", str(self.origin), str(self.root))
        self.git("config", "user.name", "test")
        self.git("config", "user.email", "test@example.invalid")
        self.git("config", "github.user", "alice")
        self._seed()

    # -- git ---------------------------------------------------------------------------------

    @staticmethod
    def git_in(cwd: Path, *args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
        ).stdout

    def git(self, *args: str) -> str:
        return self.git_in(self.root, *args)

    def commit(self, message: str = "change") -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)

    def _seed(self) -> None:
        self.repo.write_curation("settings", Settings(maintainers=MAINTAINERS))
        write_text_atomic(
            self.root / ids.CODEOWNERS_PATH, codeowners.render_codeowners(MAINTAINERS)
        )
        for kind in ("flags", "maintainers_choice", "do_not_submit", "renames"):
            self.repo.write_curation(kind, self.repo.read_curation(kind))
        for r in (self.finished, self.failed, self.pending):
            self.repo.write_request(request_path(r.identity), r)
        write_text_atomic(self.root / self.result_rel, dump_result(make_result(self.finished)))
        result_index.write_entry(self.repo, self.result_rel)  # as the record job commits it
        self.commit("seed")
        self.git("push", "-q", "origin", "main")
        self.git("fetch", "-q", "origin")
        self.git("switch", "-q", "-c", "pr")

    # -- the validator's view ----------------------------------------------------------------

    def merge(self) -> None:
        """Merge the PR branch as it stands, as a maintainer would."""
        self.commit("merge")
        self.git("push", "-q", "origin", "HEAD:main")
        self.git("fetch", "-q", "origin")

    def base(self) -> Repo:
        """A checkout of the base branch as it is now (origin/main)."""
        if self.base_dir.exists():
            self.git("worktree", "remove", "--force", str(self.base_dir))
        self.git("worktree", "add", "-q", "--detach", str(self.base_dir), "origin/main")
        return Repo(self.base_dir)

    def changes(self, renames: bool = True) -> list[Change]:
        self.commit("pr change")
        flag = "-M" if renames else "--no-renames"
        out = self.git("diff", "--name-status", flag, "origin/main...HEAD")
        changes = []
        for line in out.splitlines():
            status, *paths = line.split("\t")
            if status.startswith("R"):
                changes.append(Change(kind=ChangeKind.renamed, old_path=paths[0], path=paths[1]))
            else:
                kind = {"A": ChangeKind.added, "M": ChangeKind.modified, "D": ChangeKind.deleted}
                changes.append(Change(kind=kind[status[0]], path=paths[0]))
        return changes

    def check(self, author: str = "alice", renames: bool = True) -> list[Problem]:
        """The curation rules' problems with the pull request: called on the two checkouts, or,
        in mode "head", through `leaderboard validate --head` as validate.yml runs it (git's
        rename detection then decides ``renames``)."""
        changes = self.changes(renames)
        if self.mode == "head":
            with tempfile.TemporaryDirectory() as tmp:
                base, head = ci_checkout(self.origin, self.root, self.tmp / "ci-base")
                report = validate_repo(
                    base,
                    base="HEAD",
                    head_ref=head,
                    committed=True,
                    author=author,
                    hub=False,
                    scratch=Path(tmp),
                )
            return report.problems
        return curation_rules.check_change(self.base(), self.repo, changes, author)

    def classify(self) -> str:
        return checks_classify.classify(self.changes(), self.base(), self.repo)

    # -- commands ----------------------------------------------------------------------------

    def run(self, *argv: str) -> int:
        return main.main([*argv, "--root", str(self.root)])

    def edit(self, rel: str, old: str, new: str) -> None:
        file = self.root / rel
        text = file.read_text()
        assert old in text, f"{old!r} not in {rel}"
        file.write_text(text.replace(old, new, 1))


def rules_of(problems: list[Problem]) -> set[str]:
    return {p.rule for p in problems}


def one(problems: list[Problem], rule: str) -> Problem:
    hits = [p for p in problems if p.rule == rule]
    assert len(hits) == 1, [p.render() for p in problems]
    return hits[0]


def validate(world: World, capsys: pytest.CaptureFixture[str], author: str) -> tuple[int, dict]:
    """`leaderboard validate` on the pull request, in the world's mode (see ``World.check``)."""
    world.commit("pr")
    if world.mode == "head":
        base, head = ci_checkout(world.origin, world.root, world.tmp / "ci-base")
        where = ["--repo", str(base), "--base", "HEAD", "--head", head, "--committed"]
    else:
        where = ["--repo", str(world.root), "--base", "origin/main"]
    capsys.readouterr()
    code = main.main(["validate", *where, "--author", author, "--json", "--no-hub"])
    return code, json.loads(capsys.readouterr().out)
