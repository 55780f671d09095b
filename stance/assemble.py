"""Join the stages' outputs into the result's parties and alignment.

The stages work on lists and positions (mentions per found party, sentence indices per
article); the result speaks of article labels and sentence ids. This module is the one
place that maps between them and computes the aggregates over N outlets: per outlet,
every pair of outlets, and each outlet against the pooled others.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from statistics import fmean

from stance import aggregate, framing
from stance.alignment import THRESHOLD, Pair
from stance.parties import FoundParty
from stance.result import AlignedPair, Alignment, Descriptor, Judgment, Mention, Party, PartyGap
from stance.sentences import ParsedArticle


def party(
    found: FoundParty,
    mentions: list[Mention],
    judgments: dict[str, Judgment],
    descriptors: dict[str, list[Descriptor]],
    labels: list[str],
) -> Party:
    """A party's result: summaries per outlet, and differences between the outlets naming it."""
    stance, by_voice, per_sentence = {}, {}, {}
    for label in labels:
        scores = sentence_scores(mentions, label)
        if not scores:
            continue
        per_sentence[label] = list(scores.values())
        stance[label] = aggregate.summarise(per_sentence[label])
        by_voice[label] = {
            voice: aggregate.summarise(list(v.values()))
            for voice in ("own", "quoted")
            if (v := sentence_scores(mentions, label, voice))
        }
    named = list(per_sentence)
    pairs = [
        aggregate.difference(a, per_sentence[a], b, per_sentence[b], found.name)
        for i, a in enumerate(named)
        for b in named[i + 1 :]
    ]
    versus_others = {}
    if len(named) >= 2:
        for label in named:
            others = [x for o in named if o != label for x in per_sentence[o]]
            versus_others[label] = aggregate.difference(
                aggregate.OTHERS, others, label, per_sentence[label], found.name
            )
    return Party(
        name=found.name,
        aliases=list(found.aliases),
        entity_type=found.entity_type,
        stance=stance,
        stance_by_voice=by_voice,
        judgment=judgments,
        pairs=pairs,
        versus_others=versus_others,
        descriptors=descriptors,
        descriptors_only=framing.only_in(descriptors),
        mentions=mentions,
    )


def alignment(
    articles: list[ParsedArticle], pairs: dict[tuple[int, int], list[Pair]], parties: list[Party]
) -> Alignment:
    """Map list positions back to sentence ids, attach per-party stance gaps to aligned
    pairs, and rank each article's unmatched sentences by how much they say about the parties."""
    ids = [[s.id for s in a.sentences if s.dropped is None] for a in articles]
    labels = [a.label for a in articles]
    per_sentence = [{p.name: sentence_scores(p.mentions, label) for p in parties} for label in labels]
    aligned, matched = [], [set() for _ in articles]
    for (i, j), found in sorted(pairs.items()):
        for k, m, sim in found:
            a, b = ids[i][k], ids[j][m]
            matched[i].add(a)
            matched[j].add(b)
            gaps = [
                PartyGap(p.name, per_sentence[i][p.name][a], per_sentence[j][p.name][b])
                for p in parties
                if a in per_sentence[i][p.name] and b in per_sentence[j][p.name]
            ]
            aligned.append(AlignedPair(labels[i], a, labels[j], b, round(float(sim), 4), gaps))

    def weight(side: int, sid: int) -> tuple[int, float]:
        hits = [s[sid] for s in per_sentence[side].values() if sid in s]
        return len(hits), max((abs(x) for x in hits), default=0.0)

    only_in = {
        labels[side]: sorted(
            (sid for sid in ids[side] if sid not in matched[side]),
            key=lambda s, side=side: weight(side, s),
            reverse=True,
        )
        for side in range(len(articles))
    }
    return Alignment(pairs=aligned, only_in=only_in, threshold=THRESHOLD)


def sentence_scores(mentions: Sequence[Mention], label: str, voice: str | None = None) -> dict[int, float]:
    """Per sentence, the mean score of the party's mentions in it: the unit every average
    and interval is taken over, so a sentence naming a party twice counts once."""
    by_sentence: dict[int, list[float]] = defaultdict(list)
    for m in mentions:
        if m.article == label and (voice is None or m.voice == voice):
            by_sentence[m.sentence].append(m.score)
    return {sid: fmean(v) for sid, v in by_sentence.items()}
