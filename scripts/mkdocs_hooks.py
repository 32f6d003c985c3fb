"""MkDocs hooks: a thin adapter; the site's generation is plain Python in ``leaderboard.site``."""

from leaderboard.site.hooks import Hooks

_hooks = Hooks()
on_config = _hooks.on_config
on_files = _hooks.on_files
on_page_markdown = _hooks.on_page_markdown
on_page_content = _hooks.on_page_content
