"""One article through the real pipeline with its parties given: what ``compare`` sees of it.

Both article-level evaluations (PerSenT, BASIL) must measure the code users run, so this
runs the same stages as :func:`stance.pipeline.compare` (parse, parties with the names
given, batched NLI scoring with voice, descriptors) and the article-level judgment
(:func:`stance.judgment.judge_all`) on a single article.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from stance import framing
from stance.judgment import judge_all
from stance.nli import NLIModel
from stance.parties import PartySpec, find_parties
from stance.pipeline import score_mentions
from stance.result import Descriptor, Judgment, Mention
from stance.sentences import ParsedArticle, parse


@dataclass
class AnalysedArticle:
    article: ParsedArticle
    #: Given name -> its scored mentions (empty when the party was not found).
    mentions: dict[str, list[Mention]]
    #: Given name -> the article-level judgment, absent when the party was not found.
    judgments: dict[str, Judgment]
    #: Given name -> descriptors (only when asked for).
    descriptors: dict[str, list[Descriptor]]


def analyse(
    nli: NLIModel,
    text: str,
    label: str,
    names: Sequence[str],
    with_descriptors: bool = False,
    with_judgments: bool = True,
) -> AnalysedArticle:
    """Parse ``text``, find the given parties only, score and judge them (``with_judgments``
    off when fitting the judgment itself)."""
    article = parse(text, label, None)
    specs = [PartySpec.parse(n) for n in names]
    found = find_parties([article], specs, only_given=True)
    scored = score_mentions(nli, [article], found) if found else []
    mentions = {name: [] for name in names}
    descriptors: dict[str, list[Descriptor]] = {name: [] for name in names}
    words = framing.descriptors([article], found) if with_descriptors and found else [{} for _ in found]
    for party, ms, ds in zip(found, scored, words, strict=True):
        key = _given_name(party.name, names)
        if key is not None:
            mentions[key] = ms
            descriptors[key] = ds.get(label, [])
    present = {name: ms for name, ms in mentions.items() if ms}
    judgments = judge_all(nli, article, present) if present and with_judgments else {}
    return AnalysedArticle(article, mentions, judgments, descriptors)


def _given_name(found: str, names: Sequence[str]) -> str | None:
    """The given name a found party carries (find_parties keeps a given party's name)."""
    folded = {n.casefold(): n for n in names}
    return folded.get(found.casefold(), found if found in names else None)


def judge_texts(nli: NLIModel) -> Callable[[list[tuple[str, str]]], list[tuple[str, float] | None]]:
    """A ``judge_texts`` callable for :func:`stance.evaluation.persent.evaluate`: each (text,
    party) to the judgment's label and P(positive) − P(negative), None when not found."""

    def run(jobs: list[tuple[str, str]]) -> list[tuple[str, float] | None]:
        out: list[tuple[str, float] | None] = []
        for text, party in jobs:
            judged = analyse(nli, text, "article", [party]).judgments.get(party)
            out.append(None if judged is None else (judged.label, judged.probs["positive"] - judged.probs["negative"]))
        return out

    return run
