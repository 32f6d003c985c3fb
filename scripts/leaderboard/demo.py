"""``leaderboard demo``: the whole leaderboard, offline, on one machine, in a few minutes.

It runs the project's real code paths end to end, the way people and CI would:

1. a git repository with a bare ``origin`` beside it, seeded with the site sources and the
   curation files, and the local Hub server (``devhub``);
2. tiny models built on the spot and published to that Hub: random weights, some trained for a
   few seconds on the demo suite's kind of data, a chat model with a chat template, an adapter,
   a merge, one that cannot load (to show a FAILED request) and one that breaks the rules;
3. ``leaderboard submit`` for each, on a branch per submission, as a pull request would;
4. ``leaderboard validate`` for each branch, as CI would; the invalid one shows its error
   report and stays unmerged, the valid ones are merged;
5. ``leaderboard evaluate --next --push`` until the queue is empty (the ``demo`` suite, through
   the real lm-eval);
6. one curation act (a flag) by pull request, then ``leaderboard build`` and, with ``--serve``,
   the site on 127.0.0.1.

Every step records itself in ``DIR/demo-state.json`` when it is done, so running the demo again
resumes where it stopped; ``--fresh`` starts clean. It refuses a folder that holds anything it
did not make, so it never touches files that are not its own.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .repo import parse_request_path
from .schema import LeaderboardError

STATE_FILE = "demo-state.json"
_RUNNER_LINE = re.compile(r"\b(evaluating|recorded|failed) (.*?)(?:\s{2,}\S+\.py:\d+)?$")
#: What the demo makes inside its folder; nothing else is ever written or deleted there.
OWNED = ("origin.git", "leaderboard", "hub", "hub-cache", "models", "site", STATE_FILE, "demo.log")
MAINTAINER = "demo-maintainer"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
#: Files of the project that a leaderboard repository needs to build its site and run CI.
SEED = ("mkdocs.yml", "docs", ".github", "curation", "scripts", "pyproject.toml", "README.md")


class DemoError(LeaderboardError):
    pass


@dataclass(frozen=True)
class DemoModel:
    """One model the demo builds, publishes and submits."""

    repo_id: str
    submitter: str
    model_type: str
    precision: str = "bfloat16"
    weight_type: str = "Original"
    base_model: str | None = None
    chat: bool = False
    train_seconds: float = 0.0
    seed: int = 0
    tags: tuple[str, ...] = ()
    license: str | None = "apache-2.0"
    card: str | None = None
    #: What is wrong with it on purpose: "" (nothing), "load" (fails at evaluation),
    #: "rules" (fails validation: custom code, no license, a short card).
    fault: str = ""
    #: Trained on the suite's test split: a high score that a maintainer should flag.
    contaminated: bool = False
    note: str = ""


MODELS: tuple[DemoModel, ...] = (
    DemoModel("demo-lab/tiny-base", "alice", "pretrained", note="random weights"),
    DemoModel(
        "demo-lab/tiny-tutor",
        "alice",
        "fine-tuned",
        train_seconds=10,
        seed=1,
        note="trained 10 s on the demo suite's training split",
    ),
    DemoModel(
        "leaky-lab/tiny-leak",
        "frank",
        "fine-tuned",
        train_seconds=10,
        seed=7,
        contaminated=True,
        note="trained 10 s on the demo suite's TEST split: contaminated, flagged later",
    ),
    DemoModel(
        "chat-co/tiny-chat",
        "bob",
        "chat",
        precision="float16",
        chat=True,
        train_seconds=6,
        seed=2,
        note="chat template on, float16",
    ),
    DemoModel(
        "adapters-inc/tiny-lora",
        "carol",
        "fine-tuned",
        weight_type="Adapter",
        base_model="demo-lab/tiny-base",
        seed=3,
        note="a LoRA adapter over demo-lab/tiny-base",
    ),
    DemoModel(
        "mergers/tiny-merge",
        "dave",
        "merge",
        tags=("merge", "mergekit"),
        train_seconds=4,
        seed=4,
        note="a merge (tags: merge, mergekit)",
    ),
    DemoModel(
        "broken-org/tiny-broken",
        "erin",
        "pretrained",
        seed=5,
        fault="load",
        note="its weights do not match its config: FAILED on purpose",
    ),
    DemoModel(
        "sketchy/tiny-remote",
        "mallory",
        "fine-tuned",
        seed=6,
        license=None,
        card="Trust me.",
        fault="rules",
        note="custom code, no license, a short card: refused by validation",
    ),
)
FLAG = {
    "model": "leaky-lab/tiny-leak",
    "category": "contamination",
    "discussion": "https://github.com/example/leaderboard/discussions/1",
    "note": "Its card says it was trained on the demo suite's test questions.",
}


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------


class Reporter:
    """Steps with elapsed time, for a person watching the terminal."""

    def __init__(self, log: Path):
        from rich.console import Console

        self.console = Console(highlight=False)
        self.start = time.monotonic()
        self.log = log

    def elapsed(self) -> str:
        s = int(time.monotonic() - self.start)
        return f"{s // 60}:{s % 60:02d}"

    def step(self, n: int, title: str) -> None:
        self.console.rule(f"[bold]{n}. {title}[/] [dim]({self.elapsed()})[/]", align="left")

    def say(self, text: str) -> None:
        self.console.print(text)


# --------------------------------------------------------------------------------------------
# Running the project's own commands
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    returncode: int
    stdout: str
    stderr: str


@dataclass
class Context:
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
        from .cli import main

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

    def git(self, *args: str) -> str:
        proc = subprocess.run(
            ["git", *args], cwd=self.repo, env=self.env, text=True, capture_output=True, check=False
        )
        if proc.returncode != 0:
            raise DemoError(f"`git {' '.join(args)}` failed:\n{proc.stderr}")
        return proc.stdout.strip()


def _git_env(base: dict[str, str]) -> dict[str, str]:
    return {
        **base,
        "GIT_AUTHOR_NAME": "Demo",
        "GIT_AUTHOR_EMAIL": "demo@leaderboard.invalid",
        "GIT_COMMITTER_NAME": "Demo",
        "GIT_COMMITTER_EMAIL": "demo@leaderboard.invalid",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_TERMINAL_PROMPT": "0",
    }


# --------------------------------------------------------------------------------------------
# Steps
# --------------------------------------------------------------------------------------------


def _step(name: str) -> Callable[[Callable[[Context], None]], Callable[[Context], None]]:
    """Run a step once: a finished step is recorded in the state file and skipped next time."""

    def wrap(fn: Callable[[Context], None]) -> Callable[[Context], None]:
        @functools.wraps(fn)
        def run(ctx: Context) -> None:
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


@_step("repository")
def make_repository(ctx: Context) -> None:
    for path in (ctx.dir / "origin.git", ctx.repo):
        if path.exists():
            shutil.rmtree(path)
    subprocess.run(
        ["git", "init", "-q", "--bare", "-b", "main", str(ctx.dir / "origin.git")],
        check=True,
        env=ctx.env,
    )
    subprocess.run(
        ["git", "clone", "-q", str(ctx.dir / "origin.git"), str(ctx.repo)],
        check=True,
        env=ctx.env,
        capture_output=True,
    )
    for name in SEED:
        src = PROJECT_ROOT / name
        if src.is_dir():
            shutil.copytree(src, ctx.repo / name, ignore=_not_seeded)
        elif src.exists():
            shutil.copy2(src, ctx.repo / name)
    for name in ("requests", "results"):
        (ctx.repo / name).mkdir(exist_ok=True)
        (ctx.repo / name / ".gitkeep").touch()
    (ctx.repo / ".gitignore").write_text("site/\ndocs/data/\n.details/\n/bench-figures.json\n")
    _write_settings(ctx.repo)
    ctx.git("checkout", "-q", "-b", "main")
    ctx.git("add", "-A")
    ctx.git("commit", "-qm", "A new leaderboard, from the project's template")
    ctx.git("push", "-q", "-u", "origin", "main")
    ctx.out.say(f"repository {ctx.repo} with origin {ctx.dir / 'origin.git'}")


def _not_seeded(folder: str, names: list[str]) -> set[str]:
    """Build outputs and generated data stay behind: a fork starts from sources only."""
    skip = {n for n in names if n in ("__pycache__", "node_modules") or n.endswith(".egg-info")}
    if Path(folder) == PROJECT_ROOT / "docs" and "data" in names:
        skip.add("data")
    return skip


def _write_settings(repo: Path) -> None:
    from . import codeowners
    from .repo import Repo
    from .schema import Settings

    current = Repo(repo).settings()
    data = current.model_dump()
    data.update(
        title="Demo LLM Leaderboard",
        maintainers=[MAINTAINER],
        suite="demo",
    )
    Repo(repo).write_curation("settings", Settings.model_validate(data))
    render = codeowners.render_codeowners(data["maintainers"])
    (repo / ".github" / "CODEOWNERS").write_text(render)


def _training_texts(split: str) -> list[str]:
    """The demo suite's data of one split, written as the prompts read.

    The ``train`` split is fair game (the suite's few-shot examples come from it); training on
    ``test`` is contamination, which the demo does once on purpose and then flags.
    """
    from .suites import suite_dir

    data = suite_dir("demo") / "data"
    texts = []
    for line in (data / f"arithmetic_{split}.jsonl").read_text().splitlines():
        doc = json.loads(line)
        texts.append(f"Question: {doc['question']}\nAnswer: {doc['choices'][doc['answer']]}")
    for line in (data / f"echo_{split}.jsonl").read_text().splitlines():
        doc = json.loads(line)
        texts.append(f"Repeat the word: {doc['word']}\nAnswer: {doc['word']}")
    return texts


@_step("models")
def build_and_publish_models(ctx: Context) -> None:
    from rich.progress import Progress

    from . import devhub, tinymodels

    texts = {split: _training_texts(split) for split in ("train", "test")}
    built = ctx.dir / "models"
    with Progress(console=ctx.out.console, transient=True) as bar:
        task = bar.add_task("building models", total=len(MODELS))
        for spec in MODELS:
            bar.update(task, description=f"building {spec.repo_id}")
            folder = built / spec.repo_id
            if folder.exists():
                shutil.rmtree(folder)
            if spec.weight_type == "Adapter":
                assert spec.base_model
                tinymodels.build_tiny_adapter(built / spec.base_model, folder, seed=spec.seed)
            else:
                tinymodels.build_tiny_model(
                    folder,
                    seed=spec.seed,
                    texts=texts["test" if spec.contaminated else "train"],
                    train_seconds=spec.train_seconds,
                    chat_template=tinymodels.CHAT_TEMPLATE if spec.chat else None,
                )
            _apply_fault(spec, folder)
            (folder / "README.md").write_text(
                tinymodels.model_card(
                    license=spec.license, tags=spec.tags, base_model=spec.base_model, body=spec.card
                )
            )
            sha = devhub.publish(ctx.hub, spec.repo_id, folder, message=f"Upload {spec.repo_id}")
            ctx.out.say(f"published {spec.repo_id} @ {sha[:12]}  [dim]{spec.note}[/]")
            bar.advance(task)


def _apply_fault(spec: DemoModel, folder: Path) -> None:
    config_file = folder / "config.json"
    if spec.fault == "load":
        # A config that no longer matches the weights: loads fine at validation, fails at
        # evaluation with a shape mismatch, as a truncated or mislabelled upload would.
        config = json.loads(config_file.read_text())
        config["hidden_size"] = config["hidden_size"] * 2
        config["intermediate_size"] = config["intermediate_size"] * 2
        config_file.write_text(json.dumps(config, indent=2))
    elif spec.fault == "rules":
        config = json.loads(config_file.read_text())
        config["auto_map"] = {"AutoModelForCausalLM": "modeling_sketchy.SketchyForCausalLM"}
        config_file.write_text(json.dumps(config, indent=2))
        (folder / "modeling_sketchy.py").write_text("import os  # never executed by anyone\n")


def _short(request_rel: str) -> str:
    """``org/model@sha7 precision`` for a request path, as people name a row."""
    parts = parse_request_path(request_rel.strip())
    if parts is None:
        return request_rel
    chat = ", chat template" if parts.use_chat_template else ""
    return f"{parts.model}@{parts.revision[:7]} ({parts.precision}{chat})"


def _branch(spec: DemoModel) -> str:
    return "submit/" + spec.repo_id.replace("/", "-")


@_step("submissions")
def submit_models(ctx: Context) -> None:
    for spec in MODELS:
        ctx.git("checkout", "-q", "main")
        ctx.git("checkout", "-q", "-B", _branch(spec))
        args = [
            "submit",
            spec.repo_id,
            "--precision",
            spec.precision,
            "--model-type",
            spec.model_type,
            "--weight-type",
            spec.weight_type,
            "--submitter",
            spec.submitter,
        ]
        if spec.base_model:
            args += ["--base-model", spec.base_model]
        if spec.chat:
            args.append("--chat-template")
        if spec.fault == "rules":
            # `submit` runs every check and refuses; a careless submitter writes the file by
            # hand instead, and the pull request's validation catches it.
            proc = ctx.leaderboard(*args, check=False)
            ctx.out.say(
                f"[yellow]leaderboard submit {spec.repo_id}[/] refused it (exit {proc.returncode});"
                " writing the file by hand, as a careless submitter would"
            )
            _write_by_hand(ctx, spec)
        else:
            proc = ctx.leaderboard(*args)
            ctx.out.say(f"submitted {spec.repo_id} on branch {_branch(spec)}")
        ctx.git("add", "-A")
        ctx.git("commit", "-qm", f"Submit {spec.repo_id}")
    ctx.git("checkout", "-q", "main")


def _write_by_hand(ctx: Context, spec: DemoModel) -> None:
    from . import hub
    from .repo import Repo, request_path
    from .schema import Request, utcnow

    sha = hub.resolve_revision(spec.repo_id, "main")
    request = Request(
        model=spec.repo_id,
        revision=sha,
        precision=spec.precision,
        weight_type=spec.weight_type,
        model_type=spec.model_type,
        use_chat_template=spec.chat,
        submitter=spec.submitter,
        submitted_at=utcnow(),
    )
    Repo(ctx.repo).write_request(request_path(request.identity), request, create=True)


@_step("review")
def validate_and_merge(ctx: Context) -> None:
    from rich.markup import escape

    merged = []
    for spec in MODELS:
        ctx.git("checkout", "-q", _branch(spec))
        proc = ctx.leaderboard(
            "validate", "--base", "main", "--author", spec.submitter, check=False
        )
        if proc.returncode == 0:
            ctx.git("checkout", "-q", "main")
            ctx.git(
                "merge", "-q", "--no-ff", _branch(spec), "-m", f"Merge submission {spec.repo_id}"
            )
            merged.append(spec.repo_id)
            ctx.out.say(f"[green]✓ valid[/] {spec.repo_id}: merged")
        else:
            ctx.out.say(f"[red]✗ invalid[/] {spec.repo_id}: not merged. CI's report:")
            for line in (proc.stdout + proc.stderr).strip().splitlines():
                ctx.out.say(f"    {escape(line)}")
            ctx.git("checkout", "-q", "main")
    ctx.git("push", "-q", "origin", "main")
    ctx.state["merged"] = merged


@_step("evaluations")
def evaluate_queue(ctx: Context) -> None:
    """One runner process drains the queue, as a GPU runner would; its lines are streamed."""
    from rich.markup import escape
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    merged = ctx.state.get("merged", [])
    assert isinstance(merged, list)
    cmd = [sys.executable, "-m", "leaderboard", "evaluate", "--next", "--all", "--push"]
    cmd += ["--runner", "demo-runner"]
    log = (ctx.dir / "demo.log").open("a", encoding="utf-8")
    log.write(f"$ leaderboard {' '.join(cmd[3:])}\n")
    with (
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=ctx.out.console,
        ) as bar,
        log,
    ):
        task = bar.add_task("evaluating", total=len(merged))
        proc = subprocess.Popen(
            cmd,
            cwd=ctx.repo,
            env={**ctx.env, "COLUMNS": "400"},  # one log line per message, not wrapped
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        assert proc.stdout is not None
        for raw in proc.stdout:
            log.write(raw)
            # The runner logs for people ("[time] message   file:line"); keep the message.
            match = _RUNNER_LINE.search(raw)
            if not match:
                continue
            verb, rest = match.group(1), match.group(2).strip()
            if verb == "evaluating":
                bar.update(task, description=f"evaluating {rest.split(' on suite')[0]}")
            elif verb == "recorded":
                path, _, status = rest.rpartition(":")
                colour = "green" if status.strip() == "FINISHED" else "red"
                bar.console.print(f"  [{colour}]{status.strip()}[/] {escape(_short(path))}")
                bar.advance(task)
            else:
                bar.console.print(f"    [dim]{verb} {escape(rest)}[/]")
        if proc.wait() != 0:
            raise DemoError(f"the runner exited {proc.returncode}: see {ctx.dir / 'demo.log'}")
    ctx.git("pull", "-q", "--ff-only", "origin", "main")


@_step("curation")
def flag_one(ctx: Context) -> None:
    ctx.git("checkout", "-q", "-B", "curation/flag")
    ctx.leaderboard(
        "flag",
        FLAG["model"],
        "--category",
        FLAG["category"],
        "--discussion",
        FLAG["discussion"],
        "--note",
        FLAG["note"],
        "--maintainer",
        MAINTAINER,
    )
    ctx.git("add", "-A")
    ctx.git("commit", "-qm", f"Flag {FLAG['model']}: {FLAG['category']}")
    ctx.leaderboard("validate", "--base", "main", "--author", MAINTAINER)
    ctx.git("checkout", "-q", "main")
    ctx.git("merge", "-q", "--no-ff", "curation/flag", "-m", f"Merge flag of {FLAG['model']}")
    ctx.git("push", "-q", "origin", "main")
    ctx.out.say(f"flagged {FLAG['model']} ({FLAG['category']}), reviewed and merged")


def build_site(ctx: Context, site_url: str | None) -> Path:
    """Build for the address it will be served at: instant navigation needs the exact URL."""
    site = ctx.dir / "site"
    args = ["build", "--site-dir", str(site)]
    if site_url:
        args += ["--site-url", site_url]
    ctx.leaderboard(*args)
    return site


def queue_summary(ctx: Context) -> str:
    """One line per status, from `leaderboard queue --json`, as a maintainer would read it."""
    data = json.loads(ctx.leaderboard("queue", "--json").stdout)
    lines = []
    for status, entries in data.items():
        if isinstance(entries, list):
            lines.append(f"{status}: {len(entries)}")
    return "queue: " + ", ".join(lines)


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def _prepare_dir(folder: Path, fresh: bool) -> dict[str, object]:
    folder.mkdir(parents=True, exist_ok=True)
    foreign = sorted(p.name for p in folder.iterdir() if p.name not in OWNED)
    if foreign:
        raise DemoError(
            f"{folder} holds files the demo did not make ({', '.join(foreign[:5])}); "
            "choose an empty or new folder with --dir"
        )
    state_file = folder / STATE_FILE
    if fresh or not state_file.exists():
        for name in OWNED:
            path = folder / name
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
        return {}
    try:
        state = json.loads(state_file.read_text())
    except (OSError, json.JSONDecodeError):
        raise DemoError(f"{state_file} is unreadable: run again with --fresh") from None
    return state if isinstance(state, dict) else {}


@contextlib.contextmanager
def _hub(ctx: Context) -> Iterator[str]:
    from . import devhub

    ctx.hub.mkdir(exist_ok=True)
    with devhub.serve(ctx.hub) as url:
        ctx.env["HF_ENDPOINT"] = url
        os.environ["HF_ENDPOINT"] = url
        yield url


def run_demo(folder: Path, *, fresh: bool = False, serve: bool = False, port: int = 8000) -> Path:
    """Run the whole loop in ``folder``; return the built site's folder."""
    folder = folder.resolve()
    state = _prepare_dir(folder, fresh)
    env = _git_env(
        {
            k: v
            for k, v in os.environ.items()
            if k not in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "GITHUB_ACTIONS")
        }
    )
    env.update(
        HF_HOME=str(folder / "hub-cache"),
        HF_HUB_DISABLE_TELEMETRY="1",
        HF_DATASETS_OFFLINE="1",
        TOKENIZERS_PARALLELISM="false",
        NO_MKDOCS_2_WARNING="1",
        HF_HUB_DISABLE_PROGRESS_BARS="1",
        TRANSFORMERS_VERBOSITY="error",
        PYTHONWARNINGS="ignore::FutureWarning,ignore::UserWarning",
        PYTHONPATH=os.pathsep.join([str(PROJECT_ROOT / "scripts"), env.get("PYTHONPATH", "")]),
    )
    # The commands run in this process too: the Hub client reads these when it is imported.
    os.environ.update(
        {
            k: v
            for k, v in env.items()
            if k.startswith(("HF_", "TRANSFORMERS_", "TOKENIZERS_", "NO_MKDOCS"))
        }
    )
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=UserWarning)
    out = Reporter(folder / "demo.log")
    ctx = Context(dir=folder, env=env, out=out, state=state)
    steps: list[tuple[str, Callable[[Context], None]]] = [
        ("A repository and its origin", make_repository),
        ("Tiny models, published to the local Hub", build_and_publish_models),
        ("Submissions, one pull request each", submit_models),
        ("CI validates each pull request; valid ones are merged", validate_and_merge),
        ("The runner evaluates the queue with lm-eval", evaluate_queue),
        ("A maintainer flags a model", flag_one),
    ]
    with _hub(ctx) as url:
        out.say(f"local Hub at {url} (HF_ENDPOINT)")
        for n, (title, fn) in enumerate(steps, 1):
            out.step(n, title)
            fn(ctx)
        out.step(len(steps) + 1, "The site")
        site = build_site(ctx, f"http://127.0.0.1:{port}/" if serve else None)
        out.say(queue_summary(ctx))
    out.say(f"\n[bold green]Done in {out.elapsed()}.[/] The site is in {site}")
    if serve:
        serve_site(site, port, out)
    else:
        out.say(
            f"Serve it with `leaderboard demo --dir {folder} --serve` (from the project folder: "
            "`bash scripts/dev.sh demo --serve`), or any static file server."
        )
    return site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """The terminal shows the demo's steps, not one line per file served."""


def serve_site(site: Path, port: int, out: Reporter) -> None:
    handler = functools.partial(_QuietHandler, directory=str(site))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        out.say(
            f"[bold]Serving the leaderboard at http://127.0.0.1:{server.server_port}/[/]"
            " (Ctrl-C stops)"
        )
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
