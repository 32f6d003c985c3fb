"""What a model card says about merges and mixtures of experts.

The Open LLM Leaderboard read this from the card's tags (``merge``, ``moerge``, ``mergekit``,
``lazymergekit``; MoE: ``moe``, ``moerge``) and from the card's text, and flagged a model whose
text says it is a merge while it was not declared as one. ``hub.facts`` calls :func:`merge_facts`
when it records a model's facts at evaluation time; the site calls :func:`undeclared_merge` on
the recorded facts to raise the automatic "undeclared-merge" flag.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..core.models import HubFacts, ModelType, Request

MERGE_TAGS = frozenset({"merge", "moerge", "mergekit", "lazymergekit"})
MOE_TAGS = frozenset({"moe", "moerge"})

#: Phrases of card text that say the model is a merge. mergekit writes "This is a merge of
#: pre-trained language models created using mergekit" and a "Merge Method" section; people
#: write "merged model" or "a merge of". Plain "merge" alone is too common ("merge requests",
#: "merged the LoRA weights") to count.
_MERGE_TEXT = re.compile(
    r"\b(?:"
    r"merged?\s+models?"
    r"|(?:is|was)\s+(?:a|an)\s+(?:\w+\s+){0,2}merge\b"
    r"|a\s+merge\s+of"
    r"|merge\s+method"
    r"|(?:lazy)?mergekit"
    r"|moerge"
    r")",
    re.IGNORECASE,
)


class MergeFacts(NamedTuple):
    merged: bool
    """Tagged as a merge, or its text says it is one (the site's "Merged" column)."""
    moe: bool
    """Tagged as a mixture of experts (the "MoE" column)."""
    card_says_merge: bool
    """The card's text says it is a merge (feeds the automatic "undeclared-merge" flag)."""


def merge_facts(tags: list[str] | None, text: str | None) -> MergeFacts:
    """Decide merged / MoE from a card's tags and its text (the body, front matter or not)."""
    tagset = {t.strip().lower() for t in tags or [] if isinstance(t, str)}
    says_merge = bool(_MERGE_TEXT.search(text or ""))
    return MergeFacts(
        merged=bool(tagset & MERGE_TAGS) or says_merge,
        moe=bool(tagset & MOE_TAGS),
        card_says_merge=says_merge,
    )


def undeclared_merge(facts: HubFacts, request: Request) -> bool:
    """The card says merge, but the submitter did not declare the model type ``merge``."""
    return facts.card_says_merge and request.model_type is not ModelType.merge
