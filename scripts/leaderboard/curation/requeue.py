"""``leaderboard requeue --suite-version OLD``: re-run the rows an older suite version scored.

When a suite's scoring changes its version goes up, and the results made before stay what they
were (the site says which version each row comes from). A maintainer then sends those requests
back to the queue in one pull request: each FINISHED request whose latest result was made on
version OLD of the configured suite becomes PENDING, with a ``relaunches`` entry saying why.
The validator accepts that change only for a request whose latest result really is from another
version than the current one (``checks.curation_rules``).
"""

from __future__ import annotations

from datetime import datetime

from ..core.errors import LeaderboardError
from ..core.models import Relaunch, Status, utcnow
from ..core.transitions import apply_relaunch
from ..store.repo import Repo
from ..suites.loader import load_suite
from ..suites.versions import latest_suite_version
from .acts import Prepared, require_maintainer


def requeue_suite_version(
    repo: Repo, version: str, *, by: str, note: str | None = None, now: datetime | None = None
) -> Prepared:
    """Send every FINISHED request scored by ``version`` of the configured suite back to PENDING."""
    require_maintainer(repo, by)
    suite = load_suite(repo.settings().suite, repo.root)
    if version == suite.version:
        raise LeaderboardError(
            f"version {version!r} is the {suite.name} suite's current one: nothing to re-run"
        )
    text = note or f"re-run on version {suite.version} of the {suite.name} suite (was {version})"
    entry = Relaunch(at=now or utcnow(), by=by, note=text)
    changed = []
    for rel in repo.request_files():
        request = repo.read_request(rel)
        if request.status is not Status.finished or request.removed is not None:
            continue
        if latest_suite_version(repo, request, suite.name) != version:
            continue
        repo.write_request(rel, apply_relaunch(request, entry))
        changed.append(rel)
    if not changed:
        raise LeaderboardError(
            f"no FINISHED request has its latest {suite.name} result on version {version!r}"
        )
    return Prepared(
        "requeue",
        f"Requeue {len(changed)} request(s) from {suite.name} v{version} to v{suite.version}",
        changed=changed,
    )
