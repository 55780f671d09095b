"""The bridge between BASIL and the real pipeline: one article in, what `compare` sees out.

``stance eval basil`` must measure the same code users run, so this runs the same stages
as :func:`stance.pipeline.compare` (parse, parties with the event's main entities given,
batched NLI scoring, per-sentence means, descriptors) on a single article.
"""

from __future__ import annotations

from collections.abc import Callable

from stance import framing
from stance.evaluation.basil import ArticleAnalysis
from stance.nli import load
from stance.parties import PartySpec, find_parties
from stance.pipeline import score_mentions, sentence_scores
from stance.sentences import parse


def analyse_for_basil(model: str | None = None) -> Callable[[str, str, list[str]], ArticleAnalysis]:
    """An ``analyse_article`` callable for :func:`stance.evaluation.basil.evaluate_basil`.

    The main entities are given as parties (as a user would with ``--party``), so a party
    the article names differently still maps to its BASIL entity; other parties are ignored.
    """
    nli = load(model)

    def analyse(text: str, label: str, entities: list[str]) -> ArticleAnalysis:
        article = parse(text, label, None)
        found = find_parties([article], [PartySpec.parse(e) for e in entities], only_given=True)
        mentions = score_mentions(nli, [article], found)
        descriptors = framing.descriptors([article], found)
        scores, words = {}, {}
        for party, ms, ds in zip(found, mentions, descriptors, strict=True):
            scores[party.name] = list(sentence_scores(ms, label).values())
            words[party.name] = [d.text for d in ds.get(label, [])]
        return ArticleAnalysis(scores=scores, descriptors=words)

    return analyse
