"""What a deployment must have for the rules to hold, and what of it can be checked.

The rate limit and the duplicate rule judge a pull request against its base. Two pull requests
that each pass against the same base can still break them together once both are merged: only
a check that runs again on the base as it will be when each lands stops the second. GitHub does
that in two ways: the merge queue (validate.yml runs again on ``merge_group``) or "require
branches to be up to date" (strict required status checks). Either must be on, with
``validate`` a required check. :func:`doctor` asks GitHub what it can see (through ``gh``) and
says, for each requirement, ok, missing, or unknown when GitHub would not say.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from ..core.errors import LeaderboardError
from ..store import gh

#: The status check validate.yml's job reports (its ``name``).
REQUIRED_CHECK = "validate"
VALIDATE_WORKFLOW = ".github/workflows/validate.yml"

Status = Literal["ok", "missing", "unknown"]


@dataclass(frozen=True)
class Finding:
    name: str
    status: Status
    detail: str

    def render(self) -> str:
        return f"{self.status:8} {self.name}: {self.detail}"


def doctor(root: Path, repository: str, branch: str) -> list[Finding]:
    """Each requirement of a deployment, as far as the checkout and GitHub show it."""
    out = [_workflow(root)]
    rules: list[dict[str, Any]] | None = None
    protection: dict[str, Any] | None = None
    why_rules = why_protection = ""
    try:
        rules = gh.branch_rules(repository, branch)
    except LeaderboardError as exc:
        why_rules = str(exc)
    try:
        protection = gh.branch_protection(repository, branch)
        protected = True  # None: GitHub said there is none
    except LeaderboardError as exc:
        protected, why_protection = False, str(exc)
    ruleset_checks = [
        r.get("parameters") or {} for r in rules or [] if r.get("type") == "required_status_checks"
    ]
    requiring = [
        p
        for p in ruleset_checks
        if any(c.get("context") == REQUIRED_CHECK for c in p.get("required_status_checks") or [])
    ]
    required = bool(requiring)
    strict = any(p.get("strict_required_status_checks_policy") for p in requiring)
    classic = (protection or {}).get("required_status_checks") or {}
    contexts = list(classic.get("contexts") or []) + [
        c.get("context") for c in classic.get("checks") or [] if isinstance(c, dict)
    ]
    required = required or REQUIRED_CHECK in contexts
    strict = strict or (REQUIRED_CHECK in contexts and bool(classic.get("strict")))
    queue = any(r.get("type") == "merge_queue" for r in rules or [])
    # What GitHub could not show us: a missing answer is "unknown", never "missing".
    blind = " and ".join(
        w
        for w in (
            f"rulesets: {why_rules}" if rules is None else "",
            f"classic protection: {why_protection}" if not protected else "",
        )
        if w
    )
    out.append(
        _finding(
            "required check",
            required,
            blind,
            f"'{REQUIRED_CHECK}' is a required status check of {branch}",
            f"'{REQUIRED_CHECK}' is not a required status check of {branch}: without it a "
            "pull request can be merged whatever the validator says (Settings → Rules → "
            "Rulesets, or Branches → branch protection)",
        )
    )
    if not (queue or strict or blind) and protection is not None:
        # Classic protection can require a merge queue, and its API does not show it.
        blind = "the API does not show a merge queue required by classic branch protection"
    out.append(
        _finding(
            "checked at merge time",
            queue or strict,
            blind,
            "the merge queue" if queue else "branches must be up to date before merging",
            f"neither the merge queue nor 'require branches to be up to date' is on for "
            f"{branch}: two pull requests that each pass the rate limit or the duplicate rule "
            "against the same base can both be merged. Enable the merge queue (validate.yml "
            "runs again on merge_group) or strict status checks",
        )
    )
    return out


def _finding(name: str, ok: bool, blind: str, yes: str, no: str) -> Finding:
    if ok:
        return Finding(name, "ok", yes)
    if blind:
        return Finding(
            name,
            "unknown",
            f"GitHub did not say ({blind}); ask an administrator to check, or run with an "
            "administrator's token",
        )
    return Finding(name, "missing", no)


def _workflow(root: Path) -> Finding:
    """validate.yml runs on ``merge_group``: the merge queue re-checks nothing otherwise."""
    file = root / VALIDATE_WORKFLOW
    try:
        workflow = yaml.safe_load(file.read_text(encoding="utf-8"))
        triggers = workflow.get("on", workflow.get(True)) or {}  # YAML 1.1 reads `on` as True
    except (OSError, yaml.YAMLError, AttributeError):
        return Finding("workflow", "missing", f"{VALIDATE_WORKFLOW} cannot be read in {root}")
    if "merge_group" in triggers and "pull_request_target" in triggers:
        return Finding(
            "workflow", "ok", f"{VALIDATE_WORKFLOW} runs on pull requests and merge_group"
        )
    return Finding(
        "workflow",
        "missing",
        f"{VALIDATE_WORKFLOW} must run on pull_request_target and merge_group",
    )
