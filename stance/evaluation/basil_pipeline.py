"""The bridge between BASIL and the real pipeline: one article in, what `compare` sees out.

``stance eval basil`` must measure the same code users run, so this runs the same stages
as :func:`stance.pipeline.compare` (parse, parties with the event's main entities given,
batched NLI scoring, voice, the article-level judgment, descriptors) on a single article
through :func:`stance.evaluation.article_pipeline.analyse`.
"""

from __future__ import annotations

from collections.abc import Callable

from stance.evaluation.article_pipeline import analyse
from stance.evaluation.basil import ArticleAnalysis
from stance.nli import load
from stance.pipeline import sentence_scores

#: The judgment's labels in BASIL's spelling.
FEELING = {"negative": "neg", "neutral": "neu", "positive": "pos"}


def analyse_for_basil(model: str | None = None) -> Callable[[str, str, list[str]], ArticleAnalysis]:
    """An ``analyse_article`` callable for :func:`stance.evaluation.basil.evaluate_basil`.

    The main entities are given as parties (as a user would with ``--party``), so a party
    the article names differently still maps to its BASIL entity; other parties are ignored.
    """
    nli = load(model)

    def run(text: str, label: str, entities: list[str]) -> ArticleAnalysis:
        done = analyse(nli, text, label, entities, with_descriptors=True)
        return ArticleAnalysis(
            scores={e: list(sentence_scores(ms, label).values()) for e, ms in done.mentions.items() if ms},
            descriptors={e: [d.text for d in ds] for e, ds in done.descriptors.items()},
            judgments={
                e: (FEELING[j.label], j.probs["positive"] - j.probs["negative"]) for e, j in done.judgments.items()
            },
        )

    return run
