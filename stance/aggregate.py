"""Aggregate per-sentence stance scores into a mean with an honest uncertainty.

Each sentence's signed score lies in [-1, 1]. A party's stance in an article is the mean
over the sentences that mention it, and the uncertainty comes from a 95% percentile
bootstrap over those sentences: an outlet that mentions a party twice should not look as
certain as one that mentions it twenty times. Resampling uses a fixed seed, so the same
input always gives the same interval (reports and tests are reproducible).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from stance.result import Difference, Summary

#: Central share of the bootstrap distribution reported as the interval.
LEVEL = 0.95
#: Bootstrap resamples; 2,000 keeps the 2.5%/97.5% percentiles stable to about ±0.01.
RESAMPLES = 2000
#: The range a mean of scores in [-1, 1] can take, reported when one sentence gives no
#: spread to resample: the interval then says "could be anything", not "certain".
SCORE_RANGE = (-1.0, 1.0)
#: Fewest sentences per side for a difference to be put into words.
MIN_SENTENCES = 2
#: Below this many sentences on a side, a verdict says how little it rests on: with 2–4
#: sentences the bootstrap interval is itself unstable (4 of 5 resamples can repeat a value).
FEW_SENTENCES = 5
#: The pooled outlets in a "one outlet against the others" difference.
OTHERS = "others"

_MINUS = "\u2212"


def summarise(values: Sequence[float], seed: int = 0, resamples: int = RESAMPLES) -> Summary:
    """Mean of ``values`` with a 95% percentile bootstrap interval over sentences.

    With a single sentence there is nothing to resample, and a zero-width interval would
    claim certainty, so the interval is the whole possible range [-1, 1].
    """
    x = _as_array(values)
    mean = float(x.mean())
    if len(x) < 2:
        return Summary(mean=mean, low=SCORE_RANGE[0], high=SCORE_RANGE[1], n=len(x))
    low, high = _interval(_bootstrap_means(x, np.random.default_rng(seed), resamples))
    return Summary(mean=mean, low=low, high=high, n=len(x))


def difference(
    a: str,
    a_values: Sequence[float],
    b: str,
    b_values: Sequence[float],
    party: str,
    seed: int = 0,
    resamples: int = RESAMPLES,
) -> Difference:
    """Mean stance of ``b`` minus that of ``a`` toward ``party``, resampling each side alone.

    The two articles are independent samples, so each side is bootstrapped over its own
    sentences and the resampled means are subtracted. When either side has a single
    sentence its spread is unknown, so the interval is the whole possible range [-2, 2]
    and there is no verdict: a difference resting on one sentence is never shown as real.
    ``a`` may be :data:`OTHERS`, the pooled sentences of every other outlet.
    """
    xa, xb = _as_array(a_values), _as_array(b_values)
    mean = float(xb.mean() - xa.mean())
    if min(len(xa), len(xb)) < MIN_SENTENCES:
        width = SCORE_RANGE[1] - SCORE_RANGE[0]
        return Difference(a, b, mean, -width, width, None, len(xa), len(xb))
    rng = np.random.default_rng(seed)
    diffs = _bootstrap_means(xb, rng, resamples) - _bootstrap_means(xa, rng, resamples)
    low, high = _interval(diffs)
    verdict = None
    if low > 0 or high < 0:
        verdict = _verdict(a, len(xa), b, len(xb), party, mean, low, high)
    return Difference(a, b, mean, low, high, verdict, len(xa), len(xb))


def _as_array(values: Sequence[float]) -> np.ndarray:
    x = np.asarray(values, dtype=np.float64)
    if x.ndim != 1 or len(x) == 0:
        raise ValueError("need a non-empty 1-D sequence of scores")
    if not np.isfinite(x).all():
        raise ValueError("scores must be finite")
    return x


def _bootstrap_means(x: np.ndarray, rng: np.random.Generator, resamples: int) -> np.ndarray:
    """Means of ``resamples`` resamples with replacement, drawn in one vectorised call."""
    idx = rng.integers(0, len(x), size=(resamples, len(x)))
    return x[idx].mean(axis=1)


def _interval(samples: np.ndarray) -> tuple[float, float]:
    tail = (1 - LEVEL) / 2 * 100
    low, high = np.percentile(samples, [tail, 100 - tail])
    return float(low), float(high)


def _verdict(a: str, n_a: int, b: str, n_b: int, party: str, mean: float, low: float, high: float) -> str:
    """E.g. "cgtn is more negative toward Haftar than alarabiya (−0.35, 95% CI −0.60 to −0.10;
    6 vs 4 sentences)." The figures are b − a, so b is named first. A verdict resting on
    fewer than :data:`FEW_SENTENCES` sentences on a side says so."""
    direction = "negative" if mean < 0 else "positive"
    than = "the other outlets" if a == OTHERS else a
    text = (
        f"{b} is more {direction} toward {party} than {than} "
        f"({_num(mean)}, 95% CI {_num(low)} to {_num(high)}; {n_b} vs {n_a} sentences)."
    )
    if min(n_a, n_b) < FEW_SENTENCES:
        text += f" It rests on only {min(n_a, n_b)} sentences on one side: a hint, not a finding."
    return text


def _num(x: float) -> str:
    """Two decimals with a typographic minus sign."""
    text = f"{x:.2f}"
    return _MINUS + text[1:] if text.startswith("-") else text
