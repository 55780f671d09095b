"""Article-level judgment: how one article treats one party, from its scored mentions.

This is the step media-bias readers care about ("how does this outlet treat X?"). The
rule here is the baseline the evaluations started from: the mean of the per-sentence
scores, cut at the thresholds fitted on BASIL (−0.30 / +0.31), with class probabilities
taken as the mean of the sentences' probabilities.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from statistics import fmean

from stance.nli import STANCE_LABELS, NLIModel
from stance.result import Judgment, Mention
from stance.sentences import ParsedArticle

#: Mean-score thresholds below / above which an article is negative / positive.
THRESHOLDS = (-0.30, 0.31)
#: How many sentences are kept as evidence.
EVIDENCE = 3


def judge(nli: NLIModel, article: ParsedArticle, party: str, mentions: Sequence[Mention]) -> Judgment | None:
    """The article's judgment of ``party`` from its mentions in this article (None without any)."""
    by_sentence: dict[int, list[Mention]] = defaultdict(list)
    for m in mentions:
        if m.article == article.label:
            by_sentence[m.sentence].append(m)
    if not by_sentence:
        return None
    scores = {sid: fmean(m.score for m in ms) for sid, ms in by_sentence.items()}
    probs = {c: fmean(fmean(m.probs[c] for m in ms) for ms in by_sentence.values()) for c in STANCE_LABELS}
    mean = fmean(scores.values())
    label = "negative" if mean < THRESHOLDS[0] else "positive" if mean > THRESHOLDS[1] else "neutral"
    evidence = sorted(scores, key=lambda sid: -abs(scores[sid]))[:EVIDENCE]
    return Judgment(probs=probs, label=label, evidence=evidence)
