"""A lean BERT: the tokenizer, encoder and classification head of a local model directory.

Both models the pipeline runs by default are BERT (the embedded stance cross-encoder and
all-MiniLM-L6-v2), and a cold ``stance compare`` spent more time importing
``transformers`` than scoring: its model classes pull in ``torch._dynamo`` and
``torch.distributed`` (about 1.9 s of a cold start on the 2-core development machine).
This module does the same computation with what transformers itself uses underneath —
the ``tokenizers`` fast tokenizer from ``tokenizer.json``, ``safetensors`` weights and
plain torch functions — in the same order of operations, so logits and hidden states
equal transformers' to float rounding (``tests/test_bert.py`` holds it to that).

Only what these models need is implemented: absolute positions, GELU, an encoder without
cross-attention, the pooler, a linear head and mean pooling. :func:`stance.tokenizer.supports`
says whether a directory fits; anything else goes through transformers (see
:func:`stance.nli.load`). The tokenizer and config reading live in :mod:`stance.tokenizer`,
which the ONNX Runtime paths share without importing torch.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from safetensors.torch import load_file

from stance.nli import Features
from stance.tokenizer import Tokenizer, features, read_config


class Linear:
    """A dense layer, ``x @ weight.T + bias``, in float32."""

    def __init__(self, weight: torch.Tensor, bias: torch.Tensor) -> None:
        self.weight, self.bias = weight, bias

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return F.linear(x, self.weight, self.bias)


class Int8Linear(Linear):
    """The same layer with int8 weights (one scale per output row) and activations quantised
    per batch, as ``torch.ao.quantization.quantize_dynamic`` does for ``nn.Linear``.

    On CPUs without native bf16 this is the fast path: the matrix products are most of a
    BERT forward pass, and int8 kernels (fbgemm) do about twice the work per cycle of fp32.
    ``reduce_range`` keeps activations to 7 bits so AVX2's 16-bit accumulation cannot saturate.
    """

    def __init__(self, weight: torch.Tensor, bias: torch.Tensor) -> None:
        super().__init__(weight, bias)
        scales = (weight.abs().amax(dim=1) / 127.0).clamp(min=1e-8).double()
        zeros = torch.zeros(weight.shape[0], dtype=torch.long)
        with warnings.catch_warnings():
            # torch marks its quantised tensor types for removal after the 2.13 pinned here.
            warnings.simplefilter("ignore", UserWarning)
            qweight = torch.quantize_per_channel(weight, scales, zeros, axis=0, dtype=torch.qint8)
        self._packed = torch.ops.quantized.linear_prepack(qweight, bias)

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return torch.ops.quantized.linear_dynamic(x, self._packed, True)


@dataclass(frozen=True)
class _Layer:
    query: Linear
    key: Linear
    value: Linear
    attention_out: Linear
    attention_norm: tuple[torch.Tensor, torch.Tensor]
    intermediate: Linear
    out: Linear
    out_norm: tuple[torch.Tensor, torch.Tensor]


class Encoder:
    """BERT's embeddings, encoder layers and pooler, as plain tensors (inference only).

    Weights are upcast to float32, as stance's transformers loader asked for
    (``dtype=torch.float32``): the embedded model is stored in fp16 to halve its size.
    With ``int8``, the encoder layers' dense layers run as :class:`Int8Linear`
    (embeddings, layer norms, attention scores and the head stay float32).
    """

    def __init__(self, directory: Path, int8: bool = False) -> None:
        config = read_config(directory)
        path = directory / "model.safetensors"
        if not path.is_file():
            raise FileNotFoundError(f"no model.safetensors in {directory} (only safetensors weights are loaded)")
        raw = load_file(str(path))
        # BertForSequenceClassification prefixes the encoder's names with "bert."; BertModel does not.
        weights = {k.removeprefix("bert."): v.float() for k, v in raw.items()}

        def pair(name: str) -> tuple[torch.Tensor, torch.Tensor]:
            return weights[f"{name}.weight"], weights[f"{name}.bias"]

        dense = Int8Linear if int8 else Linear

        def linear(name: str) -> Linear:
            return dense(*pair(name))

        try:
            self.word = weights["embeddings.word_embeddings.weight"]
            self.position = weights["embeddings.position_embeddings.weight"]
            self.token_type = weights["embeddings.token_type_embeddings.weight"]
            self.embedding_norm = pair("embeddings.LayerNorm")
            self.layers = [
                _Layer(
                    query=linear(f"encoder.layer.{i}.attention.self.query"),
                    key=linear(f"encoder.layer.{i}.attention.self.key"),
                    value=linear(f"encoder.layer.{i}.attention.self.value"),
                    attention_out=linear(f"encoder.layer.{i}.attention.output.dense"),
                    attention_norm=pair(f"encoder.layer.{i}.attention.output.LayerNorm"),
                    intermediate=linear(f"encoder.layer.{i}.intermediate.dense"),
                    out=linear(f"encoder.layer.{i}.output.dense"),
                    out_norm=pair(f"encoder.layer.{i}.output.LayerNorm"),
                )
                for i in range(int(config["num_hidden_layers"]))
            ]
            self.pooler = pair("pooler.dense") if "pooler.dense.weight" in weights else None
            self.classifier = pair("classifier") if "classifier.weight" in weights else None
        except KeyError as exc:
            raise ValueError(f"{path} is not a BERT checkpoint: it has no {exc.args[0]!r}") from exc
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))

    def __call__(
        self, ids: torch.Tensor, types: torch.Tensor, mask: torch.Tensor, always_mask: bool = False
    ) -> torch.Tensor:
        """Last hidden states, shape ``(batch, tokens, hidden)``; padded positions are not attended to.

        ``always_mask`` applies the mask even when nothing is padded (for graph export,
        where the branch would be frozen at whatever the example batch took)."""
        hidden = self.word.shape[1]
        x = F.embedding(ids, self.word) + F.embedding(types, self.token_type)
        x = x + self.position[: ids.shape[1]].unsqueeze(0)
        x = F.layer_norm(x, (hidden,), *self.embedding_norm, self.eps)
        # transformers drops the mask when nothing is padded; SDPA then takes its fastest path.
        attend = None if not always_mask and bool(mask.all()) else mask.bool()[:, None, None, :]
        batch, tokens = ids.shape
        split = (batch, tokens, self.heads, hidden // self.heads)
        for layer in self.layers:
            q = layer.query(x).view(split).transpose(1, 2)
            k = layer.key(x).view(split).transpose(1, 2)
            v = layer.value(x).view(split).transpose(1, 2)
            a = F.scaled_dot_product_attention(q, k, v, attn_mask=attend, scale=split[3] ** -0.5)
            a = a.transpose(1, 2).reshape(batch, tokens, hidden)
            x = F.layer_norm(layer.attention_out(a) + x, (hidden,), *layer.attention_norm, self.eps)
            h = F.gelu(layer.intermediate(x))
            x = F.layer_norm(layer.out(h) + x, (hidden,), *layer.out_norm, self.eps)
        return x

    def classify(self, states: torch.Tensor) -> torch.Tensor:
        """Sequence-classification logits from the first token's state (pooler, then head)."""
        if self.pooler is None or self.classifier is None:
            raise ValueError("this checkpoint has no pooler or classification head")
        pooled = torch.tanh(F.linear(states[:, 0], *self.pooler))
        return F.linear(pooled, *self.classifier)


class SequenceClassifier:
    """A BERT NLI cross-encoder: the :class:`stance.nli.Backend` for local BERT directories."""

    def __init__(self, directory: Path, int8: bool = False) -> None:
        config = read_config(directory)
        self.tokenizer = Tokenizer(directory)
        self.encoder = Encoder(directory, int8=int8)
        if self.encoder.classifier is None:
            raise ValueError(f"{directory} has no classification head (classifier.weight)")
        self.id2label = {int(k): str(v) for k, v in config.get("id2label", {}).items()}

    def encode(self, premises: list[str], hypotheses: list[str], max_length: int) -> list[Features]:
        return features(self.tokenizer.encode_pairs(premises, hypotheses, max_length))

    def forward(self, batch: list[Features]) -> np.ndarray:
        ids, types, mask = map(torch.from_numpy, self.tokenizer.pad(batch))
        return self.encoder.classify(self.encoder(ids, types, mask)).float().numpy()


class SentenceEncoder:
    """Sentence embeddings as sentence-transformers makes them for all-MiniLM-L6-v2: the
    encoder's states mean-pooled over real tokens, then L2-normalised (so a dot product is a
    cosine similarity). :mod:`stance.alignment` runs it; ``models/export_onnx.py`` traces it."""

    def __init__(self, directory: Path) -> None:
        self.encoder = Encoder(directory)

    def __call__(
        self, ids: torch.Tensor, types: torch.Tensor, mask: torch.Tensor, always_mask: bool = False
    ) -> torch.Tensor:
        """Unit vectors, shape ``(batch, hidden)`` (``always_mask`` as for :class:`Encoder`)."""
        states = self.encoder(ids, types, mask, always_mask=always_mask)
        weights = mask.unsqueeze(-1).to(states.dtype)
        pooled = (states * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1e-9)
        return F.normalize(pooled, p=2, dim=1)

    def embed(self, ids: np.ndarray, types: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """:meth:`__call__` on a padded batch from :meth:`stance.tokenizer.Tokenizer.pad`, as float32."""
        with torch.inference_mode():
            return self(*map(torch.from_numpy, (ids, types, mask))).float().numpy()
