"""The MkDocs hooks and ``leaderboard build``: where the site meets mkdocs."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.parse
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from ..core import env
from ..core.errors import LeaderboardError
from ..store import git
from ..store.repo import Repo
from ..table.feed import FEED_PATH
from .data import SiteData

#: The page of benchmark figures, in the menu only when there are figures to show.
PERFORMANCE_PAGE = "performance.md"

# --------------------------------------------------------------------------------------------
# The MkDocs adapter
# --------------------------------------------------------------------------------------------


class Hooks:
    """MkDocs event handlers over ``SiteData``; ``scripts/mkdocs_hooks.py`` exposes them."""

    def __init__(self) -> None:
        self.data: SiteData | None = None

    def on_config(self, config: Any) -> Any:
        root = Path(env.site_repo() or Path(config.config_file_path).parent)
        self.data = SiteData.load(Repo(root))
        settings = self.data.settings
        config.site_name = settings.title
        if self.data.site_url:
            config.site_url = self.data.site_url
        # Not config.repo_url: Material's header widget would then call api.github.com from
        # every reader's browser. Pages link to the repository themselves.
        if not self.data.bench:
            # The tab is for a deployment's own figures; without them the page shows the
            # project's reference figures, reachable by its address but not from the menu.
            config.nav = [
                item for item in config.nav or [] if list(item.values()) != [PERFORMANCE_PAGE]
            ]
        return config

    def on_files(self, files: Any, config: Any) -> Any:
        from mkdocs.structure.files import File, InclusionLevel

        assert self.data is not None
        if not self.data.bench:
            page = files.get_file_from_path(PERFORMANCE_PAGE)
            if page is not None:
                page.inclusion = InclusionLevel.NOT_IN_NAV
        generated = self.data.generated_files()
        generated[FEED_SITEMAP] = feed_sitemap(config.site_url)
        for path, content in generated.items():
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
        marker = '<div id="lb-submit"></div>'
        if marker in html_text:
            html_text = html_text.replace(marker, self.data.submit_html())
        return html_text


#: Material's language selector fetches ``sitemap.xml`` beside every ``<link rel="alternate">``
#: of a page: beside the feed's (``overrides/main.html``), that is this file. It answers (a 404
#: would be an error in every reader's console) with a sitemap of the one thing there, the feed.
FEED_SITEMAP = "data/sitemap.xml"


def feed_sitemap(site_url: str | None) -> bytes:
    """A sitemap (sitemaps.org) listing the feed; empty without the site's address."""
    url = ""
    if site_url:
        loc = escape(urllib.parse.urljoin(site_url.rstrip("/") + "/", FEED_PATH))
        url = f"<url><loc>{loc}</loc></url>"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{url}</urlset>\n'
    ).encode()


#: The project's own checkout (an editable install), whose mkdocs.yml and docs/ build any data.
PROJECT_ROOT = Path(__file__).resolve().parents[3]


def build(
    root: Path,
    site_dir: Path,
    config_file: Path | None = None,
    site_url: str | None = None,
    *,
    strict: bool = False,
) -> Path:
    """Build the site of the repository at ``root`` into ``site_dir`` with ``mkdocs build
    --strict``. The configuration is ``root/mkdocs.yml``, or the project's own when the data
    repository has none (the demo, the tests). ``site_url`` overrides the settings' address
    (needed for instant navigation on a preview server). Returns ``site_dir``.

    A corrupt data file is left out and named in a warning; with ``strict`` (CI's validation)
    the build then fails. Symbolic links under ``docs/`` that leave the repository are refused:
    the site and its search index would publish whatever they point at.
    """
    root, site_dir = Path(root).resolve(), Path(site_dir).resolve()
    if config_file is None:
        config_file = root / "mkdocs.yml"
        if not config_file.exists():
            config_file = PROJECT_ROOT / "mkdocs.yml"
    refuse_outside_links(Path(config_file).resolve().parent)
    for line in hidden_sources(Path(config_file).resolve().parent):
        print(f"leaderboard build: {line}", file=sys.stderr)
    child_env = {**os.environ, env.REPO_ENV: str(root), "NO_MKDOCS_2_WARNING": "1"}
    if site_url:
        child_env[env.SITE_URL_ENV] = site_url
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",  # never with --quiet: it drops the warnings that --strict counts
            "-f",
            str(config_file),
            "-d",
            str(site_dir),
        ],
        env=child_env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip()[-4000:]
        raise LeaderboardError(f"mkdocs build --strict failed:\n{tail}")
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("warning: ")]
    for line in warnings:  # files left out (a corrupt request, result or curation file)
        print(line, file=sys.stderr)
    if strict and warnings:
        raise LeaderboardError(
            f"--strict: {len(warnings)} corrupt file(s) were skipped (named above); the site "
            "without --strict publishes the rest"
        )
    return site_dir


#: What a clone needs to build the site: the configuration, the pages, the theme's overrides,
#: the package and its hook.
SITE_SOURCES = ("mkdocs.yml", "pyproject.toml", "docs", "overrides", "scripts")
#: Folders of build output and caches, which any ignore file may rightly hide.
_NOT_SOURCES = {"__pycache__", "node_modules", ".pytest_cache", ".ruff_cache"}


def hidden_sources(project: Path) -> list[str]:
    """One message per ignore rule that hides files the site is built from.

    A ``.gitignore`` line ``site/`` (meant for the build output) also matches the package
    ``scripts/leaderboard/site/``: this checkout builds, but a clone lacks the package and
    fails with ``ModuleNotFoundError``. Nothing to say outside a git repository.
    """
    files = []
    for name in SITE_SOURCES:
        top = project / name
        if top.is_file():
            files.append(name)
        for folder, dirs, names in os.walk(top):
            dirs[:] = [d for d in dirs if d not in _NOT_SOURCES and not d.endswith(".egg-info")]
            rel = Path(folder).relative_to(project).as_posix()
            files += [f"{rel}/{n}" for n in names if not n.endswith(".pyc")]
    by_rule: dict[str, list[str]] = {}
    for path, rule in git.ignored(project, files).items():
        by_rule.setdefault(rule, []).append(path)
    out = []
    for rule, paths in sorted(by_rule.items()):
        pattern = rule.split(": ", 1)[1]
        anchored = "/" + pattern if "/" not in pattern.rstrip("/") else None
        shown = ", ".join(sorted(paths)[:3]) + (
            f" and {len(paths) - 3} more" if len(paths) > 3 else ""
        )
        out.append(
            f"{rule} ignores {len(paths)} file(s) the site is built from ({shown}): a clone of "
            "this repository lacks them and cannot build its site. "
            + (f"Anchor the pattern to the top folder ({anchored})" if anchored else "Narrow it")
            + " so that it matches the build output only"
        )
    return out


def refuse_outside_links(project: Path, docs: str = "docs") -> None:
    """Refuse the build when a symbolic link under ``docs/`` resolves outside ``project``."""
    bad = []
    for folder, dirs, files in os.walk(project / docs):
        for name in [*dirs, *files]:
            path = Path(folder) / name
            if path.is_symlink() and not path.resolve().is_relative_to(project):
                bad.append(f"{path.relative_to(project).as_posix()} -> {os.readlink(path)}")
    if bad:
        raise LeaderboardError(
            "symbolic links under docs/ point outside the repository, and the site would publish "
            "their targets: " + "; ".join(sorted(bad)) + ". Remove them or copy the file in"
        )
