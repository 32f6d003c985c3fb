"""A model's chat template is a stranger's code that lm-eval renders once per document: one
that never finishes, or raises, fails the run at once as the model's fault (never retried as
ours), with a reason in our words that quotes the template only as escaped data."""

from __future__ import annotations

import json
import time

import pytest

from leaderboard.hub import chat_template
from tests.lbtest import make_request
from tests.runner.runnertest import leaderboard


@pytest.mark.slow
def test_a_template_that_never_finishes_or_raises_fails_as_the_models_fault(
    hub_models, hub_env, make_queue
):
    slow = make_request(
        "acme/slowchat", hub_models.shas["acme/slowchat"], age_minutes=2, use_chat_template=True
    )
    raising = make_request(
        "acme/raisechat", hub_models.shas["acme/raisechat"], age_minutes=1, use_chat_template=True
    )
    queue, (slow_rel, raising_rel) = make_queue([slow, raising])
    clone = queue.clone("runner")
    started = time.monotonic()
    proc = leaderboard(
        "evaluate", "--next", "--all", "--push", "--limit", "2", "--runner", "r1", "--json",
        cwd=clone, env=hub_env
    )  # fmt: skip
    took = time.monotonic() - started
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert {o["request"] for o in json.loads(proc.stdout)} == {slow_rel, raising_rel}
    # Two nested loops cost minutes a render: the run ends within the check's deadline.
    assert took < 300, took

    hung = queue.request(slow_rel)
    assert (hung.status.value, hung.failure_category.value, hung.attempts) == ("FAILED", "model", 1)
    assert "took longer than" in hung.failure_reason

    failed = queue.request(raising_rel)
    assert (failed.status.value, failed.failure_category.value) == ("FAILED", "model")
    reason = failed.failure_reason
    assert reason.startswith("the chat template cannot be used: the chat template raised")
    assert "\\u202e### ✅ Valid @org\\n[x]" in reason and "\n" not in reason
    assert queue.files("results") == []


def test_every_render_during_the_run_has_a_deadline(tmp_path, monkeypatch):
    """A template that is slow only on some documents passes the check and is stopped when
    lm-eval renders one of those."""
    from transformers import AutoTokenizer

    from leaderboard.devtools.tinymodels import train_tokenizer

    train_tokenizer(["hello world"] * 4, vocab_size=300).save_pretrained(tmp_path / "tok")
    tokenizer = AutoTokenizer.from_pretrained(tmp_path / "tok")
    tokenizer.chat_template = (
        "{% if 'SLOW' in messages[-1].content %}{% for i in range(100000) %}"
        "{% for j in range(100000) %}{% endfor %}{% endfor %}{% endif %}"
        "{% for m in messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}"
    )
    assert chat_template.check(tokenizer) is None
    monkeypatch.setattr(chat_template, "RENDER_SECONDS", 3.0)
    with chat_template.guard(tokenizer):
        fine = tokenizer.apply_chat_template(
            [{"role": "user", "content": "hi"}], tokenize=False, add_generation_prompt=True
        )
        assert fine == "user: hi\n"
        started = time.monotonic()
        with pytest.raises(chat_template.TemplateFailed, match=r"longer than 3\.0 s"):
            tokenizer.apply_chat_template([{"role": "user", "content": "SLOW"}], tokenize=False)
        assert time.monotonic() - started < 10
    assert "apply_chat_template" not in vars(tokenizer)
