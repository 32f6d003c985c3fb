"""The ``codeowners`` rule: CODEOWNERS must say what ``curation/settings.yaml`` says.

GitHub enforces reviews through CODEOWNERS while the validator trusts ``maintainers``; when the
two disagree, one of them is lying to reviewers, so a pull request may not leave them apart.
"""

from __future__ import annotations

from ..core.codeowners import OWNED_PATHS, codeowners_logins
from ..core.ids import CODEOWNERS_PATH, SETTINGS_FILE
from ..core.models import Problem, problem
from ..core.rules import Rule
from ..store.repo import Repo


def codeowners_problems(repo: Repo) -> list[Problem]:
    """Problems when CODEOWNERS does not give every owned path to exactly the maintainers."""
    want = {m.lower() for m in repo.settings().maintainers}
    file = repo.root / CODEOWNERS_PATH
    fix = "run `leaderboard codeowners` and commit the result"
    if not file.exists():
        return [problem(CODEOWNERS_PATH, Rule.codeowners, f"the file is missing: {fix}")]
    rules = codeowners_logins(file.read_text(encoding="utf-8", errors="replace"))
    problems = []
    for path in OWNED_PATHS:
        have = rules.get(path)
        if have == want:
            continue
        if have is None:
            message = f"no rule for {path}; it must be owned by the maintainers"
        else:
            extra = sorted(have - want)
            missing = sorted(want - have)
            parts = []
            if missing:
                parts.append("missing " + ", ".join(f"@{m}" for m in missing))
            if extra:
                parts.append("not maintainers in settings: " + ", ".join(f"@{m}" for m in extra))
            message = (
                f"owners of {path} differ from {SETTINGS_FILE} maintainers ({'; '.join(parts)})"
            )
        problems.append(problem(CODEOWNERS_PATH, Rule.codeowners, f"{message}: {fix}", field=path))
    return problems
