"""The ``model_args`` lm-eval's ``hf`` model is given for a request."""

from __future__ import annotations

from typing import Any

from ..core.models import Precision, Request, WeightType

# -- requests → model arguments ----------------------------------------------------------------


def dtype_for(precision: Precision) -> str:
    """The compute dtype: the precision itself, or float16 under quantization."""
    if precision in (Precision.float16, Precision.bfloat16):
        return precision.value
    return "float16"


def model_args(
    request: Request, *, base_revision: str | None = None, weights_path: str | None = None
) -> dict[str, Any]:
    """lm-eval ``hf`` model arguments for a request (quantization is added by ``load_model``).

    Adapter and Delta requests load ``base_model`` at ``base_revision`` (the request's pinned
    one when not given) and apply the request's own weights from ``weights_path``: a local
    snapshot at the request's pinned revision, because lm-eval would otherwise look for the
    adapter at the base model's revision.
    """
    args: dict[str, Any] = {
        "pretrained": request.model,
        "revision": request.revision,
        "dtype": dtype_for(request.precision),
        "trust_remote_code": False,
        "use_safetensors": True,
    }
    if request.weight_type is not WeightType.original:
        args["pretrained"] = request.base_model
        args["revision"] = base_revision or request.base_revision or "main"
        key = "peft" if request.weight_type is WeightType.adapter else "delta"
        args[key] = weights_path or request.model
    return args


def quantization_config(precision: Precision) -> dict[str, Any] | None:
    """The bitsandbytes configuration for 8bit and 4bit, as a plain dict (for the record)."""
    if precision is Precision.int8:
        return {"quant_method": "bitsandbytes", "load_in_8bit": True}
    if precision is Precision.int4:
        return {
            "quant_method": "bitsandbytes",
            "load_in_4bit": True,
            "bnb_4bit_compute_dtype": "float16",
            "bnb_4bit_quant_type": "nf4",
        }
    return None
