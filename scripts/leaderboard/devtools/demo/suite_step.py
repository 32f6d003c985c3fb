"""``leaderboard demo --suite NAME``: the demo on another suite than its own tiny one.

One extra step, after the models are published and before they are submitted, does what a
deployment does to run a suite: the suite's files go into the repository (a suite of the
project's own ``suites/`` folder is copied along), ``settings.suite`` names it, the runner's
preparation step fetches its datasets and nltk data once, and evaluations then run with datasets
offline. For the ``leaderboard`` suite the local Hub first gets the synthetic stand-ins of its
six datasets, and nltk's ``punkt_tab`` is built here; the models get a context long enough for
its generation tasks (1,280 new tokens). Tiny models on a few made-up rows score near chance:
the demo says so, since those numbers mean only that the whole path ran.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from ...core.errors import DemoError
from .context import PROJECT_ROOT, DemoRun, step
from .models import MODELS

#: Long enough for the leaderboard's MATH prompts (4-shot) plus 1,024 new tokens.
LONG_CONTEXT = 4096
NEAR_CHANCE = (
    "These scores are near chance and mean nothing: tiny random-weight models answer three "
    "synthetic rows per task, so one lucky guess moves a column by tens of points (and "
    "gibberish can meet IFEval's easy instructions, such as no commas). They show only that the "
    "real `{suite}` suite ran end to end: lm-eval's own tasks, the Hub path, datasets offline."
)


def check_suite(ctx: DemoRun, suite: str) -> None:
    """A resumed demo keeps the suite it started with."""
    started = ctx.state.setdefault("suite", suite)
    if started != suite:
        raise DemoError(
            f"{ctx.dir} holds a demo on the {started!r} suite: run again with --fresh to use "
            f"{suite!r}"
        )


def _long_context(folder: Path) -> dict[str, bytes] | None:
    config_file = folder / "config.json"
    if not config_file.exists():
        return None  # an adapter: its base model's context applies
    config = json.loads(config_file.read_text(encoding="utf-8"))
    config["max_position_embeddings"] = LONG_CONTEXT
    return {"config.json": json.dumps(config, indent=2).encode()}


@step("suite")
def use_suite(ctx: DemoRun) -> None:
    from ...core.ids import SUITES_DIR
    from ...store.repo import Repo
    from ...suites.loader import load_suite
    from .. import devhub
    from ..hubdatasets import publish_leaderboard_datasets
    from ..nltkdata import build_punkt_tab

    name = str(ctx.state["suite"])
    own = PROJECT_ROOT / SUITES_DIR / name
    if own.is_dir():
        shutil.copytree(own, ctx.repo / SUITES_DIR / name, dirs_exist_ok=True)
    suite = load_suite(name, ctx.repo)
    if name == "leaderboard":
        shas = publish_leaderboard_datasets(ctx.hub)
        ctx.out.say(f"published synthetic stand-ins of {len(shas)} datasets to the local Hub")
    for spec in MODELS:
        update = _long_context(ctx.dir / "models" / spec.repo_id)
        if update:
            devhub.publish(ctx.hub, spec.repo_id, update, message="Longer context")
    if suite.nltk_data:
        data = build_punkt_tab(ctx.dir / "hub-cache" / "nltk_data")
        ctx.env["NLTK_DATA"] = os.environ["NLTK_DATA"] = str(data)
        ctx.out.say(f"built nltk's {', '.join(suite.nltk_data)} locally in {data}")

    repo = Repo(ctx.repo)
    settings = repo.settings().model_copy(update={"suite": name})
    repo.write_curation("settings", settings)
    ctx.git("add", "-A")
    ctx.git("commit", "-qm", f"Run the {name} suite")
    ctx.git("push", "-q", "origin", "main")
    # The one step with the network (here the local Hub): datasets are offline afterwards.
    online = {k: v for k, v in ctx.env.items() if k != "HF_DATASETS_OFFLINE"}
    proc = subprocess.run(
        [sys.executable, "-m", "leaderboard", "runner", "prepare"],
        cwd=ctx.repo,
        env=online,
        capture_output=True,
        text=True,
        check=False,
    )
    with (ctx.dir / "demo.log").open("a", encoding="utf-8") as log:
        log.write(f"$ leaderboard runner prepare\n{proc.stdout}{proc.stderr}")
    if proc.returncode != 0:
        raise DemoError(f"`leaderboard runner prepare` failed: see {ctx.dir / 'demo.log'}")
    ctx.out.say(proc.stdout.strip().splitlines()[-1])


def closing_note(suite: str) -> str | None:
    """What the demo says about its scores when it ran a real suite on tiny models."""
    return None if suite == "demo" else NEAR_CHANCE.format(suite=suite)
