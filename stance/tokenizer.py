"""A local BERT directory's files as the lean runtimes read them: its config and its tokenizer.

Kept apart from :mod:`stance.bert` because nothing here needs torch: the ONNX Runtime
paths (:mod:`stance.onnx_runtime`) tokenise, pad and read the config the same way, and on
a CPU without native bf16 they run a whole ``stance compare`` without importing torch,
which alone took 2.1–2.7 s of a 7–10 s cold start on a 2-core AVX2 machine.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from tokenizers import Encoding
from tokenizers import Tokenizer as _FastTokenizer

from stance.nli import Features


def read_config(directory: Path) -> dict:
    """The model's ``config.json`` (empty when missing or not JSON)."""
    try:
        return json.loads((directory / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def supports(directory: Path) -> bool:
    """Whether the lean BERT (:mod:`stance.bert`, or its ONNX graphs) runs the model in
    ``directory`` exactly as transformers would.

    That is a BERT with absolute positions and GELU, no decoder parts, and a fast
    tokenizer file. Weights are checked on load: a missing ``model.safetensors`` is an
    error there, not a reason to try another loader.
    """
    config = read_config(directory)
    return (
        config.get("model_type") == "bert"
        and config.get("position_embedding_type", "absolute") == "absolute"
        and config.get("hidden_act", "gelu") == "gelu"
        and not config.get("is_decoder", False)
        and not config.get("add_cross_attention", False)
        and (directory / "tokenizer.json").is_file()
    )


class Tokenizer:
    """WordPiece tokenisation as transformers does it for these models (``tokenizer.json``).

    The file's own padding and truncation settings are ignored: transformers overrides
    them per call, and so do :meth:`encode` and :meth:`encode_pairs`. Padding is right-side
    with the tokenizer's pad token, as ``tokenizer.pad`` does.
    """

    def __init__(self, directory: Path) -> None:
        self._tok = _FastTokenizer.from_file(str(directory / "tokenizer.json"))
        self._tok.no_padding()
        self._tok.no_truncation()
        try:
            settings = json.loads((directory / "tokenizer_config.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            settings = {}
        pad = settings.get("pad_token", "[PAD]")
        pad = pad.get("content", "[PAD]") if isinstance(pad, dict) else pad
        self.pad_id = self._tok.token_to_id(pad) or 0

    def encode(self, texts: list[str], max_length: int) -> list[Encoding]:
        """Single texts, each cut to ``max_length`` tokens (special tokens included)."""
        self._tok.enable_truncation(max_length, strategy="longest_first")
        return self._tok.encode_batch(texts)

    def encode_pairs(self, first: list[str], second: list[str], max_length: int) -> list[Encoding]:
        """Text pairs cut to ``max_length`` tokens by shortening only the first text
        (transformers' ``truncation="only_first"``): an NLI hypothesis is never cut."""
        self._tok.enable_truncation(max_length, strategy="only_first")
        return self._tok.encode_batch(list(zip(first, second, strict=True)))

    def pad(self, batch: list[Features]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(input_ids, token_type_ids, attention_mask)`` as int64 arrays, padded to the
        longest in ``batch`` (``torch.from_numpy`` shares them without a copy)."""
        width = max(len(f["input_ids"]) for f in batch)
        ids = np.full((len(batch), width), self.pad_id, dtype=np.int64)
        types = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, f in enumerate(batch):
            n = len(f["input_ids"])
            ids[row, :n] = f["input_ids"]
            types[row, :n] = f["token_type_ids"]
            mask[row, :n] = 1
        return ids, types, mask


def features(encodings: list[Encoding]) -> list[Features]:
    """The ids :meth:`Tokenizer.pad` needs, as plain lists (what NLIModel sorts and batches)."""
    return [{"input_ids": e.ids, "token_type_ids": e.type_ids} for e in encodings]
