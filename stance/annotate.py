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
from stance.pipeline import mention_target, score_mentions, shown_path
from stance.result import Mention
from stance.scoring import score_labels
from stance.sentences import parse


@dataclass(frozen=True)
class ScoredMention(Mention):
    """A scored mention with its party, its sentence's text and any custom labels."""

    party: str
    sentence_text: str
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
    parties: Sequence[PartySpec | str],
    labels: Sequence[str] = (),
    model: str | None = None,
    path: str | None = None,
) -> ScoredArticle:
    """Score every mention of the given parties (a :class:`PartySpec` or ``"Name=Alias,…"``) in ``text``."""
    specs = [p if isinstance(p, PartySpec) else PartySpec.parse(p) for p in parties]
    if not specs:
        raise StanceError("name at least one party to score")
    article = parse(text, "article", path)
    found = find_parties([article], specs, only_given=True)
    if not any(p.mentions for p in found):
        names = ", ".join(p.name for p in specs)
        raise StanceError(f"{path or 'the article'}: none of the parties is mentioned ({names})")
    nli = load(model)
    scored = score_mentions(nli, [article], found)
    flat = sorted(
        ((p.name, m) for p, ms in zip(found, scored, strict=True) for m in ms),
        key=lambda pm: (pm[1].sentence, pm[1].start),
    )
    texts = [article.sentences[m.sentence].text for _, m in flat]
    targets = [mention_target(t, m, party) for t, (party, m) in zip(texts, flat, strict=True)]
    label_probs = score_labels(nli, targets, list(labels)) if labels else [{} for _ in targets]
    mentions = [
        ScoredMention(**vars(m), party=party, sentence_text=t, labels=lp)
        for (party, m), t, lp in zip(flat, texts, label_probs, strict=True)
    ]
    return ScoredArticle(path, shown_path(nli.name), [p.name for p in found], list(labels), mentions)
