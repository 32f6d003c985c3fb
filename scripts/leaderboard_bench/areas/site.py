"""The site at scale: build time, data size, navigation → interactive table, keystroke →
filtered table, for 1,000 / 10,000 / 50,000 synthetic models (``quick``: 200 / 1,000).

Run it as ``python -m leaderboard_bench.areas.site [--quick] [--json]``. It builds a real
synthetic repository (``leaderboard.devtools.synthetic``, the ``leaderboard`` suite's six columns),
runs the real ``leaderboard build`` (``mkdocs build --strict``) and drives Debian's chromium.
Results are real-size (``real_size=True``: the real ``leaderboard`` suite's output as the record
job commits it), and each build starts from a fresh checkout's state (no cache).

Goals: a full build (data, site, and the model view, which is one page for every model) of
10,000 models ≤ 10 s and of 50,000 ≤ 45 s; an interactive table at 10,000 rows < 1.5 s; a
filter keystroke < 100 ms at 10,000 rows and < 150 ms at 50,000; build time linear in the
number of models.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import shutil
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from leaderboard.core.models import BenchFigure
from leaderboard.devtools.browsers import CHROMIUM_ARGS, find_chromium
from leaderboard.devtools.synthetic import make_repo
from leaderboard.site.hooks import build
from leaderboard_bench import print_figures

AREA = "site"
#: Full-build goals in seconds, by number of models (issue 14: real-size results).
_BUILD_GOALS = {10_000: 10.0, 50_000: 45.0}

#: Types one character at a time and times each keystroke until the table has been redrawn and
#: the browser has had a frame to paint it.
_TYPE_JS = """async (text) => {
  const box = document.getElementById('lb-search');
  const times = [];
  for (const ch of text) {
    const t0 = performance.now();
    box.value += ch;
    box.dispatchEvent(new Event('input', {bubbles: true}));
    await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
    times.push(performance.now() - t0);
  }
  return times;
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def _server(site: Path) -> Iterator[tuple[http.server.ThreadingHTTPServer, str]]:
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _browser_figures(browser: Any, url: str, n: int) -> list[BenchFigure]:
    ready, keys, keys_se, model = [], [], [], []
    for _ in range(3):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector("#lb-table[data-ready]", timeout=60_000)
        ready.append(page.evaluate("performance.getEntriesByName('lb-table-ready')[0].startTime"))
        keys += page.evaluate(_TYPE_JS, "org12")
        # The same with every score's ± shown (issue 16): wider cells, two numbers each.
        page.goto(url + "?se=1")
        page.wait_for_selector("#lb-table[data-ready]", timeout=60_000)
        keys_se += page.evaluate(_TYPE_JS, "org12")
        page.goto(url)
        page.wait_for_selector("#lb-table[data-ready]", timeout=60_000)
        first = page.evaluate(
            "() => { const a = document.querySelector('.lb-model-link'); return a && a.href; }"
        )
        if first:
            page.goto(first)
            page.wait_for_selector("#lb-model[data-ready]", timeout=60_000)
            model.append(page.evaluate("performance.now()"))
        context.close()
    key_goal, key_limit = ("< 100 ms", 100.0) if n <= 10_000 else ("< 150 ms", 150.0)
    med_ready = statistics.median(ready) / 1000
    med_key = statistics.median(keys)
    med_key_se = statistics.median(keys_se)
    figs = [
        BenchFigure(
            area=AREA,
            name="navigation → interactive table",
            size=n,
            value=med_ready,
            unit="s",
            goal="< 1.5 s" if n == 10_000 else None,
            ok=med_ready < 1.5 if n == 10_000 else None,
        ),
        BenchFigure(
            area=AREA,
            name="keystroke → filtered table (median)",
            size=n,
            value=med_key,
            unit="ms",
            goal=key_goal if n >= 10_000 else None,
            ok=med_key < key_limit if n >= 10_000 else None,
        ),
        BenchFigure(
            area=AREA,
            name="keystroke → filtered table, ± shown (median)",
            size=n,
            value=med_key_se,
            unit="ms",
            goal=key_goal if n >= 10_000 else None,
            ok=med_key_se < key_limit if n >= 10_000 else None,
        ),
        BenchFigure(
            area=AREA,
            name="keystroke → filtered table (worst of 15)",
            size=n,
            value=max(keys),
            unit="ms",
        ),
    ]
    if model:
        figs.append(
            BenchFigure(
                area=AREA,
                name="navigation → model page rendered",
                size=n,
                value=statistics.median(model) / 1000,
                unit="s",
            )
        )
    return figs


def _measure(n: int, work: Path, browser: Any | None) -> list[BenchFigure]:
    root = work / f"repo-{n}"
    make_repo(root, n, suite="leaderboard", features=True, real_size=True)
    site = work / f"site-{n}"
    site.mkdir()
    figs: list[BenchFigure] = []
    with _server(site) as (_, url):
        t0 = time.perf_counter()
        build(root, site, site_url=url)
        seconds = time.perf_counter() - t0
        figs.append(
            BenchFigure(
                area=AREA,
                name="full build (data + site + model view)",
                size=n,
                value=seconds,
                unit="s",
                goal=f"≤ {_BUILD_GOALS[n]:g} s" if n in _BUILD_GOALS else None,
                ok=seconds <= _BUILD_GOALS[n] if n in _BUILD_GOALS else None,
            )
        )
        table = (site / "data" / "table.json").read_bytes()
        figs.append(
            BenchFigure(
                area=AREA,
                name="table.json (what the table loads)",
                size=n,
                value=len(table) / 1e6,
                unit="MB",
            )
        )
        figs.append(
            BenchFigure(
                area=AREA,
                name="table.json gzipped",
                size=n,
                value=len(gzip.compress(table, 6)) / 1e6,
                unit="MB",
            )
        )
        downloads = sum(
            (site / "data" / f).stat().st_size
            for f in ("contents.json", "contents.csv", "contents.parquet")
        )
        figs.append(
            BenchFigure(
                area=AREA,
                name="downloads (JSON + CSV + Parquet)",
                size=n,
                value=downloads / 1e6,
                unit="MB",
            )
        )
        site_bytes = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
        figs.append(
            BenchFigure(area=AREA, name="whole site", size=n, value=site_bytes / 1e6, unit="MB")
        )
        if browser is not None:
            figs += _browser_figures(browser, url, n)
    shutil.rmtree(root, ignore_errors=True)
    shutil.rmtree(site, ignore_errors=True)
    return figs


def _linearity(figs: list[BenchFigure]) -> BenchFigure | None:
    """Seconds per 1,000 models between the two largest sizes over the same between the two
    smallest: about 1 when the build is linear (fixed costs make it fall below 1)."""
    builds = sorted((f.size or 0, f.value) for f in figs if f.name.startswith("full build"))
    if len(builds) < 3:
        return None
    (n0, t0), (n1, t1), (n2, t2) = builds[0], builds[1], builds[-1]
    ratio = ((t2 - t1) / (n2 - n1)) / ((t1 - t0) / (n1 - n0))
    return BenchFigure(
        area=AREA,
        name="build marginal cost, large / small sizes",
        size=n2,
        value=ratio,
        unit="×",
        goal="≈ 1 (linear), < 1.5",
        ok=ratio < 1.5,
    )


def run(quick: bool = False, sizes: list[int] | None = None) -> list[BenchFigure]:
    sizes = sizes or ([200, 1_000] if quick else [1_000, 10_000, 50_000])
    figs: list[BenchFigure] = []
    chromium = find_chromium()
    with tempfile.TemporaryDirectory(prefix="lb-bench-site-") as tmp:
        if chromium is None:
            for n in sizes:
                figs += _measure(n, Path(tmp), None)
        else:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                try:
                    for n in sizes:
                        figs += _measure(n, Path(tmp), browser)
                finally:
                    browser.close()
    lin = _linearity(figs)
    return [*figs, lin] if lin else figs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 and 1,000 models only")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--size", type=int, action="append", help="measure only these sizes (repeatable)"
    )
    args = parser.parse_args(argv)
    figs = run(quick=args.quick, sizes=args.size)
    print_figures(figs, as_json=args.json, width=45)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
