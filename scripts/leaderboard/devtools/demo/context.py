"""The demo's folder, its state file and its reporter: what every step is given."""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import re
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ...core.errors import DemoError
from ...store import git as store_git
from ..gitenv import git_env as identity

STATE_FILE = "demo-state.json"
RUNNER_LINE = re.compile(r"\b(evaluating|recorded|failed) (.*?)(?:\s{2,}\S+\.py:\d+)?$")
#: What the demo makes inside its folder; nothing else is ever written or deleted there.
OWNED = ("origin.git", "leaderboard", "hub", "hub-cache", "models", "site", STATE_FILE, "demo.log")
PROJECT_ROOT = Path(__file__).resolve().parents[4]
#: Files of the project that a leaderboard repository needs to build its site and run CI. The
#: ignore file is the project's own, as a fork's is: its patterns are anchored (``/site/``, not
#: ``site/``, which would also hide the package ``scripts/leaderboard/site/`` from every clone).
SEED = (
    "mkdocs.yml",
    "docs",
    "overrides",
    ".github",
    "curation",
    "scripts",
    "pyproject.toml",
    "README.md",
    ".gitignore",
)


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 60}:{s % 60:02d}"


def cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended (the training workers, the
    runner): the demo's work, whatever else the machine is doing."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class Reporter:
    """Steps with elapsed time, for a person watching the terminal; each step's wall-clock and
    CPU time also go to the log, where a slow run can be taken apart."""

    def __init__(self, log: Path):
        from rich.console import Console

        self.console = Console(highlight=False)
        self.start = time.monotonic()
        self.cpu_start = cpu_seconds()
        self.log = log

    def elapsed(self) -> str:
        return _clock(time.monotonic() - self.start)

    def cpu(self) -> str:
        return _clock(cpu_seconds() - self.cpu_start)

    def step(self, n: int, title: str) -> None:
        self.console.rule(f"[bold]{n}. {title}[/] [dim]({self.elapsed()})[/]", align="left")
        self.note(f"{n}. {title}")

    def note(self, what: str, *, cpu: bool = True) -> None:
        """``== what (wall m:ss, CPU m:ss, load L)`` in the log, times since the start. A child's
        CPU time counts once it has ended: ``cpu=False`` while workers still run."""
        times = f"wall {self.elapsed()}" + (f", CPU {self.cpu()}" if cpu else "")
        with self.log.open("a", encoding="utf-8") as log:
            log.write(f"== {what} ({times}, load {load():.1f})\n")

    def say(self, text: str) -> None:
        self.console.print(text)


def load() -> float:
    """The machine's load average over the last minute: the demo's time depends on it."""
    return os.getloadavg()[0]


# --------------------------------------------------------------------------------------------
# Running the project's own commands
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    returncode: int
    stdout: str
    stderr: str


@dataclass
class DemoRun:
    dir: Path
    env: dict[str, str]
    out: Reporter
    state: dict[str, object] = field(default_factory=dict)

    @property
    def repo(self) -> Path:
        return self.dir / "leaderboard"

    @property
    def hub(self) -> Path:
        return self.dir / "hub"

    def save(self) -> None:
        (self.dir / STATE_FILE).write_text(json.dumps(self.state, indent=2, sort_keys=True))

    def leaderboard(self, *args: str, check: bool = True) -> Result:
        """Run ``leaderboard ARGS`` in the demo repository, as a person would type it.

        It runs the real command-line entry point in this process, so that transformers and
        the Hub client are imported once rather than once a command.
        """
        from ...cli.main import main

        out, err = io.StringIO(), io.StringIO()
        with (
            contextlib.chdir(self.repo),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
        ):
            try:
                code = main(list(args))
            except SystemExit as exc:  # argparse
                code = exc.code if isinstance(exc.code, int) else 2
        result = Result(code, out.getvalue(), err.getvalue())
        with (self.dir / "demo.log").open("a", encoding="utf-8") as log:
            log.write(f"$ leaderboard {' '.join(args)}\n{result.stdout}{result.stderr}\n")
        if check and code != 0:
            raise DemoError(
                f"`leaderboard {' '.join(args)}` exited {code}:\n{result.stdout}{result.stderr}"
            )
        return result

    def git(self, *args: str, root: Path | None = None) -> str:
        """Run git as the demo's people, in the demo repository (``root`` before it exists).

        A failure is a DemoError with git's own words, which say what to fix.
        """
        proc = store_git.run(root or self.repo, *args, env=self.env)
        if proc.returncode != 0:
            raise DemoError(
                f"`git {' '.join(args)}` failed:\n{proc.stderr.decode(errors='replace')}"
            )
        return store_git.text(proc.stdout)


def git_env(base: dict[str, str]) -> dict[str, str]:
    return {**base, **identity("Demo"), "GIT_TERMINAL_PROMPT": "0"}


# --------------------------------------------------------------------------------------------
# Steps
# --------------------------------------------------------------------------------------------


def step(name: str) -> Callable[[Callable[[DemoRun], None]], Callable[[DemoRun], None]]:
    """Run a step once: a finished step is recorded in the state file and skipped next time."""

    def wrap(fn: Callable[[DemoRun], None]) -> Callable[[DemoRun], None]:
        @functools.wraps(fn)
        def run(ctx: DemoRun) -> None:
            done = ctx.state.setdefault("done", [])
            assert isinstance(done, list)
            if name in done:
                ctx.out.say(f"[dim]already done: {name}[/]")
                return
            fn(ctx)
            done.append(name)
            ctx.save()

        return run

    return wrap
