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
24 KB a model, so 10,000 models would need ~140 s, far over the 30 s goal, while the single page
costs nothing per model (``leaderboard.benchmarks.site`` measures the whole build).
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import exports, table
from .repo import Repo
from .schema import TYPE_EMOJI, BenchFigure, LeaderboardError, ModelType, Settings, TableColumn

#: Environment variable naming the data repository when it is not the folder of mkdocs.yml
#: (the offline demo, the tests and the benchmark build the project's site over other data).
REPO_ENV = "LEADERBOARD_REPO"
#: Overrides the site's address. Material's instant navigation only intercepts links found in
#: sitemap.xml, whose addresses keep site_url's path and port (it swaps only protocol and host),
#: so a preview served elsewhere (tests, the demo) must be built for its own address.
SITE_URL_ENV = "LEADERBOARD_SITE_URL"
#: Where a benchmark step leaves its figures (a JSON list of BenchFigure) for the Performance page.
BENCH_FILE = "bench-figures.json"

_PLACEHOLDER = re.compile(r"\{\{\s*lb\.([a-z_]+)\s*\}\}")
_HTTP = re.compile(r"^https?://[^\s<>\"']+$")


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def link(url: str | None, text: str) -> str:
    """An anchor only for http(s) links; anything else is shown as text."""
    if url and _HTTP.match(url):
        return f'<a href="{esc(url)}" rel="nofollow noopener">{esc(text)}</a>'
    return esc(text)


@dataclass
class SiteData:
    settings: Settings
    suite: Any
    columns: list[TableColumn]
    rows: list[dict[str, Any]]
    queue: list[dict[str, Any]]
    bench: list[BenchFigure]
    generated_at: str

    @classmethod
    def load(cls, repo: Repo, suite: Any = None, scorer: table.Scorer | None = None) -> SiteData:
        if suite is None or scorer is None:
            suite, scorer = table.load_suite_and_scorer(repo)
        requests = list(repo.iter_requests())
        rows = table.rows(repo, suite, scorer, requests=requests)
        evaluated = {r["eval_name"] for r in rows}
        bench_path = repo.root / BENCH_FILE
        bench = (
            [BenchFigure.model_validate(f) for f in json.loads(bench_path.read_text("utf-8"))]
            if bench_path.exists()
            else []
        )
        return cls(
            settings=repo.settings(),
            suite=suite,
            columns=table.columns(suite),
            rows=rows,
            queue=table.queue(repo, requests=requests, evaluated=evaluated),
            bench=bench,
            generated_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        )

    # -- data files --------------------------------------------------------------------------

    def meta(self) -> dict[str, Any]:
        return {
            "title": self.settings.title,
            "suite": self.settings.suite,
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
                f"for this build: run `python -m leaderboard.benchmarks.site` and save its JSON "
                f"as `{BENCH_FILE}` at the repository root."
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


def _file_link(repo_url: str | None, rel: str) -> str:
    if repo_url:
        return link(f"{repo_url.rstrip('/')}/blob/main/{rel}", "request")
    return f"<code>{esc(rel)}</code>"


def _model_cell(e: dict[str, Any]) -> str:
    chat = " 💬" if e["use_chat_template"] else ""
    text = (
        f"{esc(e['model'])} <small>{esc(e['precision'])} · {esc(e['revision'][:7])}{chat}</small>"
    )
    if e.get("eval_name"):
        return f'<a href="../model/?id={esc(e["eval_name"])}">{text}</a>'
    return text


def _section(title: str, anchor: str, head: list[str], body: list[list[str]], empty: str) -> str:
    out = [f'<h2 id="{anchor}">{esc(title)} <small>({len(body)})</small></h2>']
    if not body:
        return "\n".join([*out, f"<p>{esc(empty)}</p>"])
    out.append(f'<div class="lb-queue-wrap"><table data-queue="{anchor}"><thead><tr>')
    out += [f"<th>{esc(h)}</th>" for h in head]
    out.append("</tr></thead><tbody>")
    out += ["<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>" for cells in body]
    out.append("</tbody></table></div>")
    return "".join(out)


def queue_html(queue: list[dict[str, Any]], repo_url: str | None) -> str:
    """The Queue page's tables; every value escaped, links only when they are http(s)."""
    live = [e for e in queue if e["removed_reason"] is None]
    by = {
        s: [e for e in live if e["status"] == s]
        for s in ("PENDING", "RUNNING", "FINISHED", "FAILED")
    }
    pending = sorted(by["PENDING"], key=lambda e: e["position"] or 0)
    running = sorted(by["RUNNING"], key=lambda e: e["started_at"] or "")
    finished = sorted(by["FINISHED"], key=lambda e: e["finished_at"] or "", reverse=True)
    failed = sorted(by["FAILED"], key=lambda e: e["finished_at"] or "", reverse=True)
    removed = sorted((e for e in queue if e["removed_reason"]), key=lambda e: e["removed_at"] or "")

    def req(e: dict[str, Any]) -> str:
        return _file_link(repo_url, e["request"])

    parts = [
        _section(
            "Running",
            "running",
            ["Model", "Runner", "Since (UTC)", "Attempt", "Request"],
            [
                [_model_cell(e), esc(e["runner"]), esc(e["started_at"]), esc(e["attempts"]), req(e)]
                for e in running
            ],
            "Nothing is being evaluated right now.",
        ),
        _section(
            "Pending",
            "pending",
            ["#", "Model", "Type", "Submitted (UTC)", "Waiting", "Submitter", "Request"],
            [
                [
                    esc(e["position"]),
                    _model_cell(e),
                    esc(e["model_type"]),
                    esc(e["submitted_at"]),
                    _hours(e["waiting_hours"]),
                    esc(e["submitter"]),
                    req(e),
                ]
                for e in pending
            ],
            "The queue is empty.",
        ),
        _section(
            "Failed",
            "failed",
            ["Model", "Category", "Reason", "Finished (UTC)", "Attempts", "Log", "Request"],
            [
                [
                    _model_cell(e),
                    _category(e["failure_category"]),
                    esc(e["failure_reason"]),
                    esc(e["finished_at"]),
                    esc(e["attempts"]),
                    link(e["log_url"], "log") if e["log_url"] else "",
                    req(e),
                ]
                for e in failed
            ],
            "No failed evaluations.",
        ),
        _section(
            "Finished",
            "finished",
            ["Model", "Type", "Finished (UTC)", "Runner", "Request"],
            [
                [
                    _model_cell(e),
                    esc(e["model_type"]),
                    esc(e["finished_at"]),
                    esc(e["runner"]),
                    req(e),
                ]
                for e in finished
            ],
            "No finished evaluations yet.",
        ),
        _section(
            "Removed",
            "removed",
            ["Model", "Status", "Removed (UTC)", "Reason", "Request"],
            [
                [
                    _model_cell(e),
                    esc(e["status"]),
                    esc(e["removed_at"]),
                    esc(e["removed_reason"]),
                    req(e),
                ]
                for e in removed
            ],
            "No request was removed.",
        ),
    ]
    return "\n".join(parts)


def _hours(h: float | None) -> str:
    if h is None:
        return ""
    return f"{h:.1f} h" if h < 48 else f"{h / 24:.1f} days"


def _category(category: str | None) -> str:
    if category == "model":
        return '<span class="lb-badge lb-badge--model" title="The submitter must act">model</span>'
    if category == "infrastructure":
        return '<span class="lb-badge lb-badge--infra" title="Ours; retried">infrastructure</span>'
    return esc(category)


# --------------------------------------------------------------------------------------------
# The MkDocs adapter
# --------------------------------------------------------------------------------------------


class Hooks:
    """MkDocs event handlers over ``SiteData``; ``scripts/mkdocs_hooks.py`` exposes them."""

    def __init__(self) -> None:
        self.data: SiteData | None = None

    def on_config(self, config: Any) -> Any:
        root = Path(os.environ.get(REPO_ENV) or Path(config.config_file_path).parent)
        self.data = SiteData.load(Repo(root))
        settings = self.data.settings
        config.site_name = settings.title
        site_url = os.environ.get(SITE_URL_ENV) or settings.site_url
        if site_url:
            config.site_url = site_url
        # Not config.repo_url: Material's header widget would then call api.github.com from
        # every reader's browser. Pages link to the repository themselves.
        return config

    def on_files(self, files: Any, config: Any) -> Any:
        from mkdocs.structure.files import File, InclusionLevel

        assert self.data is not None
        for path, content in self.data.generated_files().items():
            files.append(
                File.generated(config, path, content=content, inclusion=InclusionLevel.NOT_IN_NAV)
            )
        return files

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Any) -> str:
        assert self.data is not None
        return self.data.fill_markdown(markdown)

    def on_page_content(self, html_text: str, page: Any, config: Any, files: Any) -> str:
        assert self.data is not None
        marker = '<div id="lb-queue"></div>'
        if marker in html_text:
            html_text = html_text.replace(
                marker, f'<div id="lb-queue">{self.data.queue_html()}</div>'
            )
        return html_text


#: The project's own checkout (an editable install), whose mkdocs.yml and docs/ build any data.
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def build(
    root: Path, site_dir: Path, config_file: Path | None = None, site_url: str | None = None
) -> Path:
    """Build the site of the repository at ``root`` into ``site_dir`` with ``mkdocs build
    --strict``. The configuration is ``root/mkdocs.yml``, or the project's own when the data
    repository has none (the demo, the tests). ``site_url`` overrides the settings' address
    (needed for instant navigation on a preview server). Returns ``site_dir``."""
    root, site_dir = Path(root).resolve(), Path(site_dir).resolve()
    if config_file is None:
        config_file = root / "mkdocs.yml"
        if not config_file.exists():
            config_file = PROJECT_ROOT / "mkdocs.yml"
    env = {**os.environ, REPO_ENV: str(root), "NO_MKDOCS_2_WARNING": "1"}
    if site_url:
        env[SITE_URL_ENV] = site_url
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--quiet",
            "-f",
            str(config_file),
            "-d",
            str(site_dir),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip()[-4000:]
        raise LeaderboardError(f"mkdocs build --strict failed:\n{tail}")
    for line in proc.stderr.splitlines():  # rows left out (a corrupt result file): say which
        if line.startswith("warning: "):
            print(line, file=sys.stderr)
    return site_dir
