"""A leaderboard repository in real git for the queue's tests: finished evaluations with their
results and index entries (as the record job commits them), and pending requests merged on
main at chosen times, each by a squash commit naming its pull request as GitHub writes it."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from leaderboard.cli.main import main
from leaderboard.core.ids import request_path
from leaderboard.core.models import Precision, Settings, Status, utcnow
from leaderboard.devtools.synthetic import add_model
from leaderboard.store.repo import Repo
from leaderboard.suites.loader import load_suite
from tests.lbtest import git

HOUR = timedelta(hours=1)


class QueueWorld:
    def __init__(self, root: Path, settings: dict[str, Any] | None = None) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.repo = Repo(root)
        self.suite = load_suite("demo")
        self.rng = random.Random(7)
        self.i = 0
        self.now = utcnow().replace(microsecond=0)
        git(root, "init", "-q", "-b", "main")
        self.settings(settings or {})

    def settings(self, values: dict[str, Any]) -> None:
        data = {"schema_version": 1, "suite": "demo", "maintainers": ["maint"], **values}
        Settings.model_validate(data)
        (self.root / "curation").mkdir(exist_ok=True)
        (self.root / "curation" / "settings.yaml").write_text(yaml.safe_dump(data))
        self.commit("Settings", self.now - 2000 * HOUR)

    def commit(self, message: str, when: datetime, *, author: str | None = None) -> str:
        stamp = when.isoformat()
        env = {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
        if author:
            env.update(GIT_AUTHOR_EMAIL=author, GIT_COMMITTER_EMAIL=author)
        git(self.root, "add", "-A")
        git(self.root, "commit", "-q", "--allow-empty", "-m", message, env=env)
        return git(self.root, "rev-parse", "HEAD")

    def finished(
        self,
        model: str,
        *,
        hours: float,
        params: float,
        pool: str | None = None,
        ago: float = 100,
        precision: Precision = Precision.bfloat16,
    ) -> str:
        """An evaluation that took ``hours`` on ``pool`` and was recorded ``ago`` hours ago."""
        self.i += 1
        submitted = self.now - timedelta(hours=ago + hours + 1)
        request = add_model(
            self.repo,
            self.suite,
            model,
            self.i,
            self.rng,
            precision=precision,
            request={"params": params},
            hub={"params": int(params * 1e9)},
            wall_hours=hours,
            pool=pool,
            submitted_at=submitted,
        )
        self.commit(f"Record result of {model}", self.now - timedelta(hours=ago))
        return request_path(request.identity)

    def merged(
        self,
        model: str,
        *,
        ago: float,
        pr: int | None = None,
        params: float | None = 7.0,
        submitter: str = "bob",
        precision: Precision = Precision.bfloat16,
        status: Status = Status.pending,
        fields: dict[str, Any] | None = None,
    ) -> str:
        """A request merged on main ``ago`` hours ago, by pull request ``pr`` (a squash
        commit ``… (#pr)``), or pushed by a maintainer (``pr=None``)."""
        self.i += 1
        when = self.now - timedelta(hours=ago)
        extra = {"submitter": submitter, **(fields or {})}
        if params is not None:
            extra["params"] = params
        request = add_model(
            self.repo,
            self.suite,
            model,
            self.i,
            self.rng,
            status=status,
            precision=precision,
            request=extra,
            submitted_at=when - timedelta(minutes=5),
        )
        subject = f"Add {model} ({'#' + str(pr) if pr else 'by a maintainer'})"
        self.commit(subject if pr is None else f"Add {model} (#{pr})", when)
        return request_path(request.identity)

    def queue(self, capsys) -> dict[str, list[dict[str, Any]]]:
        capsys.readouterr()
        assert main(["queue", "--root", str(self.root), "--json"]) == 0
        return json.loads(capsys.readouterr().out)


def hours_between(start: str, end: str) -> float:
    parse = datetime.fromisoformat
    return (parse(end.replace("Z", "+00:00")) - parse(start.replace("Z", "+00:00"))) / HOUR
