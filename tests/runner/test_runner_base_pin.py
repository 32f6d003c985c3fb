"""An Adapter's or Delta's base model runs at the commit that was checked, never at main.

The base's owner can push anything after the merge: here, a header that claims a trillion
parameters. A request that pins ``base_revision`` loads the base at that commit; a request
older than the field has the base checked again, at the commit it would load, when it is taken.
"""

from __future__ import annotations

import json
import struct

import pytest

from leaderboard.devtools.devhub import publish
from tests.lbtest import make_request
from tests.runner.runnertest import leaderboard


def _trillion_parameters() -> bytes:
    """A safetensors file that is only a header claiming 10^12 bfloat16 parameters."""
    header = json.dumps(
        {"w": {"dtype": "BF16", "shape": [1_000_000, 1_000_000], "data_offsets": [0, 0]}}
    ).encode()
    return struct.pack("<Q", len(header)) + header


@pytest.mark.slow
def test_a_base_grown_after_the_merge_is_never_run(hub_models, hub_env, make_queue):
    checked = hub_models.shas["acme/growing"]
    lora = hub_models.shas["acme/tiny-lora"]
    adapter = {"weight_type": "Adapter", "base_model": "acme/growing", "model_type": "fine-tuned"}
    pinned = make_request("acme/tiny-lora", lora, age_minutes=2, base_revision=checked, **adapter)
    older = make_request("acme/tiny-lora", lora, age_minutes=1, precision="bfloat16", **adapter)
    queue, (pinned_rel, older_rel) = make_queue([pinned, older])
    grown = publish(hub_models.root, "acme/growing", {"model.safetensors": _trillion_parameters()})
    proc = leaderboard(
        "evaluate", "--next", "--all", "--push", "--limit", "2", "--runner", "r1", "--json",
        cwd=queue.clone("runner"), env=hub_env
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]

    ran = queue.request(pinned_rel)
    assert ran.status.value == "FINISHED", ran.failure_reason
    [result] = [r for r in queue.files("results") if "_float16_" in r]
    prov = json.loads(queue.show(result))["provenance"]
    assert prov["base_revision"] == checked != grown

    refused = queue.request(older_rel)
    assert refused.status.value == "FAILED", refused
    assert refused.failure_category.value == "model"
    assert f"checked again at its commit on main now ({grown[:12]})" in refused.failure_reason
    assert "[hub-size]" in refused.failure_reason and "1000.0B parameters" in refused.failure_reason
