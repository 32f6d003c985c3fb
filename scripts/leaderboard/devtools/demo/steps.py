"""``leaderboard demo``: the whole leaderboard, offline, on one machine, in a few minutes.

It runs the project's real code paths end to end, the way people and CI would:

1. a git repository with a bare ``origin`` beside it, seeded with the site sources and the
   curation files, and the local Hub server (``devhub``);
2. tiny models built on the spot and published to that Hub, two training at a time, each for
   its own number of steps at its own size on practice text in the demo suite's shape (see
   ``training``), so that they learn to different degrees: a chat model with a chat template,
   an adapter, a merge, one trained on the test split (contaminated, the best score of all),
   one that cannot load (to show a FAILED request) and one that breaks the rules;
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

import json
import multiprocessing
import shutil
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from ...core.errors import DemoError
from ...core.ids import CODEOWNERS_PATH, REQUESTS_DIR, RESULTS_DIR, parse_request_path
from . import training
from .context import PROJECT_ROOT, RUNNER_LINE, SEED, DemoRun, step
from .models import FLAG, MAINTAINER, MODELS, DemoModel


@step("repository")
def make_repository(ctx: DemoRun) -> None:
    for path in (ctx.dir / "origin.git", ctx.repo):
        if path.exists():
            shutil.rmtree(path)
    ctx.git("init", "-q", "--bare", "-b", "main", str(ctx.dir / "origin.git"), root=ctx.dir)
    ctx.git("clone", "-q", str(ctx.dir / "origin.git"), str(ctx.repo), root=ctx.dir)
    for name in SEED:
        src = PROJECT_ROOT / name
        if src.is_dir():
            shutil.copytree(src, ctx.repo / name, ignore=_not_seeded)
        elif src.exists():
            shutil.copy2(src, ctx.repo / name)
    for name in (REQUESTS_DIR, RESULTS_DIR):
        (ctx.repo / name).mkdir(exist_ok=True)
        (ctx.repo / name / ".gitkeep").touch()
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
    from ...core import codeowners
    from ...core.models import Settings
    from ...store.repo import Repo

    current = Repo(repo).settings()
    data = current.model_dump()
    data.update(
        title="Demo LLM Leaderboard",
        maintainers=[MAINTAINER],
        suite="demo",
    )
    Repo(repo).write_curation("settings", Settings.model_validate(data))
    render = codeowners.render_codeowners(data["maintainers"])
    (repo / CODEOWNERS_PATH).write_text(render)


@step("models")
def build_and_publish_models(ctx: DemoRun) -> None:
    from rich.progress import Progress

    from .. import devhub, tinymodels

    built = ctx.dir / "models"
    with Progress(console=ctx.out.console, transient=True) as bar:
        task = bar.add_task("training models, two at a time", total=len(MODELS))

        def done(repo_id: str) -> None:
            bar.advance(task)
            ctx.out.note(f"built {repo_id}", cpu=False)

        _build_all(built, done)
    for spec in MODELS:
        folder = built / spec.repo_id
        _apply_fault(spec, folder)
        (folder / "README.md").write_text(
            tinymodels.model_card(
                license=spec.license, tags=spec.tags, base_model=spec.base_model, body=spec.card
            )
        )
        sha = devhub.publish(ctx.hub, spec.repo_id, folder, message=f"Upload {spec.repo_id}")
        ctx.out.say(f"published {spec.repo_id} @ {sha[:12]}  [dim]{spec.note}[/]")


#: Models train on one thread each (see tinymodels._train), so two at a time use two cores.
BUILD_WORKERS = 2


def _build_all(built: Path, done: Callable[[str], None]) -> None:
    """Build every model: the full models in parallel, then the adapters over their bases."""
    from .. import tinymodels

    for spec in MODELS:
        if (built / spec.repo_id).exists():
            shutil.rmtree(built / spec.repo_id)
    full = [s for s in MODELS if s.weight_type != "Adapter"]
    # spawn, not fork: the demo's process already holds torch's and the Hub server's threads.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(BUILD_WORKERS, mp_context=context) as pool:
        # The longest first, so that the two workers finish together.
        jobs = {
            pool.submit(_build_model, spec, built / spec.repo_id): spec.repo_id
            for spec in sorted(full, key=lambda s: -s.train_steps * s.hidden_size * s.layers)
        }
        for job in as_completed(jobs):
            job.result()
            done(jobs[job])
    for spec in MODELS:
        if spec.weight_type == "Adapter":
            assert spec.base_model
            tinymodels.build_tiny_adapter(
                built / spec.base_model, built / spec.repo_id, seed=spec.seed
            )
            done(spec.repo_id)


def _build_model(spec: DemoModel, folder: Path) -> None:
    """One model, in a worker process: trained on made-up practice in the suite's shape and the
    suite's train split or, for the contaminated one, its test split."""
    from .. import tinymodels

    # The contaminated model also practises (it needs the skill to use what it memorised),
    # but sees the test questions three times over: it ends above every honest model.
    split = training.split_texts("test") * 3 if spec.contaminated else training.split_texts("train")
    texts = split + training.practice_texts(2000, spec.seed, chat=spec.chat)
    tinymodels.build_tiny_model(
        folder,
        seed=spec.seed,
        texts=texts,
        train_steps=spec.train_steps,
        hidden_size=spec.hidden_size,
        layers=spec.layers,
        chat_template=tinymodels.CHAT_TEMPLATE if spec.chat else None,
    )


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


@step("submissions")
def submit_models(ctx: DemoRun) -> None:
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


def _write_by_hand(ctx: DemoRun, spec: DemoModel) -> None:
    from ...core.ids import request_path
    from ...core.models import ModelType, Precision, Request, WeightType, utcnow
    from ...hub import facts
    from ...store.repo import Repo

    sha = facts.resolve_revision(spec.repo_id, "main")
    request = Request(
        model=spec.repo_id,
        revision=sha,
        precision=Precision(spec.precision),
        weight_type=WeightType(spec.weight_type),
        model_type=ModelType(spec.model_type),
        use_chat_template=spec.chat,
        submitter=spec.submitter,
        submitted_at=utcnow(),
    )
    Repo(ctx.repo).write_request(request_path(request.identity), request, create=True)


@step("review")
def validate_and_merge(ctx: DemoRun) -> None:
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


@step("evaluations")
def evaluate_queue(ctx: DemoRun) -> None:
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
            match = RUNNER_LINE.search(raw)
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


@step("curation")
def flag_one(ctx: DemoRun) -> None:
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


def build_site(ctx: DemoRun, site_url: str | None) -> Path:
    """Build for the address it will be served at: instant navigation needs the exact URL."""
    site = ctx.dir / "site"
    args = ["build", "--site-dir", str(site)]
    if site_url:
        args += ["--site-url", site_url]
    ctx.leaderboard(*args)
    return site


def queue_summary(ctx: DemoRun) -> str:
    """One line per status, from `leaderboard queue --json`, as a maintainer would read it."""
    data = json.loads(ctx.leaderboard("queue", "--json").stdout)
    lines = []
    for status, entries in data.items():
        if isinstance(entries, list):
            lines.append(f"{status}: {len(entries)}")
    return "queue: " + ", ".join(lines)
