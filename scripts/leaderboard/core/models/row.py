"""One row of the leaderboard table, as the code builds and reads it.

Each attribute is one published column: ``table/columns.py`` (the column registry) gives its
public name, kind and description under the attribute's name (``key``), and every export, the
feed and the site's front end read the registry, so no display name is spelled twice. The
front end knows the columns by these same names (``data/table.json``'s ``meta.names``).

A dataclass, not a pydantic model: a row is computed here from files that were validated on
the way in, never read from a file someone wrote, so there is nothing left to check, and
pydantic's coercion (an int in a float field becomes ``5.0``) would change the published files.
"""

from __future__ import annotations

from dataclasses import dataclass

#: A cell of the published table.
Cell = str | float | int | bool | None


@dataclass(slots=True, kw_only=True)
class Row:
    """One evaluated model, precision, commit and chat-template setting."""

    #: ``org_model_precision_sha7_chat|nochat``: the row's id, and its page's (``?id=``).
    id: str
    emoji: str
    #: The Hub id after any rename.
    model: str
    average: float | None
    average_se: float | None
    #: The suite's columns, by their names: each benchmark's normalized and raw score and the
    #: standard errors of both (``BBH``, ``BBH Raw``, ``BBH SE``, ``BBH Raw SE``).
    scores: dict[str, float | None]
    type: str
    architecture: str | None
    weight_type: str
    precision: str
    merged: bool
    license: str | None
    #: Parameters in billions.
    params: float | None
    likes: int
    available: bool
    sha: str
    flagged: bool
    moe: bool
    submitted: str | None
    uploaded: str | None
    chat: bool
    highlight: bool
    base_model: str
    #: kg of CO₂.
    co2: float | None
    flag_category: str | None
    flag_discussion: str | None
    aliases: str | None
    size_class: str | None
    submitter: str
    request_file: str
    result_file: str
    attempt: int
    suite: str
    suite_version: str
    lm_eval_version: str
    evaluated_at: str | None
    reproduce: str
    device: str | None
    batch_size: str | None
    details: str | None
    hardware: str
    pool: str | None
    parallelism: str | None
    #: GB.
    peak_memory: float | None
    attestation: str | None
    verify: str | None
    #: The base model's current name, when the model has one: not a column (``base_model``
    #: is the model itself without one), but what generations and adapter sizes follow.
    base: str | None
    # Set by the passes that see every row (``table.rows``, ``table.bands``).
    band: int | None = None
    generation: int | None = None
    rank_in_type: int | None = None
    rank_in_size: int | None = None

    @property
    def full_name(self) -> str:
        """The ``fullname`` column: the model again, for scripts written for Hugging Face's."""
        return self.model

    @property
    def official_providers(self) -> bool:
        """The maintainer's choice under the Hugging Face leaderboard's later name."""
        return self.highlight
