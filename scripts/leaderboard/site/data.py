"""The published site's generated parts, as plain Python.

MkDocs calls this module through a one-line hook file (``scripts/mkdocs_hooks.py``), but
nothing here depends on MkDocs except the thin ``Hooks`` adapter at the end: ``SiteData.load``
computes everything, ``generated_files`` returns the files to publish, ``fill_markdown`` and
``queue_html`` produce page parts from Jinja2 templates (``site/templates/``, escaped by
``site/templates.py``). Another generator (Zensical ignores hooks) could call the same
functions from a pre-build step.

The interactive pages (leaderboard, model, plots) are drawn in the browser from ``data/table.json``,
whose ``meta`` also says which column plays which part (``site/frontend.py``).
Model pages: one page (``model/?id=<eval_name>``) renders any row, chosen by measurement: a
generated Markdown page per model costs build time and size per model, which puts the build far
over its goal at 10,000 models, while the single page costs nothing per model (the figures are on
the Performance page, ``docs/performance.md``; ``leaderboard bench --area data`` measures the
whole build).
"""

from __future__ import annotations

import functools
import json
import os
import platform
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..core import env
from ..core.models import (
    TYPE_EMOJI,
    BenchFigure,
    BenchReport,
    Flag,
    ModelType,
    QueueMeta,
    Request,
    Row,
    Settings,
    Suite,
    TableColumn,
    iso_z,
    utcnow,
)
from ..store import tolerant
from ..store.repo import Repo
from ..store.tolerant import Skipped
from ..table import columns as table_columns
from ..table import eee, eval_results, exports, feed, queue_view
from ..table import rows as table_rows
from . import templates
from .frontend import frontend_meta
from .queue_html import queue_html
from .submit_form import cli_example, submit_html

#: Where a benchmark step leaves its figures (a JSON list of BenchFigure) for the Performance page.
BENCH_FILE = "bench-figures.json"
#: The project's own figures (the README's), shown when a deployment has measured none.
REFERENCE_FIGURES = Path(__file__).parent / "reference-figures.json"

_PLACEHOLDER = re.compile(r"\{\{\s*lb\.([a-z_]+)\s*\}\}")


def _bench(repo: Repo, skipped: Skipped) -> BenchReport | None:
    """This deployment's benchmark figures, measured on the machine that builds the site just
    before the build (the file is not committed); a corrupt file is skipped."""
    path = repo.root / BENCH_FILE
    if not path.exists():
        return None
    try:
        figures = [BenchFigure.model_validate(f) for f in json.loads(path.read_text("utf-8"))]
        written = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except (OSError, ValueError, TypeError) as exc:
        skipped.add(BENCH_FILE, tolerant.why(exc))
        return None
    return BenchReport(
        measured=written.strftime("%Y-%m-%d %H:%M UTC"),
        machine=f"the machine that built this site ({platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs)",
        command=f"leaderboard bench --out {BENCH_FILE}",
        figures=figures,
    )


@functools.cache
def reference_figures() -> BenchReport:
    return BenchReport.model_validate_json(REFERENCE_FIGURES.read_bytes())


@dataclass
class SiteData:
    settings: Settings
    suite: Suite
    columns: list[TableColumn]
    rows: list[Row]
    queue: list[dict[str, Any]]
    #: What the Queue page says of the whole queue (the build's time, the order in use).
    queue_meta: QueueMeta
    #: This deployment's own benchmark figures, if it measured any.
    bench: BenchReport | None
    generated_at: str
    #: For the feed's "flagged" entries, with the flags' own dates.
    flags: list[Flag] = field(default_factory=list)
    #: The address the site is built for (``--site-url``, else the settings'); None when unset.
    site_url: str | None = None

    @classmethod
    def load(
        cls, repo: Repo, suite: Suite | None = None, scorer: table_rows.Scorer | None = None
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
        evaluated = {r.id for r in rows}
        now = utcnow()
        queue, queue_meta = queue_view.view(
            repo, requests, now, evaluated=evaluated, skipped=skipped, settings=settings
        )
        return cls(
            settings=settings,
            suite=suite,
            columns=table_columns.columns(suite),
            rows=rows,
            queue=queue,
            queue_meta=queue_meta,
            bench=_bench(repo, skipped),
            generated_at=iso_z(now) or "",
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
            **frontend_meta(self.suite, self.columns),
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
            "data/provenance.json": exports.site_provenance(rows, cols),
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
            # Shared formats (issue 27): Every Eval Ever records in the datastore's layout, and
            # each model's Community Evals files.
            "data/eee.zip": eee.archive(eee.records(rows, self.settings, self.suite)),
            "data/eval-results.zip": eee.archive(
                eval_results.all_files(rows, self.settings, self.suite)
            ),
        }

    # -- page parts --------------------------------------------------------------------------

    def fill_markdown(self, markdown: str) -> str:
        """Replace ``{{ lb.name }}`` placeholders in hand-written pages with generated Markdown:
        the macro ``name`` of ``site/templates/parts.md.j2``, given this data."""

        def sub(m: re.Match[str]) -> str:
            text = templates.macro("parts.md.j2", m.group(1), self)
            return m.group(0) if text is None else text.strip()

        return _PLACEHOLDER.sub(sub, markdown)

    # -- what the templates read -------------------------------------------------------------

    def older_suite_versions(self) -> list[str]:
        """The suite versions of rows scored by another version than the current one."""
        return sorted({r.suite_version for r in self.rows} - {self.suite.version})

    def rows_of_other_versions(self) -> int:
        return sum(1 for r in self.rows if r.suite_version != self.suite.version)

    def benchmark_rows(self) -> list[dict[str, Any]]:
        """The About page's table of benchmarks: the first three lm-eval tasks of each, its
        metrics, and its random baselines (the first four)."""
        out = []
        for b in self.suite.benchmarks:
            baselines = sorted({round(t.random_baseline, 3) for t in b.subtasks})
            out.append(
                {
                    "column": b.column,
                    "description": b.description,
                    "tasks": [t.task for t in b.subtasks[:3]],
                    "more_tasks": max(0, len(b.subtasks) - 3),
                    "metrics": list(b.metrics),
                    "baselines": ", ".join(f"{x:g}" for x in baselines[:4])
                    + (" …" if len(baselines) > 4 else ""),
                }
            )
        return out

    def types(self) -> list[tuple[str, str]]:
        return [(TYPE_EMOJI[t], t.value) for t in ModelType]

    def performance(self) -> tuple[BenchReport, bool]:
        """The figures the Performance page shows, and whether they are this deployment's
        own (``bench-figures.json``) rather than the project's reference figures."""
        if self.bench is not None:
            return self.bench, True
        return reference_figures(), False

    def bench_json(self, report: BenchReport) -> str:
        """The figures as JSON, for the page's scaling charts (``bench.js``)."""
        return json.dumps([f.model_dump(mode="json") for f in report.figures])

    def queue_html(self) -> str:
        return queue_html(self.queue, self.settings.repo_url, self.queue_meta)

    def submit_html(self) -> str:
        return submit_html(self.settings)

    def submit_example(self) -> dict[str, Any]:
        return cli_example(self.settings)
