"""Every rule id a problem can carry, in one enum.

A rule id is a published interface: it is printed as ``[rule]``, used as an annotation title,
and read by the sticky comment and by scripts from ``validate --json``. Keeping them here means
a new rule is added in one place and a typo is an error, not a silently new rule.
"""

from __future__ import annotations

from enum import StrEnum


class Rule(StrEnum):
    # Who may change what (checks.submission_rules, checks.curation_rules)
    needs_maintainer = "needs-maintainer"
    submitter = "submitter"
    submitted_at = "submitted-at"
    # The file itself (store.yaml_strict, store.request_file, store.changes)
    schema = "schema"
    yaml = "yaml"
    size = "size"
    encoding = "encoding"
    path = "path"
    # Against what exists (checks.submission_rules)
    duplicate = "duplicate"
    rate_limit = "rate-limit"
    do_not_submit = "do-not-submit"
    #: More new requests in one pull request than the settings allow, or more files and bytes
    #: than the validator reads.
    pr_size = "pr-size"
    #: A model id that differs only in case from one the leaderboard holds.
    model_case = "model-case"
    #: The pull request does not merge cleanly into its base.
    merge_conflict = "merge-conflict"
    # The model on the Hub (checks.hub_rules, core.errors)
    hub = "hub"
    hub_not_found = "hub-not-found"
    hub_revision = "hub-revision"
    hub_private = "hub-private"
    hub_gated = "hub-gated"
    hub_config = "hub-config"
    hub_tokenizer = "hub-tokenizer"
    hub_safetensors = "hub-safetensors"
    hub_size = "hub-size"
    #: The request's ``params`` is not what the Hub's safetensors metadata counts.
    hub_params = "hub-params"
    hub_card = "hub-card"
    hub_license = "hub-license"
    hub_chat_template = "hub-chat-template"
    #: A new Adapter or Delta request that does not pin its base model's commit.
    base_revision = "base-revision"
    #: Not a verdict: the Hub could not be reached, so the check must run again.
    hub_unavailable = "hub-unavailable"
    # What the runners can run (checks.runner_rules, core.plan)
    #: No runner pool can hold the model at this precision, or run the precision at all.
    runner_capacity = "runner-capacity"
    # Maintainers' changes (checks.curation_rules, checks.codeowners_rule)
    curation = "curation"
    settings = "settings"
    flag = "flag"
    rename = "rename"
    removal = "removal"
    relaunch = "relaunch"
    request_edit = "request-edit"
    history = "history"
    results = "results"
    codeowners = "codeowners"
    # Suite files (checks.suite_rules, harness.suite_check)
    suite = "suite"
    suite_version = "suite-version"
    # A result that cannot become a row (table.rows)
    provenance = "provenance"


#: Problems that are not verdicts on the pull request: the check must be run again.
RETRY_RULES = frozenset({Rule.hub_unavailable})
