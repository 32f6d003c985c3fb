"""classify() from paths alone, and merge/MoE facts from model cards."""

from __future__ import annotations

import pytest

from leaderboard.checks.classify import classify
from leaderboard.core.models import Change, ChangeKind, HubFacts, Request
from leaderboard.hub.cards import merge_facts, undeclared_merge
from tests.lbtest import iso_days_ago

A, M, D, R = ChangeKind.added, ChangeKind.modified, ChangeKind.deleted, ChangeKind.renamed
REQ = "requests/org/m/" + "a" * 40 + "_bfloat16_nochat.yaml"


def ch(kind: ChangeKind, path: str, old: str | None = None) -> Change:
    return Change(kind=kind, path=path, old_path=old)


@pytest.mark.parametrize(
    ("changes", "kind"),
    [
        ([ch(A, REQ)], "submission"),
        ([ch(A, REQ), ch(A, REQ.replace("org/m", "org/n"))], "submission"),
        ([ch(M, "curation/flags.yaml")], "flag"),
        ([ch(M, "curation/maintainers-choice.yaml")], "maintainer's choice"),
        ([ch(M, "curation/do-not-submit.yaml")], "do-not-submit"),
        ([ch(M, "curation/settings.yaml"), ch(M, ".github/CODEOWNERS")], "settings"),
        (
            [
                ch(M, "curation/renames.yaml"),
                ch(M, "curation/flags.yaml"),
                ch(R, REQ.replace("org/m", "new/m"), REQ),
            ],
            "rename",
        ),
        ([ch(A, REQ), ch(M, "curation/flags.yaml")], "mixed"),
        ([ch(M, REQ)], "mixed"),  # relaunch or removal: tell them apart with base and head
        ([ch(M, "docs/index.md")], "other"),
    ],
)
def test_classify_from_paths(changes: list[Change], kind: str) -> None:
    assert classify(changes) == kind


@pytest.mark.parametrize(
    ("tags", "text", "expected"),
    [
        (["merge", "mergekit"], "", (True, False, False)),
        (["LazyMergekit"], "", (True, False, False)),
        (["moerge"], "", (True, True, False)),
        (["moe"], "A mixture of experts.", (False, True, False)),
        (
            [],
            "This is a merge of pre-trained language models created using mergekit.",
            (True, False, True),
        ),
        ([], "## Merge Method\nSLERP", (True, False, True)),
        ([], "Our merged model beats the base.", (True, False, True)),
        ([], "We merged the LoRA weights into the base and fine-tuned it.", (False, False, False)),
        ([], "Please open merge requests on GitLab.", (False, False, False)),
        (None, None, (False, False, False)),
    ],
)
def test_merge_facts(
    tags: list[str] | None, text: str | None, expected: tuple[bool, bool, bool]
) -> None:
    assert tuple(merge_facts(tags, text)) == expected


def test_undeclared_merge_needs_card_text_and_a_non_merge_type() -> None:
    facts = HubFacts(model="org/m", sha="a" * 40, card_says_merge=True)
    base = dict(
        model="org/m",
        revision="a" * 40,
        precision="bfloat16",
        submitter="x",
        submitted_at=iso_days_ago(1),
    )
    assert undeclared_merge(facts, Request(model_type="fine-tuned", **base))
    assert not undeclared_merge(facts, Request(model_type="merge", **base))
    assert not undeclared_merge(
        facts.model_copy(update={"card_says_merge": False}), Request(model_type="chat", **base)
    )


def test_hub_facts_record_merges_and_moe_from_the_card(devhub) -> None:
    """hub.model_facts (real client, devhub server) fills merged/moe/card_says_merge."""
    from leaderboard.hub import facts as hub_facts

    card = b"---\nlicense: mit\ntags: [moe]\n---\nThis is a merge of pre-trained language models.\n"
    sha = devhub.publish("org/merged", {"README.md": card, "config.json": b"{}"})
    facts = hub_facts.model_facts("org/merged", sha)
    assert (facts.merged, facts.moe, facts.card_says_merge) == (True, True, True)
    plain = devhub.publish("org/plain", {"README.md": b"---\nlicense: mit\n---\nA model.\n"})
    facts = hub_facts.model_facts("org/plain", plain)
    assert (facts.merged, facts.moe, facts.card_says_merge) == (False, False, False)
