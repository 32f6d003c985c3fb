"""``leaderboard hub-pr --claimed JSON``: after recording, open a pull request with the
Community Evals files of each model whose request asked for it (``eval_results_pr: true``),
where the settings allow it (``eval_results_pr: true``). A Hub refusal is reported, never
fatal to the results already recorded."""

from __future__ import annotations

import argparse

from ..options import checkout, claimed_paths


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "hub-pr",
        parents=[checkout()],
        help="open Community Evals pull requests on the Hub for the models just evaluated",
    )
    p.add_argument(
        "--claimed", required=True, metavar="JSON", help="the claimed requests (paths, or plans)"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ...core.errors import LeaderboardError
    from ...core.models import Row, Status
    from ...hub.pull_requests import open_pr
    from ...store.repo import Repo
    from ...table import eval_results
    from ...table.rows import load_suite_and_scorer, rows

    repo = Repo(args.root)
    settings = repo.settings()
    if not settings.eval_results_pr:
        print("Community Evals pull requests are off (`eval_results_pr` in the settings)")
        return 0
    wanted = set()
    for rel in claimed_paths(args.claimed):
        try:
            request = repo.read_request(rel)
        except (OSError, LeaderboardError) as exc:
            print(f"{rel}: skipped: {exc}")
            continue
        if request.status is Status.finished and request.eval_results_pr:
            wanted.add(request.model.lower())
    if not wanted:
        print("no evaluated request asked for a Community Evals pull request")
        return 0
    suite, scorer = load_suite_and_scorer(settings, repo.root)
    failed = 0
    by_model: dict[str, list[Row]] = {}
    for row in rows(repo, suite, scorer, settings=settings):
        if row.model.lower() in wanted:
            by_model.setdefault(row.model, []).append(row)
    for model, items in sorted(by_model.items()):
        files = eval_results.model_files(items, settings, suite)
        if not files:
            print(
                f"{model}: no column of suite {suite.name} names a Hub benchmark: nothing to share"
            )
            continue
        try:
            url = open_pr(
                model,
                files,
                title=f"Add evaluation results from {settings.title}",
                description=f"Scores of {model} as evaluated by {settings.title}"
                + (f" ({settings.site_url})" if settings.site_url else "")
                + ": each entry's notes say which commit, precision and settings, and its "
                "source links the row.",
            )
            print(f"{model}: pull request {url}")
        except LeaderboardError as exc:
            failed += 1
            print(f"{model}: {exc}")
    return 1 if failed else 0
