"""The published site's generated parts, as plain Python.

MkDocs calls this module through a one-line hook file (``scripts/mkdocs_hooks.py``), but
nothing here depends on MkDocs except the thin ``Hooks`` adapter at the end: ``SiteData.load``
computes everything, ``generated_files`` returns the files to publish, ``fill_markdown`` and
``queue_html`` produce page parts. Another generator (Zensical ignores hooks) could call the same
functions from a pre-build step.

The interactive pages (leaderboard, model, plots) are drawn in the browser from ``data/table.json``.
Model pages: one page (``model/?id=<eval_name>``) renders any row, chosen by measurement. On this
project's 2-core machine, 1,000 generated Markdown model pages (a score table each, out of nav and
search) took ``mkdocs build`` from 4.5 s to 18.6 s and the site from 3.3 MB to 27 MB: 14 ms and
24 KB a model, so 10,000 models would need ~140 s, far over the build's goal (10 s at 10,000
models), while the single page costs nothing per model (``leaderboard bench --area data``
measures the whole build).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from ..core import env
from ..core.models import (
    TYPE_EMOJI,
    BenchFigure,
    Flag,
    ModelType,
    Request,
    Settings,
    TableColumn,
    iso_z,
    utcnow,
)
from ..store import tolerant
from ..store.repo import Repo
from ..store.tolerant import Skipped
from ..table import columns as table_columns
from ..table import exports, feed, queue_view
from ..table import rows as table_rows
from .html import esc
from .queue_html import queue_html

#: Where a benchmark step leaves its figures (a JSON list of BenchFigure) for the Performance page.
BENCH_FILE = "bench-figures.json"

_PLACEHOLDER = re.compile(r"\{\{\s*lb\.([a-z_]+)\s*\}\}")


def _bench(repo: Repo, skipped: Skipped) -> list[BenchFigure]:
    """The benchmark figures for the Performance page; a corrupt file leaves the page empty."""
    path = repo.root / BENCH_FILE
    if not path.exists():
        return []
    try:
        return [BenchFigure.model_validate(f) for f in json.loads(path.read_text("utf-8"))]
    except (OSError, ValueError, TypeError) as exc:
        skipped.add(BENCH_FILE, tolerant.why(exc))
        return []


@dataclass
class SiteData:
    settings: Settings
    suite: Any
    columns: list[TableColumn]
    rows: list[dict[str, Any]]
    queue: list[dict[str, Any]]
    bench: list[BenchFigure]
    generated_at: str
    #: For the feed's "flagged" entries, with the flags' own dates.
    flags: list[Flag] = field(default_factory=list)
    #: The address the site is built for (``--site-url``, else the settings'); None when unset.
    site_url: str | None = None

    @classmethod
    def load(
        cls, repo: Repo, suite: Any = None, scorer: table_rows.Scorer | None = None
    ) -> SiteData:
        # One corrupt file never stops the site: each is left out, named in a warning, and
        # `leaderboard build --strict` fails on those warnings.
        skipped = Skipped()
        settings = tolerant.curation(repo, "settings", skipped)
        if suite is None or scorer is None:
            suite, scorer = table_rows.load_suite_and_scorer(settings, repo.root, skipped)
        seen: dict[str, Request] = {}
        rows = table_rows.rows(repo, suite, scorer, settings=settings, skipped=skipped, seen=seen)
        # Every request for the queue pages; those the rows read already are not parsed again.
        requests = list(tolerant.requests(repo, skipped, known=seen))
        evaluated = {r["eval_name"] for r in rows}
        return cls(
            settings=settings,
            suite=suite,
            columns=table_columns.columns(suite),
            rows=rows,
            queue=queue_view.queue(repo, requests=requests, evaluated=evaluated, skipped=skipped),
            bench=_bench(repo, skipped),
            generated_at=iso_z(utcnow()),
            flags=tolerant.curation(repo, "flags", skipped).flags,
            site_url=env.site_url() or settings.site_url,
        )

    # -- data files --------------------------------------------------------------------------

    def meta(self) -> dict[str, Any]:
        return {
            "title": self.settings.title,
            "suite": self.settings.suite,
            "suite_version": self.suite.version,
            "benchmarks": [b.column for b in self.suite.benchmarks],
            "types": {t.value: TYPE_EMOJI[t] for t in ModelType},
            "repo_url": self.settings.repo_url,
            "generated_at": self.generated_at,
        }

    def generated_files(self) -> dict[str, bytes]:
        """``path under the site → content`` of every generated data file."""
        cols, rows = self.columns, self.rows
        return {
            "data/contents.json": exports.contents_json(rows, cols),
            "data/contents.csv": exports.contents_csv(rows, cols),
            "data/contents.parquet": exports.contents_parquet(rows, cols),
            "data/contents.schema.json": exports.contents_schema(cols, self.settings.title),
            "data/table.json": exports.site_table(rows, cols, self.meta()),
            "data/provenance.json": exports.site_provenance(rows),
            "data/queue.json": exports._dumps(self.queue),
            "data/changes.xml": feed.changes_atom(
                rows,
                self.flags,
                self.queue,
                title=self.settings.title,
                repo_url=self.settings.repo_url,
                generated_at=self.generated_at,
                site_url=self.site_url,
            ),
            **feed.model_files(rows, cols),
        }

    # -- page parts --------------------------------------------------------------------------

    def fill_markdown(self, markdown: str) -> str:
        """Replace ``{{ lb.name }}`` placeholders in hand-written pages with generated Markdown."""

        def sub(m: re.Match[str]) -> str:
            fn = getattr(self, f"md_{m.group(1)}", None)
            return fn() if fn else m.group(0)

        return _PLACEHOLDER.sub(sub, markdown)

    def md_title(self) -> str:
        return esc(self.settings.title)

    def md_suite(self) -> str:
        return f"`{self.settings.suite}`"

    def md_suite_version(self) -> str:
        """The suite's version, and a warning when rows come from other versions of it."""
        text = f"Version `{esc(self.suite.version)}` of the `{esc(self.suite.name)}` suite."
        older = sorted(
            {str(r.get("Suite version")) for r in self.rows} - {self.suite.version}, key=str
        )
        if not older:
            return text
        n = sum(1 for r in self.rows if r.get("Suite version") != self.suite.version)
        return (
            f'{text}\n\n!!! warning "{n} row(s) from other versions"\n    Their scores were '
            f"made by version {', '.join(f'`{esc(v)}`' for v in older)}; the `Suite version` "
            "column tells them apart. A maintainer re-queues them for this version with "
            "`leaderboard requeue --suite-version OLD`."
        )

    def md_suite_about(self) -> str:
        """What the suite says about itself: maintainers' Markdown from its suite.yaml."""
        return self.suite.about.strip() or esc(self.suite.description)

    def md_suite_faq(self) -> str:
        if not self.suite.faq:
            return "This suite adds no questions of its own."
        return "\n\n".join(f"### {esc(q.question)}\n\n{q.answer.strip()}" for q in self.suite.faq)

    def md_models(self) -> str:
        return f"{len(self.rows):,}"

    def md_benchmarks(self) -> str:
        lines = [
            "| Column | What it measures | lm-eval tasks | Metric | Random baseline |",
            "|---|---|---|---|---|",
        ]
        for b in self.suite.benchmarks:
            tasks = ", ".join(f"`{t.task}`" for t in b.subtasks[:3])
            if len(b.subtasks) > 3:
                tasks += f" and {len(b.subtasks) - 3} more"
            baselines = sorted({round(t.random_baseline, 3) for t in b.subtasks})
            base = ", ".join(f"{x:g}" for x in baselines[:4]) + (" …" if len(baselines) > 4 else "")
            metric = " and ".join(f"`{m}`" for m in b.metrics)
            lines.append(f"| {b.column} | {b.description} | {tasks} | {metric} | {base} |")
        return "\n".join(lines)

    def md_columns(self) -> str:
        lines = ["| Column | Type | Description |", "|---|---|---|"]
        for c in self.columns:
            lines.append(f"| `{c.name}` | {c.kind.value} | {c.description.replace('|', '/')} |")
        return "\n".join(lines)

    def md_types(self) -> str:
        return " · ".join(f"{TYPE_EMOJI[t]} {t.value}" for t in ModelType)

    def md_performance(self) -> str:
        if not self.bench:
            return (
                '!!! note "No figures yet"\n    The benchmark step has not published figures '
                f"for this build: run `python -m leaderboard.devtools.bench.site` and save "
                f"its JSON as `{BENCH_FILE}` at the repository root."
            )
        lines = ["| Area | Figure | Size | Value | Goal | Met |", "|---|---|---|---|---|---|"]
        for f in self.bench:
            met = "" if f.ok is None else ("✅" if f.ok else "❌")
            size = "" if f.size is None else f"{f.size:,}"
            lines.append(
                f"| {esc(f.area)} | {esc(f.name)} | {size} | {f.value:.3g} {esc(f.unit)} "
                f"| {esc(f.goal or '')} | {met} |"
            )
        # The scaling curves: app.js draws one chart per unit from this data (figures measured
        # at several sizes). "<" is escaped so that no text can close the script element.
        data = json.dumps([f.model_dump(mode="json") for f in self.bench]).replace("<", "\\u003c")
        lines += [
            "",
            "## Scaling",
            "",
            '<div id="lb-bench" class="lb-app">'
            f'<script type="application/json" id="lb-bench-data">{data}</script></div>',
        ]
        return "\n".join(lines)

    def queue_html(self) -> str:
        return queue_html(self.queue, self.settings.repo_url)
