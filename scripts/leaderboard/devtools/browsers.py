"""Finding a system Chromium for the browser tests and the site benchmark.

Playwright drives whatever Chromium the system has (Debian's ``chromium`` here and in CI, the
preinstalled Google Chrome on GitHub's ubuntu images): ``playwright install`` downloads a
browser, which fails offline and is never needed.
"""

from __future__ import annotations

import shutil

#: Headless, and quiet on the network: without the background-networking flags Chromium
#: reaches out to Google's services at every start.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    """The path of a system Chromium or Chrome, or None."""
    return next((path for name in _NAMES if (path := shutil.which(name))), None)
