"""Facts about a model at one commit, from the Hugging Face Hub.

Everything goes through the real ``huggingface_hub`` client and ``transformers`` (so
``HF_ENDPOINT`` can point at the project's devhub), and never with ``trust_remote_code=True``:
that would download and run the repository's Python. The Hub being down is not a verdict on a
model, so it is its own error, :class:`HubUnavailable`, distinct from "not found" or "gated".

The endpoint is read from ``huggingface_hub.constants`` at each call (``HfApi()`` is built per
call), so tests may point it at a devhub after the client was imported.
"""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from textwrap import shorten
from typing import Any

from ..core.env import timeout
from ..core.errors import HubError, HubFileRefused, HubUnavailable
from ..core.ids import PICKLE_SUFFIXES, SHA_RE
from ..core.models import HubFacts
from ..core.printable import QUOTE
from ..core.rules import Rule
from . import allowance
from .cards import merge_facts
from .licenses import card_license
from .outage import call, pretrained


def _api():
    from huggingface_hub import HfApi

    return HfApi()  # reads constants.ENDPOINT now, not at import


def resolve_revision(repo_id: str, revision: str = "main") -> str:
    """The full commit sha that ``revision`` (branch, tag or sha) names on the Hub."""
    info = call(
        repo_id, revision, lambda: _api().model_info(repo_id, revision=revision, timeout=timeout())
    )
    if not info.sha or not SHA_RE.fullmatch(info.sha):
        raise HubUnavailable(f"the Hub returned no commit sha for {repo_id}@{revision}; try again")
    return info.sha


def _download_text(repo_id: str, sha: str, filename: str) -> str | None:
    from huggingface_hub import hf_hub_download
    from huggingface_hub.errors import EntryNotFoundError

    try:
        path = call(repo_id, sha, lambda: hf_hub_download(repo_id, filename, revision=sha))
    except EntryNotFoundError:
        return None
    with open(path, encoding="utf-8", errors="replace") as fh:
        return fh.read()


def _card_body(text: str) -> str:
    """The card's text without its YAML front matter."""
    match = re.match(r"^---\s*\n.*?\n---\s*(\n|$)", text, re.S)
    return (text[match.end() :] if match else text).strip()


def _license(card: dict[str, Any]) -> str | None:
    return card_license(card.get("license"), card.get("license_name"), card.get("license_link"))


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


#: Files the checks download, and the most of each they read (and the rule that says so):
#: real cards, configs and indexes are kilobytes, real tokenizers up to a few tens of MiB.
CARD, CONFIG, INDEX, SINGLE = (
    "README.md",
    "config.json",
    "model.safetensors.index.json",
    "model.safetensors",
)
TOKENIZER_FILES = (
    "tokenizer.json",
    "tokenizer_config.json",
    "tokenizer.model",
    "special_tokens_map.json",
    "added_tokens.json",
    "vocab.json",
    "vocab.txt",
    "merges.txt",
    "chat_template.jinja",
    "chat_template.json",
)
FILE_CAPS: dict[str, tuple[int, Rule, str]] = {
    CARD: (2**20, Rule.hub_card, "model card"),
    CONFIG: (2**20, Rule.hub_config, "config"),
    INDEX: (16 * 2**20, Rule.hub_safetensors, "safetensors index"),
    **{name: (64 * 2**20, Rule.hub_tokenizer, "tokenizer file") for name in TOKENIZER_FILES},
}
#: The most shards whose safetensors headers are read (a 560B model in 4bit has about 230).
MAX_SHARDS = 512
#: Shard headers read at once.
HEADER_THREADS = 8


def model_facts(repo_id: str, revision: str) -> HubFacts:
    """What the Hub says about ``repo_id`` at ``revision`` (resolved to its sha).

    Raises ModelNotFound (also for a private model seen without a token: the Hub cannot tell
    the two apart), RevisionNotFound, ModelGated (only when even the model's page is refused)
    or HubUnavailable. A gated or private model whose page is visible gets facts with
    ``gated``/``private`` set and no file-derived facts, because its files cannot be read.

    Every file's size comes with the model's page, so nothing is downloaded before it is known
    to fit: a file over its cap (:data:`FILE_CAPS`) raises :class:`HubFileRefused`, and the
    downloads of the checks count against the pull request's bytes (``hub.allowance``).
    """
    api = _api()
    info = call(
        repo_id,
        revision,
        lambda: api.model_info(repo_id, revision=revision, files_metadata=True, timeout=timeout()),
    )
    sha = info.sha or ""
    if not SHA_RE.fullmatch(sha):
        raise HubUnavailable(f"the Hub returned no commit sha for {repo_id}@{revision}; try again")
    siblings = {s.rfilename: s for s in (info.siblings or [])}
    files = sorted(siblings)
    card = dict(info.card_data.to_dict()) if info.card_data else {}
    tags = [str(t) for t in (info.tags or [])]
    config = info.config or {}
    facts = HubFacts(
        model=info.id or repo_id,
        sha=sha,
        private=bool(info.private),
        gated=info.gated or False,
        license=_license(card),
        likes=info.likes or 0,
        downloads=info.downloads or 0,
        tags=tags,
        architectures=_as_list(config.get("architectures")),
        model_type=config.get("model_type"),
        has_auto_map=bool(config.get("auto_map")),
        safetensors=any(f.endswith(".safetensors") for f in files),
        pickle_files=[f for f in files if f.endswith(PICKLE_SUFFIXES)],
        card_base_model=_as_list(card.get("base_model")),
        merged=merge_facts(tags, None).merged,
        moe=merge_facts(tags, None).moe,
        created_at=info.created_at,
        last_modified=info.last_modified,
        available=not info.disabled,
        files=files,
        has_card="README.md" in files,
        is_adapter="adapter_config.json" in files,
    )
    if facts.gated or facts.private:
        return facts  # its files are not readable; the checks refuse it anyway

    sizes = {name: int(s.size or 0) for name, s in siblings.items()}
    read = {name: sizes[name] for name in FILE_CAPS if name in sizes}
    for name, size in read.items():
        cap, rule, what = FILE_CAPS[name]
        if size > cap:
            raise HubFileRefused(
                f"{facts.model}'s {what} {name} is {size:,} bytes; at most {cap:,} are read",
                rule,
            )
    allowance.charge(
        {
            name: (siblings[name].blob_id or f"{repo_id}@{sha}/{name}", size)
            for name, size in read.items()
        },
        facts.model,
    )
    if SINGLE in files or INDEX in files:
        facts.params_by_dtype = _parameters(api, facts.model, sha, files)
        facts.params = sum(facts.params_by_dtype.values())
    if facts.has_card:
        body = _card_body(_download_text(repo_id, sha, CARD) or "")
        facts.card_text_chars = len(body)
        merge = merge_facts(tags, body)
        facts.merged, facts.card_says_merge = merge.merged, merge.card_says_merge
    facts.chat_template_bytes = _chat_template_bytes(repo_id, sha, sizes)
    facts.has_chat_template = facts.chat_template_bytes > 0
    return facts


def safetensors_parameters(repo_id: str, revision: str) -> dict[str, int] | None:
    """Parameters per stored dtype at ``revision``, from the safetensors headers within the
    bounds of :func:`_parameters`; None when the repository has no ``model.safetensors`` and
    no index. Raises what ``hub.outage.call`` raises, and :class:`HubFileRefused`."""
    api = _api()
    info = call(
        repo_id, revision, lambda: api.model_info(repo_id, revision=revision, timeout=timeout())
    )
    files = sorted(s.rfilename for s in (info.siblings or []))
    if SINGLE not in files and INDEX not in files:
        return None
    return _parameters(api, info.id or repo_id, info.sha or revision, files)


def _parameters(api: Any, repo_id: str, sha: str, files: list[str]) -> dict[str, int]:
    """Parameters per stored dtype, from the safetensors headers (never the weights).

    ``get_safetensors_metadata`` reads every shard an index names, however many, and lets a
    header over its 25 MB limit escape as an error no check expects; here the shards are
    counted first, each must be a file of the repository, and a header that cannot be read is
    the model's ``hub-safetensors`` problem.
    """
    from huggingface_hub.errors import SafetensorsParsingError

    def refused(why: str) -> HubFileRefused:
        return HubFileRefused(f"{repo_id}: {why}", Rule.hub_safetensors)

    if SINGLE in files:
        shards = [SINGLE]
    else:
        try:
            weight_map = json.loads(_download_text(repo_id, sha, INDEX) or "")["weight_map"]
            shards = sorted(set(weight_map.values()))
        except (ValueError, KeyError, TypeError, AttributeError):
            raise refused(f"{INDEX} is not a JSON index with a weight_map") from None
        if not all(isinstance(s, str) for s in shards):
            raise refused(f"{INDEX} names shards that are not file names")
        if len(shards) > MAX_SHARDS:
            raise refused(
                f"{INDEX} names {len(shards):,} shards; at most {MAX_SHARDS} are read. Save "
                "the weights in larger shards (save_pretrained's max_shard_size)"
            )
        absent = [s for s in shards if s not in files]
        if absent:
            raise refused(f"{INDEX} names {absent[0]}, which is not a file of the repository")

    def header(name: str) -> Any:
        return call(
            repo_id,
            sha,
            lambda: api.parse_safetensors_file_metadata(
                repo_id, name, revision=sha, timeout=timeout()
            ),
        )

    try:
        with ThreadPoolExecutor(HEADER_THREADS) as pool:
            headers = list(pool.map(header, shards))
    except SafetensorsParsingError as exc:
        raise refused(f"a safetensors header cannot be read: {shorten(str(exc), QUOTE)}") from None
    counts: dict[str, int] = {}
    for meta in headers:
        for dtype, n in meta.parameter_count.items():
            counts[dtype] = counts.get(dtype, 0) + n
    return counts


def _chat_template_bytes(repo_id: str, sha: str, sizes: dict[str, int]) -> int:
    """How big the chat template is (0: none): lm-eval copies it into every result."""
    for name in ("chat_template.jinja", "chat_template.json"):
        if name in sizes:
            return max(sizes[name], 1)
    if "tokenizer_config.json" not in sizes:
        return 0
    try:
        data = json.loads(_download_text(repo_id, sha, "tokenizer_config.json") or "{}")
    except ValueError:
        return 0
    template = data.get("chat_template") if isinstance(data, dict) else None
    return len(json.dumps(template).encode()) if template else 0


def config_problem(repo_id: str, sha: str) -> str | None:
    """Why the config does not load safely with the installed transformers, or None if it does."""
    import transformers
    from transformers import AutoConfig

    try:
        config = pretrained(AutoConfig, repo_id, sha)
    except (HubError, HubUnavailable):
        raise
    except (ValueError, OSError, KeyError, TypeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"the config does not load with transformers {transformers.__version__}: {first}"
    if getattr(config, "auto_map", None):
        return (
            "config.json has an 'auto_map': the model needs its own Python code, which the "
            "leaderboard never runs (trust_remote_code=False). Use an architecture that "
            "transformers supports natively"
        )
    unknown = [
        a for a in (getattr(config, "architectures", None) or []) if not hasattr(transformers, a)
    ]
    if unknown:
        return (
            f"the architecture {', '.join(unknown)} is not in transformers "
            f"{transformers.__version__}: wait for a stable release that supports it"
        )
    return None


def tokenizer_problem(repo_id: str, sha: str) -> str | None:
    """Why the tokenizer does not load, or None if it does."""
    from transformers import AutoTokenizer

    try:
        pretrained(AutoTokenizer, repo_id, sha)
    except (HubError, HubUnavailable):
        raise
    except Exception as exc:  # tokenizers fail in many ways; each is a verdict on the files
        # The whole message, on one line: its first line alone can end mid-sentence
        # ("... from one of:"), leaving out the list that says what to fix.
        words = " ".join(str(exc).split()) or type(exc).__name__
        return f"the tokenizer does not load: {shorten(words, 600, placeholder=' …')}"
    return None
