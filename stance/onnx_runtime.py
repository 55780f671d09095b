"""ONNX Runtime backends: the embedded stance model (fp32 or int8 graphs) and the sentence
embedder (fp32), with no torch in the loop and none imported.

The graphs are built by ``models/export_onnx.py`` (``make onnx``) into the embedded model's
``onnx/`` directory. ONNX Runtime fuses attention, GELU and layer norm and runs int8 matrix
products with its own kernels (MLAS), which on CPUs without native bf16 beat torch's eager
fp32 (see ``benchmarks/bench.py``). Because these paths never touch torch, a cold
``stance compare`` on them does not pay torch's import (2.1–2.7 s on a 2-core AVX2 machine).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from stance.nli import Features
from stance.tokenizer import Tokenizer, features, read_config

if TYPE_CHECKING:
    from onnxruntime import InferenceSession

ONNX_DIR = "onnx"
FP32_FILE = "model.onnx"
INT8_FILE = "model.int8.onnx"
#: The sentence embedder (all-MiniLM-L6-v2, mean pooling and normalisation included), fp32:
#: alignment's similarities must not move with the CPU (int8 moved 18% of BASIL's aligned
#: pairs; ``benchmarks/embedder_int8.py``).
EMBEDDER_FILE = "embedder.onnx"


def graph_path(directory: Path, int8: bool) -> Path:
    return directory / ONNX_DIR / (INT8_FILE if int8 else FP32_FILE)


def threads() -> int:
    """Intra-op threads, sized as torch sizes its own, so both runtimes agree.

    torch's count when it is loaded (``torch.set_num_threads`` may have changed it);
    otherwise torch's rule without importing it: ``OMP_NUM_THREADS``, then
    ``MKL_NUM_THREADS``, then the cores this process may run on (torch counts the machine's
    cores; the affinity mask is what a container or ``taskset`` actually grants).
    """
    if "torch" in sys.modules:
        return sys.modules["torch"].get_num_threads()
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        value = os.environ.get(name, "").strip()
        if value.isdigit() and int(value) > 0:
            return int(value)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def session(path: Path) -> InferenceSession:
    """An ONNX Runtime session on ``path`` with all graph optimisations, on the CPU."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = threads()
    options.log_severity_level = 3
    # Idle threads spin by default; like torch's OpenMP threads (see stance/__init__.py), they
    # then fight a neighbour for the cores, so they wait passively unless asked otherwise.
    if os.environ.get("OMP_WAIT_POLICY", "").upper() != "ACTIVE":
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    try:
        return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own untyped errors for a damaged file
        raise ValueError(f"{path} is not a loadable ONNX graph ({type(exc).__name__})") from exc


class OnnxClassifier:
    """A :class:`stance.nli.Backend` on an ONNX Runtime session over an exported graph."""

    def __init__(self, directory: Path, int8: bool = False) -> None:
        path = graph_path(directory, int8)
        if not path.is_file():
            raise FileNotFoundError(f"no {path.relative_to(directory)} in {directory}: build it with `make onnx`")
        self.session = session(path)
        self.tokenizer = Tokenizer(directory)
        config = read_config(directory)
        self.id2label = {int(k): str(v) for k, v in config.get("id2label", {}).items()}

    def encode(self, premises: list[str], hypotheses: list[str], max_length: int) -> list[Features]:
        return features(self.tokenizer.encode_pairs(premises, hypotheses, max_length))

    def forward(self, batch: list[Features]) -> np.ndarray:
        ids, types, mask = self.tokenizer.pad(batch)
        feed = {"input_ids": ids, "token_type_ids": types, "attention_mask": mask}
        return self.session.run(["logits"], feed)[0]


class OnnxEmbedder:
    """The sentence embedder's graph: :meth:`stance.bert.SentenceEncoder.embed` without torch."""

    def __init__(self, path: Path) -> None:
        self.session = session(path)

    def embed(self, ids: np.ndarray, types: np.ndarray, mask: np.ndarray) -> np.ndarray:
        feed = {"input_ids": ids, "token_type_ids": types, "attention_mask": mask}
        return self.session.run(["embeddings"], feed)[0]
