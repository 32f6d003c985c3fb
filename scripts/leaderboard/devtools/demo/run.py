"""Running the demo: preparing its folder, the local Hub, the steps in order, serving the site."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

from ...core.errors import DemoError
from .context import OWNED, PROJECT_ROOT, STATE_FILE, DemoRun, Reporter, git_env, load
from .steps import (
    build_and_publish_models,
    build_site,
    evaluate_queue,
    flag_one,
    make_repository,
    queue_summary,
    submit_models,
    validate_and_merge,
)
from .suite_step import check_suite, closing_note, use_suite

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
def _hub(ctx: DemoRun) -> Iterator[str]:
    from .. import devhub

    ctx.hub.mkdir(exist_ok=True)
    with devhub.serve(ctx.hub) as url:
        ctx.env["HF_ENDPOINT"] = url
        os.environ["HF_ENDPOINT"] = url
        yield url


def run_demo(
    folder: Path, *, fresh: bool = False, serve: bool = False, port: int = 8000, suite: str = "demo"
) -> Path:
    """Run the whole loop in ``folder`` on ``suite``; return the built site's folder."""
    folder = folder.resolve()
    state = _prepare_dir(folder, fresh)
    env = git_env(
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
    ctx = DemoRun(dir=folder, env=env, out=out, state=state)
    check_suite(ctx, suite)
    steps: list[tuple[str, Callable[[DemoRun], None]]] = [
        ("A repository and its origin", make_repository),
        ("Tiny models, published to the local Hub", build_and_publish_models),
        *(
            [(f"The {suite} suite, prepared once on the runner", use_suite)]
            if suite != "demo"
            else []
        ),
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
    if note := closing_note(suite):
        out.say(f"[yellow]{note}[/]")
    out.note("done")
    # Training the models is most of the work: the time is the CPU time over the free cores.
    out.say(
        f"\n[bold green]Done in {out.elapsed()}.[/] The site is in {site}\n"
        f"[dim]{out.cpu()} of CPU time; load average {load():.1f} on {os.cpu_count()} cores[/]"
    )
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
