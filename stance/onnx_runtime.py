"""ONNX Runtime backend for the embedded stance model: fp32 or int8 graphs, no torch in the loop.

The graphs are built from the committed weights by ``models/export_onnx.py`` (``make onnx``)
into ``MODEL/onnx/``. ONNX Runtime fuses attention, GELU and layer norm and runs int8
matrix products with its own kernels (MLAS), which on CPUs without native bf16 beat
torch's eager fp32 (see ``benchmarks/bench.py``).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from stance.bert import Tokenizer, features, read_config
from stance.nli import Features

ONNX_DIR = "onnx"
FP32_FILE = "model.onnx"
INT8_FILE = "model.int8.onnx"


def graph_path(directory: Path, int8: bool) -> Path:
    return directory / ONNX_DIR / (INT8_FILE if int8 else FP32_FILE)


class OnnxClassifier:
    """A :class:`stance.nli.Backend` on an ONNX Runtime session over an exported graph."""

    def __init__(self, directory: Path, int8: bool = False) -> None:
        import onnxruntime as ort

        path = graph_path(directory, int8)
        if not path.is_file():
            raise FileNotFoundError(f"no {path.relative_to(directory)} in {directory}: build it with `make onnx`")
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        import torch

        # One thread count for both runtimes: torch's (OMP_NUM_THREADS, torch.set_num_threads).
        options.intra_op_num_threads = torch.get_num_threads()
        options.log_severity_level = 3
        # Idle threads spin by default; like torch's OpenMP threads (see stance.cli), they then
        # fight a neighbour for the cores, so they wait passively unless asked otherwise.
        if os.environ.get("OMP_WAIT_POLICY", "").upper() != "ACTIVE":
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        try:
            self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own untyped errors for a damaged file
            raise ValueError(f"{path} is not a loadable ONNX graph ({type(exc).__name__})") from exc
        self.tokenizer = Tokenizer(directory)
        config = read_config(directory)
        self.id2label = {int(k): str(v) for k, v in config.get("id2label", {}).items()}

    def encode(self, premises: list[str], hypotheses: list[str], max_length: int) -> list[Features]:
        return features(self.tokenizer.encode_pairs(premises, hypotheses, max_length))

    def forward(self, batch: list[Features]) -> np.ndarray:
        width = max(len(f["input_ids"]) for f in batch)
        ids = np.full((len(batch), width), self.tokenizer.pad_id, dtype=np.int64)
        types = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, f in enumerate(batch):
            n = len(f["input_ids"])
            ids[row, :n] = f["input_ids"]
            types[row, :n] = f["token_type_ids"]
            mask[row, :n] = 1
        feed = {"input_ids": ids, "token_type_ids": types, "attention_mask": mask}
        return self.session.run(["logits"], feed)[0]
