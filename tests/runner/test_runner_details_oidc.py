"""Issue 27: the record job pushes per-sample details with Trusted Publishers' short-lived
token when the settings say so, and with the stored HF_DETAILS_TOKEN only as the fallback.

The real ``huggingface_hub`` (2.4.0) does the exchange: it asks GitHub's Actions runtime for an
OIDC id token (``ACTIONS_ID_TOKEN_REQUEST_URL`` with ``?audience=<Hub endpoint>`` and the
request token as a bearer, answered ``{"value": <jwt>}``: ``_oidc._get_github_oidc_token``)
and trades it at the devhub's ``/oauth/token``. The Actions runtime is the stand-in below; the
devhub plays the Hub (``devtools.devhub.writes``).
"""

from __future__ import annotations

import base64
import contextlib
import json
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from leaderboard.core.errors import LeaderboardError
from leaderboard.core.models import DetailsStore
from leaderboard.devtools.devhub.writes import writes
from leaderboard.queue.details import store_details
from tests.lbtest import serving

REQUEST_TOKEN = "actions-runtime-request-token"


def _jwt(claims: dict) -> str:
    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return f"{part({'alg': 'none'})}.{part(claims)}.stand-in"


@contextlib.contextmanager
def actions_oidc(claims: dict) -> Iterator[str]:
    """STAND-IN for GitHub Actions' OIDC token endpoint (only jobs with id-token: write get
    its address and request token)."""
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            if self.headers.get("Authorization") != f"Bearer {REQUEST_TOKEN}":
                self.send_response(401)
                self.end_headers()
                return
            audience = parse_qs(urlsplit(self.path).query).get("audience", [""])[0]
            seen.append(audience)
            body = json.dumps({"value": _jwt({**claims, "aud": audience})}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    with serving(Handler) as url:
        yield f"{url}/token"


CLAIMS = {
    "repository": "owner/leaderboard",
    "workflow_ref": "owner/leaderboard/.github/workflows/evaluate.yml@refs/heads/main",
}


@pytest.fixture
def details(devhub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import huggingface_hub.utils._auth as auth

    devhub.publish("org/details", {"README.md": b"# details\n"}, repo_type="dataset")
    monkeypatch.setattr(auth, "_OIDC_TOKEN_CACHE", None)
    sample = tmp_path / "samples_demo_arithmetic.jsonl"
    sample.write_text('{"doc_id": 0}\n')
    return devhub, [sample]


def _in_actions(monkeypatch, url: str, stored: str | None) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("ACTIONS_ID_TOKEN_REQUEST_URL", url)
    monkeypatch.setenv("ACTIONS_ID_TOKEN_REQUEST_TOKEN", REQUEST_TOKEN)
    if stored:
        monkeypatch.setenv("HF_TOKEN", stored)
    else:
        monkeypatch.delenv("HF_TOKEN", raising=False)


STORE = DetailsStore(kind="hub", repo="org/details", trusted_publisher=True)


def test_a_trusted_publisher_pushes_with_an_exchanged_token(details, tmp_path, monkeypatch):
    devhub, samples = details
    devhub.set_meta(
        "org/details",
        repo_type="dataset",
        trusted_publishers=[{"repository": "owner/leaderboard", "workflow": "evaluate.yml"}],
    )
    with actions_oidc(CLAIMS) as url:
        _in_actions(monkeypatch, url, stored="hf_stored_details_token")
        where = store_details(samples, STORE, tmp_path, "acme/tiny/run-1")
    assert where.endswith("/datasets/org/details/tree/main/acme/tiny/run-1")
    [write] = writes(devhub.root)
    assert write["writer"] == "oidc" and write["repo"] == "org/details"
    import os

    assert "HF_OIDC_RESOURCE" not in os.environ  # set only for the push


def test_without_a_registration_the_stored_token_is_the_fallback(
    details, tmp_path, monkeypatch, capsys
):
    devhub, samples = details  # no trusted_publishers: the Hub refuses the exchange
    with actions_oidc(CLAIMS) as url:
        _in_actions(monkeypatch, url, stored="hf_stored_details_token")
        store_details(samples, STORE, tmp_path, "acme/tiny/run-1")
    [write] = writes(devhub.root)
    assert write["writer"] == "token"
    assert "pushing the details with the stored HF_DETAILS_TOKEN" in capsys.readouterr().err
    with actions_oidc(CLAIMS) as url:
        _in_actions(monkeypatch, url, stored=None)
        with pytest.raises(LeaderboardError, match="trusted publisher of the dataset"):
            store_details(samples, STORE, tmp_path, "acme/tiny/run-2")


def test_not_configured_uses_the_stored_token_and_an_exchanged_token_writes_one_repo(
    details, tmp_path, monkeypatch
):
    devhub, samples = details
    with actions_oidc(CLAIMS) as url:
        _in_actions(monkeypatch, url, stored="hf_stored_details_token")
        store_details(samples, STORE.model_copy(update={"trusted_publisher": False}), tmp_path, "k")
    assert [w["writer"] for w in writes(devhub.root)] == ["token"]
    # The Hub scopes an exchanged token to its resource: it cannot write another repository.
    devhub.publish("org/other", {"README.md": b"x\n"}, repo_type="dataset")
    devhub.set_meta(
        "org/details",
        repo_type="dataset",
        trusted_publishers=[{"repository": "owner/leaderboard", "workflow": "evaluate.yml"}],
    )
    import requests

    with actions_oidc(CLAIMS) as url:
        jwt = requests.get(
            url,
            params={"audience": devhub.url},
            headers={"Authorization": f"Bearer {REQUEST_TOKEN}"},
            timeout=5,
        ).json()["value"]
    exchange = {
        "grant_type": "urn:ietf:params:oauth:grant-type:token-exchange",
        "subject_token_type": "urn:ietf:params:oauth:token-type:id_token",
        "subject_token": jwt,
        "resource": "datasets/org/details",
    }
    token = requests.post(f"{devhub.url}/oauth/token", json=exchange, timeout=5).json()[
        "access_token"
    ]
    from huggingface_hub import CommitOperationAdd, HfApi
    from huggingface_hub.errors import HfHubHTTPError

    with pytest.raises(HfHubHTTPError, match="403"):
        HfApi(token=token).create_commit(
            repo_id="org/other",
            repo_type="dataset",
            operations=[CommitOperationAdd("x", b"x")],
            commit_message="m",
        )
    other = {
        **exchange,
        "subject_token": _jwt(
            {**CLAIMS, "workflow_ref": "owner/leaderboard/.github/workflows/ci.yml@refs/heads/main"}
        ),
    }
    assert requests.post(f"{devhub.url}/oauth/token", json=other, timeout=5).status_code == 403
