"""The licenses a model card may declare: the Hub's license ids, or ``other`` with a name.

The card is written by the submitter, and its license lands in the published table and its
CSV download, so it is checked against this list rather than copied: a value such as
``=HYPERLINK(...)`` is no license. The ids are the Hub's own ("License identifier (to use in
repo card)", https://huggingface.co/docs/hub/repositories-licenses).
"""

from __future__ import annotations

import re

HUB_LICENSE_IDS = frozenset(
    {
        "apache-2.0", "mit", "openrail", "bigscience-openrail-m", "creativeml-openrail-m",
        "bigscience-bloom-rail-1.0", "bigcode-openrail-m", "afl-3.0", "artistic-2.0",
        "bsl-1.0", "bsd", "bsd-2-clause", "bsd-3-clause", "bsd-3-clause-clear", "c-uda", "cc",
        "cc0-1.0", "cc-by-2.0", "cc-by-2.5", "cc-by-3.0", "cc-by-4.0", "cc-by-sa-3.0",
        "cc-by-sa-4.0", "cc-by-nc-2.0", "cc-by-nc-3.0", "cc-by-nc-4.0", "cc-by-nd-4.0",
        "cc-by-nc-nd-3.0", "cc-by-nc-nd-4.0", "cc-by-nc-sa-2.0", "cc-by-nc-sa-3.0",
        "cc-by-nc-sa-4.0", "cdla-sharing-1.0", "cdla-permissive-1.0", "cdla-permissive-2.0",
        "wtfpl", "ecl-2.0", "epl-1.0", "epl-2.0", "etalab-2.0", "eupl-1.1", "eupl-1.2",
        "agpl-3.0", "gfdl", "gpl", "gpl-2.0", "gpl-3.0", "lgpl", "lgpl-2.1", "lgpl-3.0", "isc",
        "h-research", "intel-research", "lppl-1.3c", "ms-pl", "apple-ascl", "apple-amlr",
        "mpl-2.0", "odc-by", "odbl", "openmdw-1.0", "openrail++", "osl-3.0", "postgresql",
        "ofl-1.1", "ncsa", "unlicense", "zlib", "pddl", "lgpl-lr", "deepfloyd-if-license",
        "fair-noncommercial-research-license", "llama2", "llama3", "llama3.1", "llama3.2",
        "llama3.3", "llama4", "gemma", "unknown",
    }
)  # fmt: skip
#: ``license_name`` of a ``license: other`` card: a short kebab-case name, as the Hub suggests.
LICENSE_NAME_RE = re.compile(r"[a-z0-9][a-z0-9._+-]{0,63}")


def card_license(license: object, name: object, link: object) -> str | None:
    """What the table shows as the card's license, or None when it declares none we accept:
    a Hub license id, or ``other (<license_name>)`` (which needs a ``license_link``).

    A ``license_name`` is the card author's word, not the Hub's: ``license: other`` with
    ``license_name: apache-2.0`` is shown as ``other (apache-2.0)``, never as Apache-2.0.
    """
    if isinstance(license, list):
        license = license[0] if license else None
    if license in (None, "", "other"):
        if isinstance(name, str) and LICENSE_NAME_RE.fullmatch(name) and link:
            return f"other ({name})"
        return None
    if isinstance(license, str) and license in HUB_LICENSE_IDS:
        return license
    return None
