"""Bootstrap summaries and differences on inputs whose answers are known."""

from __future__ import annotations

import numpy as np
import pytest

from stance.aggregate import difference, summarise


def test_all_equal_values_give_a_zero_width_interval() -> None:
    s = summarise([0.4] * 7)
    assert (s.mean, s.low, s.high, s.n) == pytest.approx((0.4, 0.4, 0.4, 7))


def test_interval_brackets_the_mean_and_is_reproducible() -> None:
    values = np.random.default_rng(1).uniform(-1, 1, size=40).tolist()
    first, again = summarise(values, seed=3), summarise(values, seed=3)
    assert first == again
    assert first.low < first.mean < first.high
    assert first.mean == pytest.approx(np.mean(values))
    assert summarise(values, seed=4) != first


def test_interval_narrows_with_more_sentences() -> None:
    few = summarise([-0.5, 0.5] * 3)
    many = summarise([-0.5, 0.5] * 60)
    assert many.high - many.low < (few.high - few.low) / 3


def test_one_sentence_claims_no_certainty() -> None:
    s = summarise([0.8])
    assert (s.mean, s.low, s.high, s.n) == (0.8, -1.0, 1.0, 1)


def test_no_sentences_is_an_error() -> None:
    with pytest.raises(ValueError):
        summarise([])
    with pytest.raises(ValueError):
        difference("a", [], "b", [0.1, 0.2], "X")


def test_clearly_separated_groups_get_a_verdict() -> None:
    d = difference("alarabiya", [0.1, 0.0, 0.2, -0.1], "cgtn", [-0.5, -0.4, -0.6, -0.3, -0.5, -0.4], "Haftar")
    assert d.mean == pytest.approx(-0.5)
    assert d.low <= d.mean <= d.high < 0
    assert d.verdict is not None
    opening = "cgtn is more negative toward Haftar than alarabiya (\u22120.50, 95% CI \u2212"
    assert d.verdict.startswith(opening)
    assert "; 6 vs 4 sentences)." in d.verdict and "only 4 sentences" in d.verdict


def test_positive_difference_is_worded_as_more_positive() -> None:
    d = difference("a", [-0.5, -0.6, -0.4], "b", [0.5, 0.6], "X")
    assert d.low > 0
    assert d.verdict is not None and d.verdict.startswith("b is more positive toward X than a (1.05,")


def test_overlapping_groups_get_no_verdict() -> None:
    d = difference("a", [-0.9, 0.8, -0.2, 0.5], "b", [0.9, -0.8, 0.3, -0.4], "X")
    assert d.low < 0 < d.high
    assert d.verdict is None


def test_one_sentence_on_a_side_never_gets_a_verdict() -> None:
    d = difference("a", [0.9], "b", [-0.9, -0.9, -0.9], "X")
    assert d.mean == pytest.approx(-1.8)
    assert (d.low, d.high, d.verdict) == (-2.0, 2.0, None)


def test_difference_is_reproducible_with_a_seed() -> None:
    a, b = [0.1, -0.3, 0.4, 0.0], [0.2, 0.5, -0.1]
    assert difference("a", a, "b", b, "X", seed=7) == difference("a", a, "b", b, "X", seed=7)


def test_a_verdict_from_few_sentences_says_how_little_it_rests_on() -> None:
    few = difference("A", [0.6, 0.7], "B", [-0.6, -0.5, -0.7, -0.6, -0.55], "P")
    assert few.verdict is not None and "only 2 sentences" in few.verdict
    assert (few.n_a, few.n_b) == (2, 5)
    many = difference("A", [0.6, 0.7, 0.65, 0.6, 0.7], "B", [-0.6, -0.5, -0.7, -0.6, -0.55], "P")
    assert many.verdict is not None and "only" not in many.verdict


def test_an_outlet_against_the_pooled_others_is_worded_so() -> None:
    d = difference("others", [0.5, 0.6, 0.55, 0.5, 0.6, 0.5], "B", [-0.6, -0.5, -0.7, -0.6, -0.55], "P")
    assert d.verdict is not None and d.verdict.startswith("B is more negative toward P than the other outlets")
