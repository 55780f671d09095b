"""`stance score`: one article, the parties the user names, each mention's stance.

The same stages as a comparison (clean, sentences, parties, voice, NLI), without the
second article; custom labels add yes/no questions of their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

from stance.errors import StanceError
from stance.nli import load
from stance.parties import PartySpec, find_parties
from stance.scoring import Target, score, score_labels
from stance.sentences import parse
from stance.voice import voice_of


@dataclass(frozen=True)
class ScoredMention:
    sentence: int
    text: str
    party: str
    mention: str
    start: int
    end: int
    voice: str
    speaker: str | None
    probs: dict[str, float]
    score: float
    #: Custom label -> P(label applies to the mention), when labels were asked for.
    labels: dict[str, float]


@dataclass(frozen=True)
class ScoredArticle:
    path: str | None
    model: str
    parties: list[str]
    labels: list[str]
    mentions: list[ScoredMention]

    def to_dict(self) -> dict:
        return asdict(self)


def score_article(
    text: str,
    parties: Sequence[PartySpec],
    labels: Sequence[str] = (),
    model: str | None = None,
    path: str | None = None,
) -> ScoredArticle:
    """Score every mention of the given parties in ``text``."""
    if not parties:
        raise StanceError("name at least one party with --party")
    article = parse(text, "article", path)
    found = find_parties([article], parties, only_given=True)
    flat = [(p.name, m) for p in found for m in p.mentions]
    if not flat:
        names = ", ".join(p.name for p in parties)
        raise StanceError(f"{path or 'the article'}: none of the parties is mentioned ({names})")
    flat.sort(key=lambda pm: (pm[1].sentence, pm[1].start))
    nli = load(model)
    targets = [Target(article.sentences[m.sentence].text, m.start, m.end) for _, m in flat]
    stances = score(nli, targets)
    label_probs = score_labels(nli, targets, list(labels)) if labels else [{} for _ in targets]
    mentions = []
    for (party, m), t, st, lp in zip(flat, targets, stances, label_probs, strict=True):
        voice, speaker = voice_of(article, m.sentence, m.start, m.end)
        mentions.append(
            ScoredMention(
                sentence=m.sentence,
                text=t.sentence,
                party=party,
                mention=m.text,
                start=m.start,
                end=m.end,
                voice=voice,
                speaker=speaker,
                probs=st.probs,
                score=st.score,
                labels=lp,
            )
        )
    return ScoredArticle(path, nli.name, [p.name for p in found], list(labels), mentions)
