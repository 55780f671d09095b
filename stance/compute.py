"""Which compute path the NLI model runs on: picked from the CPU's features, or forced.

The same model can run five ways, and which is fastest depends on the CPU:

* ``bf16``: torch with bf16 autocast. Fastest where the CPU computes bf16 natively
  (AVX512-BF16 or AMX), with the same test_mt predictions as fp32; on other CPUs torch
  emulates bf16 and it is slower than fp32.
* ``fp32``: torch in float32, the reference every other path is measured against.
* ``int8``: torch with the encoder's dense layers in int8 (weights per output channel,
  activations per batch), faster than fp32 without bf16 hardware, but 1.2 pt below fp32 on
  test_mt with the retrained model, so only when forced.
* ``onnx`` / ``onnx-int8``: ONNX Runtime on graphs built by ``make onnx``.

``STANCE_BACKEND`` forces one (``auto``, the default, picks). Figures and the F1 of each
path on NewsMTSC are printed by ``make bench`` and quoted in the README.
"""

from __future__ import annotations

import os
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from stance.errors import StanceError

ENV = "STANCE_BACKEND"
AUTO = "auto"
PATHS = ("bf16", "fp32", "int8", "onnx", "onnx-int8")
#: Paths that need the lean BERT of :mod:`stance.bert` (a local BERT directory).
LEAN_ONLY = ("int8", "onnx", "onnx-int8")


@lru_cache(maxsize=1)
def cpu_flags() -> frozenset[str]:
    """The CPU's feature flags (``avx2``, ``avx512_bf16``, ``amx_tile`` …); empty where unknown."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("flags"):
                    return frozenset(line.split(":", 1)[1].split())
    except OSError:
        pass
    return frozenset()


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    import platform

    return platform.processor() or platform.machine()


#: CPU flags (Linux names) of the instructions oneDNN computes bf16 with in hardware.
BF16_FLAGS = frozenset({"avx512_bf16", "amx_bf16"})


@lru_cache(maxsize=1)
def native_bf16() -> bool:
    """Whether torch runs bf16 matrix products in hardware here (oneDNN's own test).

    A CPU whose flags list neither AVX512-BF16 nor AMX-BF16 has no such hardware, and
    saying so from ``/proc/cpuinfo`` spares the paths that then run (ONNX Runtime) torch's
    import, 2.1–2.7 s of a cold start on a 2-core AVX2 machine. Where the flags say yes
    (or are unknown), oneDNN decides: it also checks what the OS enables.
    """
    flags = cpu_flags()
    if flags and not flags & BF16_FLAGS:
        return False
    import torch

    return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())


def requested() -> str:
    """The path named in ``STANCE_BACKEND`` (``auto`` when unset)."""
    value = os.environ.get(ENV, "").strip().lower() or AUTO
    if value != AUTO and value not in PATHS:
        raise StanceError(f"{ENV}={value!r} is not a compute path; use one of: {AUTO}, {', '.join(PATHS)}")
    return value


def embedder_graph() -> Path | None:
    """The sentence embedder's ONNX graph when alignment is to run on it, else ``None``.

    Alignment follows the path :func:`choose` gives the embedded NLI model, so both run on
    ONNX Runtime or both on torch (a built embedder graph beside missing NLI graphs once
    put alignment on ONNX and the NLI model on torch). A missing embedder graph only means
    alignment runs on torch: its vectors equal the graph's. The graph stays fp32 on every
    path: an int8 one moved 18% of BASIL's aligned pairs (``benchmarks/embedder_int8.py``).
    """
    from stance.nli import EMBEDDED_DIR
    from stance.onnx_runtime import EMBEDDER_FILE, ONNX_DIR

    if not choose(True, EMBEDDED_DIR).startswith("onnx"):
        return None
    graph = EMBEDDED_DIR / ONNX_DIR / EMBEDDER_FILE
    return graph if graph.is_file() else None


def choose(lean: bool, model_dir: Path | None) -> str:
    """The path to run: the forced one if it applies to this model, else the fastest here.

    ``lean`` says whether the model runs on :mod:`stance.bert`; ``model_dir`` is its local
    directory (where the ONNX graphs would be), ``None`` for a hub id.
    """
    wanted = requested()
    if wanted == AUTO:
        if native_bf16():
            return "bf16"
        from stance.nli import EMBEDDED_DIR

        # int8 is checked against fp32 on NewsMTSC for the embedded model only; a user's own
        # model keeps fp32 unless int8 is asked for.
        if not lean or model_dir is None or model_dir.resolve() != EMBEDDED_DIR.resolve():
            return "fp32"
        from stance.onnx_runtime import graph_path

        # On test_mt with the retrained model, ONNX Runtime int8 scores 0.7485 against fp32's
        # 0.7386, torch's dynamic int8 0.7265: more than the 0.5 pt allowed below fp32, so
        # without the ONNX graphs the embedded model stays fp32 (int8 only when forced).
        built = graph_path(model_dir, int8=True).is_file() and find_spec("onnxruntime") is not None
        return "onnx-int8" if built else "fp32"
    if wanted in LEAN_ONLY and not lean:
        raise StanceError(f"{ENV}={wanted} runs only local BERT models such as the embedded one; use fp32 or bf16")
    if wanted.startswith("onnx") and model_dir is not None:
        from stance.onnx_runtime import graph_path

        graph = graph_path(model_dir, wanted == "onnx-int8")
        if not graph.is_file():
            raise StanceError(f"{ENV}={wanted} needs {graph}; build it with `make onnx`")
        if find_spec("onnxruntime") is None:
            raise StanceError(f"{ENV}={wanted} needs onnxruntime: pip install onnxruntime")
    return wanted
