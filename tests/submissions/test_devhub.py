"""The devhub through the real huggingface_hub client and transformers, over real HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest
from huggingface_hub import HfApi, hf_hub_download
from huggingface_hub.errors import (
    GatedRepoError,
    RemoteEntryNotFoundError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)

from leaderboard.core import errors
from leaderboard.hub import facts as hub_facts


def test_model_info_refs_tree_and_revisions(hub):
    api = HfApi()
    refs = api.list_repo_refs("org/good")
    tag = next(t.target_commit for t in refs.tags if t.name == "v1")
    main = next(b.target_commit for b in refs.branches if b.name == "main")
    assert tag != main and len(main) == 40
    assert api.model_info("org/good").sha == main
    info = api.model_info("org/good", revision="v1")
    assert info.sha == tag
    assert info.card_data["license"] == "apache-2.0"
    assert info.config["model_type"] == "llama"
    assert info.safetensors.total > 0
    assert "model.safetensors" in api.list_repo_files("org/good", revision=tag)
    assert hub_facts.resolve_revision("org/good", "v1") == tag


def test_files_download_with_commit_header_and_range(hub):
    path = hf_hub_download("org/good", "notes.txt", revision="v1")
    assert Path(path).read_text() == "first"
    assert Path(hf_hub_download("org/good", "notes.txt")).read_text() == "second"
    # The module-level get_safetensors_metadata is bound to an HfApi built at import, with the
    # endpoint of that moment: build one now. It reads the index, then each shard by Range.
    meta = HfApi().get_safetensors_metadata("org/sharded")
    assert meta.parameter_count == {"F32": 120}


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: HfApi().model_info("org/missing"), RepositoryNotFoundError),
        (lambda: HfApi().model_info("org/good", revision="nope"), RevisionNotFoundError),
        (lambda: hf_hub_download("org/good", "missing.txt"), RemoteEntryNotFoundError),
        (lambda: hf_hub_download("org/gated", "config.json"), GatedRepoError),
        (lambda: HfApi().model_info("org/private"), RepositoryNotFoundError),
    ],
)
def test_errors_are_the_clients_own_exceptions(hub, call, error):
    with pytest.raises(error):
        call()


def test_private_is_visible_with_a_token_and_gated_info_is_public(hub):
    assert HfApi().model_info("org/private", token="hf_any").private is True
    assert HfApi().model_info("org/gated").gated == "manual"


def test_config_and_tokenizer_load_through_transformers(hub):
    sha = hub_facts.resolve_revision("org/good")
    assert hub_facts.config_problem("org/good", sha) is None
    assert hub_facts.tokenizer_problem("org/good", sha) is None
    assert "nonexistent" in hub_facts.config_problem(
        "org/unknown-arch", hub_facts.resolve_revision("org/unknown-arch")
    )
    assert "auto_map" in hub_facts.config_problem(
        "org/automap", hub_facts.resolve_revision("org/automap")
    )
    assert "tokenizer" in hub_facts.tokenizer_problem(
        "org/badtok", hub_facts.resolve_revision("org/badtok")
    )
    # The whole message, on one line, not its first line ending "... from one of:".
    missing = hub_facts.tokenizer_problem("org/notok", hub_facts.resolve_revision("org/notok"))
    assert missing is not None and "\n" not in missing
    assert "(1) a `tokenizers` library serialization file" in missing, missing


def test_model_facts(hub):
    facts = hub_facts.model_facts("org/good", "main")
    assert facts.license == "apache-2.0" and facts.safetensors and facts.has_chat_template
    assert (
        facts.params
        and facts.card_text_chars >= 200
        and facts.architectures == ["LlamaForCausalLM"]
    )
    assert not hub_facts.model_facts("org/nochat", "main").has_chat_template
    assert hub_facts.model_facts("org/huge", "main").params == 200_000_000_000
    with pytest.raises(errors.ModelNotFound):
        hub_facts.model_facts("org/missing", "main")


def test_a_cards_own_license_name_and_base_models_are_not_taken_at_their_word(hub):
    """``license: other`` named ``apache-2.0`` is not the Hub's Apache-2.0; a ``base_model``
    that is no model id (a bidi override, a control character, a link) is never recorded."""
    assert hub_facts.model_facts("org/other-license", "main").license == "other (apache-2.0)"
    facts = hub_facts.model_facts("org/hostile-base", "main")
    assert facts.card_base_model == ["org/good"] and facts.license == "mit"
    with pytest.raises(errors.RevisionNotFound):
        hub_facts.model_facts("org/good", "0" * 40)


def test_an_unreachable_hub_is_its_own_error(hub, monkeypatch):
    import huggingface_hub.constants as constants

    monkeypatch.setattr(constants, "ENDPOINT", "http://127.0.0.1:9")  # nothing listens there
    with pytest.raises(errors.HubUnavailable, match="try again"):
        hub_facts.model_facts("org/good", "main")


def test_publish_from_the_cli(tmp_path, tiny_model_dir):
    from leaderboard.cli.main import main
    from leaderboard.devtools.devhub import repo_dir

    assert (
        main(
            [
                "devhub",
                "publish",
                str(tiny_model_dir),
                "me/tiny",
                "--root",
                str(tmp_path),
                "--tag",
                "v2",
            ]
        )
        == 0
    )
    assert (repo_dir(tmp_path, "me/tiny") / "refs" / "tags" / "v2").exists()
