"""Zero-shot NLI scoring: load a sequence-classification NLI model once, score many pairs.

Every model call goes through :meth:`NLIModel.logits`, which tokenises all pairs at once,
sorts them by length and runs them in padded batches (under ``torch.inference_mode()`` on the
torch paths; the ONNX Runtime paths never import torch), so callers hand over everything
they have instead of looping.

The model itself sits behind a small :class:`Backend`: local BERT directories (the
embedded model among them) run on :mod:`stance.bert`, which needs neither ``transformers``
nor the second or two its import adds to every cold start; hub ids and other
architectures go through :class:`TransformersBackend`, which imports it only then; the
embedded model can also run on ONNX Runtime (:mod:`stance.onnx_runtime`). Which one, and in
what precision, is the compute path :mod:`stance.compute` picks from the CPU's features.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from stance.errors import StanceError

if TYPE_CHECKING:
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

#: One pair's model inputs as the tokenizer returns them (``input_ids`` and the like).
Features = dict[str, list[int]]

#: Name users pass to mean the model trained by ``models/train.py`` and shipped in the repo.
EMBEDDED = "embedded"
EMBEDDED_DIR = Path(__file__).resolve().parent.parent / "models" / "stance-minilm"

#: Hypothesis templates for the three stance classes, used with models that ship no
#: ``stance.json`` (for example MNLI models from the Hugging Face hub). A class may have
#: several paraphrases; their entailment logits are averaged.
DEFAULT_TEMPLATES = {
    "negative": ["{mention} is portrayed negatively."],
    "neutral": ["{mention} is portrayed neutrally."],
    "positive": ["{mention} is portrayed positively."],
}
STANCE_LABELS = ("negative", "neutral", "positive")
#: Prefix of the labels of a stance head (``stance-negative`` …): a model whose config has
#: them answers "how does the premise treat the party the hypothesis names" in one pass,
#: beside its NLI head. The embedded model has one; hub NLI models are asked by templates.
STANCE_HEAD = "stance-"


@dataclass(frozen=True)
class StanceConfig:
    """How a model expects stance questions to be asked (stored as ``stance.json``)."""

    templates: dict[str, list[str]] = field(default_factory=lambda: dict(DEFAULT_TEMPLATES))
    #: Characters put around the target mention in the premise, or ``None`` to leave it bare.
    #: The embedded model was trained with marked targets; generic NLI models were not.
    marker: tuple[str, str] | None = None
    max_length: int = 128
    #: Added to each class's logit before the soft-max: a prior-shift correction chosen on
    #: dev data for the embedded model (all zero for other models).
    bias: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STANCE_LABELS, 0.0))
    #: How a whole passage (the judgment's paragraph pass) names the party in the hypothesis.
    #: A model trained on passages under their own wording keeps the writer's attitude over
    #: a passage apart from a single sentence's stance; by default a passage is asked as a
    #: sentence is.
    passage_hypothesis: str = "{mention}"

    @classmethod
    def read(cls, directory: Path) -> StanceConfig:
        path = directory / "stance.json"
        if not path.is_file():
            return cls()
        raw = json.loads(path.read_text(encoding="utf-8"))
        marker = raw.get("marker")
        return cls(
            templates={
                label: [tpl] if isinstance(tpl, str) else list(tpl)
                for label, tpl in raw.get("templates", DEFAULT_TEMPLATES).items()
            },
            marker=tuple(marker) if marker else None,
            max_length=int(raw.get("max_length", 128)),
            bias={label: float(raw.get("bias", {}).get(label, 0.0)) for label in STANCE_LABELS},
            passage_hypothesis=str(raw.get("passage_hypothesis", "{mention}")),
        )

    def write(self, directory: Path) -> None:
        data = {
            "templates": self.templates,
            "marker": self.marker,
            "max_length": self.max_length,
            "bias": self.bias,
            "passage_hypothesis": self.passage_hypothesis,
        }
        (directory / "stance.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


class Backend(Protocol):
    """What :class:`NLIModel` needs from a model: its labels, pair encoding, a forward pass.

    A new backend is one class with these members (see :class:`stance.bert.SequenceClassifier`
    and :class:`TransformersBackend`); batching, ordering and autocast stay in NLIModel.
    """

    #: Class index -> label name, as in the model's ``config.json``.
    id2label: dict[int, str]

    def encode(self, premises: list[str], hypotheses: list[str], max_length: int) -> list[Features]:
        """Token ids per pair (``input_ids`` first), cutting only the premise to ``max_length``."""
        ...

    def forward(self, batch: list[Features]) -> np.ndarray:
        """Float32 logits, shape ``(len(batch), num_labels)``, for pairs from :meth:`encode`."""
        ...


class TransformersBackend:
    """Any sequence-classification model transformers can load (hub ids, other architectures)."""

    def __init__(self, tokenizer: PreTrainedTokenizerBase, model: PreTrainedModel) -> None:
        self.tokenizer = tokenizer
        self.model = model.eval()
        self.id2label = {int(k): str(v) for k, v in model.config.id2label.items()}
        self.device = model.device

    @classmethod
    def load(cls, source: str) -> TransformersBackend:
        """Safetensors weights only, no remote code; transformers is imported only here."""
        import torch
        from huggingface_hub.utils import logging as hub_logging
        from transformers import AutoModelForSequenceClassification, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
        hub_logging.set_verbosity_error()  # its retry warnings would break the one-line error

        def from_pretrained(cached: bool) -> TransformersBackend:
            tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=cached)
            model = AutoModelForSequenceClassification.from_pretrained(
                source, use_safetensors=True, dtype=torch.float32, local_files_only=cached
            )
            # The larger models users fetch from the hub are where a GPU pays off.
            return cls(tokenizer, model.to("cuda" if torch.cuda.is_available() else "cpu"))

        try:
            return from_pretrained(cached=True)
        except OSError:
            if Path(source).exists():
                raise
        _check_hub_reachable()
        return from_pretrained(cached=False)

    def encode(self, premises: list[str], hypotheses: list[str], max_length: int) -> list[Features]:
        encoded = self.tokenizer(premises, hypotheses, truncation="only_first", max_length=max_length)
        keys = [k for k in ("input_ids", "token_type_ids", "attention_mask") if k in encoded]
        return [{k: encoded[k][i] for k in keys} for i in range(len(premises))]

    def forward(self, batch: list[Features]) -> np.ndarray:
        padded = self.tokenizer.pad(batch, return_tensors="pt")
        return self.model(**{k: v.to(self.device) for k, v in padded.items()}).logits.float().cpu().numpy()


def _check_hub_reachable() -> None:
    """Fail at once when the hub is out of reach: huggingface_hub would retry for about a
    minute (55 s on the offline development machine) before saying so. Behind a proxy the
    direct probe proves nothing, so it is skipped there."""
    from urllib.parse import urlsplit

    from huggingface_hub import constants

    if constants.HF_HUB_OFFLINE:
        raise OSError("no cached copy, and HF_HUB_OFFLINE is set")
    if any(os.environ.get(v) for v in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy")):
        return
    url = urlsplit(constants.ENDPOINT)
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        socket.create_connection((url.hostname, port), timeout=5).close()
    except OSError as exc:
        raise OSError(f"no cached copy, and {url.hostname} cannot be reached ({exc.strerror or exc})") from exc


class NLIModel:
    """A loaded NLI cross-encoder and the stance conventions that go with it."""

    def __init__(self, name: str, backend: Backend, config: StanceConfig, compute_path: str = "fp32") -> None:
        self.name = name
        self.backend = backend
        self.config = config
        self.entailment_id = _label_id(backend.id2label, "entail", name)
        try:
            self.contradiction_id: int | None = _label_id(backend.id2label, "contradict", name)
        except StanceError:
            self.contradiction_id = None
        by_name = {str(label).lower(): int(idx) for idx, label in backend.id2label.items()}
        ids = [by_name.get(STANCE_HEAD + label) for label in STANCE_LABELS]
        #: Output indices of the stance head (negative, neutral, positive), or None without one.
        self.stance_ids: list[int] | None = None if None in ids else ids
        #: How the model computes, one of :data:`stance.compute.PATHS` (``bf16`` = torch autocast).
        self.compute_path = compute_path
        self.bf16 = compute_path == "bf16"

    @property
    def num_labels(self) -> int:
        return len(self.backend.id2label)

    def logits(self, premises: list[str], hypotheses: list[str], batch_size: int = 64) -> np.ndarray:
        """Raw logits, shape ``(len(premises), num_labels)``, in the order given.

        Identical pairs (the same sentence and mention in two articles, or asked twice) go
        through the model once. Pairs are tokenised once, sorted by token length and padded
        per batch, which wastes far less compute on padding than batching in input order.
        """
        if len(premises) != len(hypotheses):
            raise ValueError("premises and hypotheses differ in length")
        if not premises:
            return np.zeros((0, self.num_labels), dtype=np.float32)
        unique: dict[tuple[str, str], int] = {}
        where = [unique.setdefault(pair, len(unique)) for pair in zip(premises, hypotheses, strict=True)]
        firsts, seconds = zip(*unique, strict=True)
        encoded = self.backend.encode(list(firsts), list(seconds), self.config.max_length)
        order = sorted(range(len(encoded)), key=lambda i: len(encoded[i]["input_ids"]))
        out = np.zeros((len(encoded), self.num_labels), dtype=np.float32)
        with self._inference():
            for start in range(0, len(order), batch_size):
                chunk = order[start : start + batch_size]
                out[chunk] = self.backend.forward([encoded[i] for i in chunk])
        return out[where]

    @contextmanager
    def _inference(self) -> Iterator[None]:
        """torch's inference mode (with bf16 autocast on that path) around the forward passes;
        nothing on ONNX Runtime, which keeps no autograd state, so those paths never import torch."""
        if self.compute_path.startswith("onnx"):
            yield
            return
        import torch

        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bf16):
            yield

    def entailment_probability(self, premises: list[str], hypotheses: list[str]) -> np.ndarray:
        """P(entailment) against contradiction for each pair, each pair on its own.

        Used for custom labels, which are independent yes/no questions (like the
        ``multi_label=True`` mode of transformers' zero-shot pipeline).
        """
        logits = self.logits(premises, hypotheses)
        other = self.contradiction_id if self.contradiction_id is not None else 1 - self.entailment_id
        pair = logits[:, [other, self.entailment_id]]
        return softmax(pair)[:, 1]

    def stance_logits(self, premises: list[str], hypotheses: list[str]) -> np.ndarray:
        """The stance head's logits (negative, neutral, positive), shape ``(len(premises), 3)``."""
        if self.stance_ids is None:
            raise ValueError(f"model {self.name!r} has no stance head")
        return self.logits(premises, hypotheses)[:, self.stance_ids]

    def entailment_logits(self, premises: list[str], hypothesis_sets: list[list[str]]) -> np.ndarray:
        """Entailment logit of every hypothesis of every premise, in one batched call.

        All hypothesis sets must have the same size; the result has shape
        ``(len(premises), set size)``.
        """
        width = len(hypothesis_sets[0]) if hypothesis_sets else 0
        flat_p = [p for p, hs in zip(premises, hypothesis_sets, strict=True) for _ in hs]
        flat_h = [h for hs in hypothesis_sets for h in hs]
        logits = self.logits(flat_p, flat_h)[:, self.entailment_id]
        return logits.reshape(len(premises), width)


def _label_id(id2label: dict, prefix: str, name: str) -> int:
    for idx, label in id2label.items():
        if str(label).lower().startswith(prefix):
            return int(idx)
    raise StanceError(
        f"model {name!r} is not an NLI model: its config has no {prefix!r}… label "
        f"(labels: {', '.join(map(str, id2label.values()))})"
    )


def softmax(x: np.ndarray) -> np.ndarray:
    z = x - x.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def resolve(name: str | None) -> str:
    """Turn a user's ``--model`` value into a local path or hub id (``None`` = embedded)."""
    if name in (None, "", EMBEDDED):
        return str(os.environ.get("STANCE_MODEL") or EMBEDDED_DIR)
    return name


def load(name: str | None = None) -> NLIModel:
    """Load an NLI model once per process: a local directory or a Hugging Face model id.

    Only safetensors weights are accepted and no remote code is run. Hub ids need a
    network (or a filled Hugging Face cache); local directories never touch one. The
    compute path (:mod:`stance.compute`) is chosen here, so ``STANCE_BACKEND`` set before
    the first load of a model applies to it.
    """
    target = resolve(name)
    path = Path(target).expanduser()
    if path.exists() and not path.is_dir():
        raise StanceError(f"model path {target} is a file; give the model's directory")
    if not path.exists() and (target.startswith((".", "/", "~")) or target.count("/") != 1):
        raise StanceError(f"model {target!r} not found: give a model directory or a hub id like org/name")
    from stance import compute

    lean = path.is_dir() and _lean(path)
    return _load(target, compute.choose(lean, path if path.is_dir() else None))


def _lean(path: Path) -> bool:
    """Whether a local directory runs on :mod:`stance.bert`; refuses one that is no model at all."""
    from stance.tokenizer import supports

    if not (path / "config.json").is_file():
        raise StanceError(f"{path} is not a model directory: it has no config.json")
    return supports(path)


@lru_cache(maxsize=4)
def _load(target: str, compute_path: str) -> NLIModel:
    path = Path(target).expanduser()
    local = path.is_dir()
    from safetensors import SafetensorError

    from stance.tokenizer import supports

    try:
        if local and supports(path):
            if compute_path.startswith("onnx"):
                from stance.onnx_runtime import OnnxClassifier

                backend: Backend = OnnxClassifier(path, int8=compute_path == "onnx-int8")
            else:
                from stance.bert import SequenceClassifier

                backend = SequenceClassifier(path, int8=compute_path == "int8")
        else:
            backend = TransformersBackend.load(str(path) if local else target)
    except SafetensorError as exc:
        raise StanceError(
            f"cannot load model {target!r}: model.safetensors is damaged or cut short ({_one_line(exc)})"
        ) from exc
    except (OSError, ValueError) as exc:
        where = "directory" if local else "hub id (needs a network or a cached copy)"
        raise StanceError(f"cannot load model {target!r} as a {where}: {_one_line(exc)}") from exc
    config = StanceConfig.read(path) if local else StanceConfig()
    return NLIModel(target if not local else str(path), backend, config, compute_path)


def _one_line(exc: Exception) -> str:
    """An exception's message as one line: loaders' messages can run over several lines
    (one ends a line on "from one of:" and lists the choices below)."""
    return " ".join(str(exc).split()) or type(exc).__name__
