"""The Submit page's form (``templates/submit.html.j2``, ``docs/assets/leaderboard/submit.js``):
a request file written in the browser, exactly as ``leaderboard submit`` writes it, opened as
a new file on GitHub so that GitHub makes the fork and the pull request.

Nothing about the file's format is written twice. The browser gets from here:

- the layout of the file: its keys in the order ``dump_yaml`` writes a ``Request``, each either
  filled by the form or a fixed line copied from that dump (``status: PENDING``,
  ``attempts: 0``…); a new field of ``Request`` that is not the same for every new request fails
  the build here until the form fills it;
- the shapes of a Hub model id, a GitHub login and a commit (``core/ids.py``);
- the choices of each list (``Precision``, ``WeightType``, ``ModelType``);
- the path rule's parts (``core/ids.request_path``), and which Hub to ask for a commit.
"""

from __future__ import annotations

import re
from typing import Any

from ..core import env
from ..core.errors import LeaderboardError
from ..core.ids import GITHUB_LOGIN_RE, MODEL_ID_RE, REQUESTS_DIR, SHA_RE, request_path
from ..core.models import (
    TYPE_EMOJI,
    ModelType,
    Precision,
    Request,
    Settings,
    WeightType,
    utcnow,
)
from ..queue.submission import pull_request_commands, pull_request_title
from ..store.yaml_strict import dump_yaml
from . import templates

#: The request's keys the form fills: from its fields, the clock (``submitted_at``) and the Hub
#: (``revision`` and an adapter's or delta's ``base_revision``, pinned to full commits; ``params``
#: from the safetensors counts the Hub's model info carries, as ``leaderboard submit`` counts
#: them with ``hub/sizes.py``).
FORM_KEYS = (
    "model",
    "revision",
    "precision",
    "weight_type",
    "base_model",
    "base_revision",
    "params",
    "model_type",
    "use_chat_template",
    "submitter",
    "eval_results_pr",
    "submitted_at",
)

#: Where the browser asks for a revision's commit when neither the settings nor the build's
#: environment name another Hub.
DEFAULT_HUB = "https://huggingface.co"


def request_layout() -> list[tuple[str, str | None]]:
    """``(key, line)`` in the order ``leaderboard submit`` writes a request: ``line`` is None
    for a key the form fills, else the exact line every new request has.

    A key that is neither the form's nor at its default in a new request would be copied into
    every file with one request's value: that is a new field the form must learn to fill, so the
    build fails with its name.
    """
    sample = Request(
        model="org/name",
        revision="0" * 40,
        precision=Precision.bfloat16,
        weight_type=WeightType.adapter,
        base_model="org/base",
        base_revision="1" * 40,
        params=1.5,
        model_type=ModelType.fine_tuned,
        use_chat_template=True,
        submitter="login",
        eval_results_pr=True,
        submitted_at=utcnow(),
    )
    layout: list[tuple[str, str | None]] = []
    for line in dump_yaml(sample).splitlines():
        key = line.partition(":")[0]
        if key in FORM_KEYS:
            layout.append((key, None))
            continue
        field = Request.model_fields.get(key)
        if line.startswith((" ", "-")) or field is None:
            raise LeaderboardError(
                f"the Submit page's form cannot write the request line {line!r}: "
                "site/submit_form.py must learn it"
            )
        if getattr(sample, key) != field.get_default(call_default_factory=True):
            raise LeaderboardError(
                f"a new request's {key!r} is not a fixed default: the Submit page's form must "
                "fill it (site/submit_form.py FORM_KEYS, docs/assets/leaderboard/submit.js)"
            )
        layout.append((key, line))
    return layout


def hub_url(settings: Settings) -> str:
    """The Hub the form asks for a revision's commit: the settings' ``hub_url``, else the Hub
    the build was pointed at (``$HF_ENDPOINT``), else huggingface.co."""
    return (settings.hub_url or env.hub_endpoint() or DEFAULT_HUB).rstrip("/")


def form_context(settings: Settings) -> dict[str, Any]:
    """What ``submit.html.j2`` renders: the choices, the shapes, the layout, the addresses."""
    return {
        "precisions": [p.value for p in Precision],
        "default_precision": Precision.bfloat16.value,
        "weight_types": [w.value for w in WeightType],
        "model_types": [(TYPE_EMOJI[t], t.value) for t in ModelType],
        # Offered only where this leaderboard opens such pull requests (settings).
        "eval_results_pr": settings.eval_results_pr,
        "config": {
            "layout": request_layout(),
            "patterns": {
                "model": MODEL_ID_RE.pattern,
                "login": GITHUB_LOGIN_RE.pattern,
                "sha": SHA_RE.pattern,
            },
            "requests_dir": REQUESTS_DIR,
            "hub": hub_url(settings),
            "repo": templates.http_url(settings.repo_url),
            "branch": "main",
        },
    }


#: The Submit page's example: a made-up model at a made-up commit.
EXAMPLE_MODEL = "my-org/my-model-7b"
EXAMPLE_SHA = "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567"


_GITHUB_REPO = re.compile(r"https://github\.com/([A-Za-z0-9-]+)/([A-Za-z0-9._-]+?)(?:\.git)?/?")


def github_repo(repo_url: str | None) -> str | None:
    """``OWNER/REPO`` of a github.com repository address, else None."""
    m = _GITHUB_REPO.fullmatch(repo_url or "")
    return f"{m.group(1)}/{m.group(2)}" if m else None


def cli_example(settings: Settings) -> dict[str, Any]:
    """What the command line path looks like for this leaderboard: the clone, the file
    ``leaderboard submit`` writes for an example model, and the pull request it prepares."""
    request = Request(
        model=EXAMPLE_MODEL,
        revision=EXAMPLE_SHA,
        precision=Precision.bfloat16,
        model_type=ModelType.fine_tuned,
        submitter="your-login",
        submitted_at=utcnow(),
    )
    rel = request_path(request.identity)
    return {
        "model": request.model,
        "repo": github_repo(settings.repo_url),
        "repo_url": templates.http_url(settings.repo_url),
        "path": rel,
        "yaml": dump_yaml(request),
        "commands": pull_request_commands(request, rel),
        "title": pull_request_title(request),
    }


def submit_html(settings: Settings) -> str:
    """The form's HTML; the template escapes every value."""
    return templates.render("submit.html.j2", **form_context(settings))
