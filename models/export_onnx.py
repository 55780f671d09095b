"""Export the embedded stance model to ONNX for ONNX Runtime: fp32, and int8 beside it.

Run by ``make onnx`` (and so by ``make install``); the files go to
``models/stance-minilm/onnx/`` and are not committed: the fp32 graph is as large as the
fp32 weights (90 MB) and both are rebuilt in under a minute from the committed
safetensors, so the repository carries one copy of the model, not three.

The graph is traced from :class:`stance.bert.Encoder`, the same code the torch paths run,
so the three paths compute the same function. The int8 file is ONNX Runtime's dynamic
quantisation of the fp32 graph (int8 weights per output channel, activations quantised
per batch), the counterpart of torch's ``quantize_dynamic``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from stance import bert  # noqa: E402
from stance.nli import EMBEDDED_DIR  # noqa: E402
from stance.onnx_runtime import FP32_FILE, INT8_FILE, ONNX_DIR  # noqa: E402


class _Classifier(torch.nn.Module):
    """The lean BERT as a module, so the tracer can follow it; the mask is always applied."""

    def __init__(self, encoder: bert.Encoder) -> None:
        super().__init__()
        self.encoder = encoder
        # Registered as buffers, the weights become graph initializers (not Constant nodes),
        # which is what ONNX Runtime's quantiser looks for.
        for i, tensor in enumerate(_tensors(vars(encoder))):
            self.register_buffer(f"w{i}", tensor)

    def forward(self, input_ids: torch.Tensor, token_type_ids: torch.Tensor, attention_mask: torch.Tensor):
        return self.encoder.classify(self.encoder(input_ids, token_type_ids, attention_mask, always_mask=True))


def _tensors(value: object) -> list[torch.Tensor]:
    """Every tensor held by the encoder, in its layers, dense layers and (weight, bias) pairs."""
    if isinstance(value, torch.Tensor):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _tensors(v)]
    if isinstance(value, list | tuple):
        return [t for v in value for t in _tensors(v)]
    if hasattr(value, "__dict__") or hasattr(value, "__dataclass_fields__"):
        return _tensors({k: getattr(value, k) for k in getattr(value, "__dataclass_fields__", vars(value))})
    return []


def export(model_dir: Path, out_dir: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out_dir.mkdir(parents=True, exist_ok=True)
    module = _Classifier(bert.Encoder(model_dir)).eval()
    ids = torch.tensor([[101, 7592, 2088, 102, 2023, 102], [101, 7592, 102, 2023, 102, 0]])
    types = torch.tensor([[0, 0, 0, 0, 1, 1], [0, 0, 0, 1, 1, 0]])
    mask = (ids != 0).long()
    fp32 = out_dir / FP32_FILE
    axes = {0: "batch", 1: "tokens"}
    with torch.inference_mode():
        torch.onnx.export(
            module,
            (ids, types, mask),
            str(fp32),
            input_names=["input_ids", "token_type_ids", "attention_mask"],
            output_names=["logits"],
            dynamic_axes={"input_ids": axes, "token_type_ids": axes, "attention_mask": axes, "logits": {0: "batch"}},
            opset_version=17,
            dynamo=False,
        )
    quantize_dynamic(str(fp32), str(out_dir / INT8_FILE), weight_type=QuantType.QInt8, per_channel=True)
    print(f"wrote {fp32} and {out_dir / INT8_FILE}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=EMBEDDED_DIR)
    parser.add_argument("--out", type=Path, default=None, help=f"default: MODEL/{ONNX_DIR}")
    args = parser.parse_args()
    export(args.model, args.out or args.model / ONNX_DIR)


if __name__ == "__main__":
    main()
