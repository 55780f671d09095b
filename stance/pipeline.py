"""The pipeline: two texts in, a :class:`~stance.result.Comparison` out.

load → clean → sentences → parties → stance → alignment → framing → aggregate. Each stage
lives in its own module; this one only wires them and joins their outputs.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from statistics import fmean

from stance import aggregate, alignment, framing
from stance.errors import StanceError
from stance.nli import load
from stance.parties import FoundMention, FoundParty, PartySpec, find_parties
from stance.result import (
    AlignedPair,
    Alignment,
    Article,
    Comparison,
    Mention,
    Party,
    PartyGap,
)
from stance.scoring import Target, score
from stance.sentences import ParsedArticle, parse
from stance.voice import voice_of


def compare(
    text_a: str,
    text_b: str,
    *,
    label_a: str = "A",
    label_b: str = "B",
    path_a: str | None = None,
    path_b: str | None = None,
    parties: Sequence[PartySpec] = (),
    only_given: bool = False,
    model: str | None = None,
    timings: dict[str, float] | None = None,
) -> Comparison:
    """Compare how two articles treat the parties they both name.

    ``parties`` adds parties or fixes their aliases; with ``only_given`` no other party
    is reported. ``model`` is a local NLI model directory or a Hugging Face id
    (default: the embedded model). ``timings``, when given, receives seconds per stage
    (model loads included on first use), for ``make bench``.
    """
    clock = _Clock(timings)
    if label_a == label_b:
        raise StanceError(f"both articles are labelled {label_a!r}; give them different labels")
    if " ".join(text_a.split()) == " ".join(text_b.split()):
        raise StanceError("the two articles are the same text; compare two different articles")
    with clock("parse"):
        articles = [parse(text_a, label_a, path_a), parse(text_b, label_b, path_b)]
    for art in articles:
        if not any(s.dropped is None for s in art.sentences):
            raise StanceError(f"{art.path or art.label}: no reporting text left after removing boilerplate")
    with clock("parties"):
        found = find_parties(articles, parties, only_given)
    if not found:
        raise StanceError(
            "no parties (people, organisations, countries) found in either article; name them with --party"
        )
    shared = [p for p in found if {m.article for m in p.mentions} == {0, 1}]
    if not shared:
        names = [
            ", ".join(p.name for p in found if {m.article for m in p.mentions} == {i})[:120] or "none" for i in (0, 1)
        ]
        raise StanceError(
            f"no party is named in both articles ({label_a}: {names[0]}; {label_b}: {names[1]}); "
            "are they about the same event? Name a party with --party NAME=ALIAS,…"
        )
    with clock("stance"):
        nli = load(model)
        mentions = score_mentions(nli, articles, found)
    with clock("alignment"):
        pairs, only_a, only_b = alignment.align(_kept_texts(articles[0]), _kept_texts(articles[1]))
    with clock("framing"):
        descriptors = framing.descriptors(articles, found)
    with clock("aggregate"):
        result_parties = [
            _party(p, ms, ds, label_a, label_b) for p, ms, ds in zip(found, mentions, descriptors, strict=True)
        ]
        aligned = _alignment(articles, pairs, only_a, only_b, result_parties)
    return Comparison(
        articles=[Article(a.label, a.path, a.sentences) for a in articles],
        parties=result_parties,
        alignment=aligned,
        model=nli.name,
    )


class _Clock:
    """Adds each stage's wall time to a caller's dict; does nothing without one."""

    def __init__(self, sink: dict[str, float] | None) -> None:
        self.sink = sink

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        if self.sink is not None:
            self.sink[stage] = self.sink.get(stage, 0.0) + time.perf_counter() - start


def _kept_ids(article: ParsedArticle) -> list[int]:
    return [s.id for s in article.sentences if s.dropped is None]


def _kept_texts(article: ParsedArticle) -> list[str]:
    return [s.text for s in article.sentences if s.dropped is None]


def score_mentions(nli, articles: list[ParsedArticle], found: list[FoundParty]) -> list[list[Mention]]:
    """Score every mention of every party in one batched model call."""
    flat = [(i, m) for i, p in enumerate(found) for m in p.mentions]
    targets = [mention_target(articles[m.article].sentences[m.sentence].text, m, found[i].name) for i, m in flat]
    stances = score(nli, targets)
    out: list[list[Mention]] = [[] for _ in found]
    for (i, m), st in zip(flat, stances, strict=True):
        art = articles[m.article]
        voice, speaker = voice_of(art, m.sentence, m.start, m.end)
        out[i].append(
            Mention(
                article=art.label,
                sentence=m.sentence,
                start=m.start,
                end=m.end,
                text=m.text,
                kind=m.kind,
                voice=voice,
                speaker=speaker,
                probs=st.probs,
                score=st.score,
            )
        )
    return out


def mention_target(sentence: str, mention: FoundMention | Mention, party: str) -> Target:
    """What the model is asked about one mention: a name as written, a pronoun or epithet
    by the party's name."""
    return Target(sentence, mention.start, mention.end, None if mention.kind == "name" else party)


def sentence_scores(mentions: Sequence[Mention], label: str, voice: str | None = None) -> dict[int, float]:
    """Per sentence, the mean score of the party's mentions in it: the unit every average
    and interval is taken over, so a sentence naming a party twice counts once."""
    by_sentence: dict[int, list[float]] = defaultdict(list)
    for m in mentions:
        if m.article == label and (voice is None or m.voice == voice):
            by_sentence[m.sentence].append(m.score)
    return {sid: fmean(v) for sid, v in by_sentence.items()}


def _party(found: FoundParty, mentions, descriptors, label_a: str, label_b: str) -> Party:
    stance, by_voice, per_sentence = {}, {}, {}
    for label in (label_a, label_b):
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
    difference = None
    if len(stance) == 2:
        difference = aggregate.difference(
            label_a,
            per_sentence[label_a],
            label_b,
            per_sentence[label_b],
            found.name,
        )
    return Party(
        name=found.name,
        aliases=list(found.aliases),
        stance=stance,
        stance_by_voice=by_voice,
        difference=difference,
        descriptors=descriptors,
        descriptors_only=framing.only_in(descriptors),
        mentions=mentions,
        entity_type=found.entity_type,
    )


def _alignment(articles, pairs, only_a, only_b, parties: list[Party]) -> Alignment:
    """Map list positions back to sentence ids, attach per-party stance gaps to aligned
    pairs, and rank unmatched sentences by how much they say about the parties."""
    ids = [_kept_ids(a) for a in articles]
    labels = [a.label for a in articles]
    per_sentence = [{p.name: sentence_scores(p.mentions, label) for p in parties} for label in labels]
    aligned = []
    for i, j, sim in pairs:
        a, b = ids[0][i], ids[1][j]
        gaps = [
            PartyGap(p.name, per_sentence[0][p.name][a], per_sentence[1][p.name][b])
            for p in parties
            if a in per_sentence[0][p.name] and b in per_sentence[1][p.name]
        ]
        aligned.append(AlignedPair(a=a, b=b, similarity=round(float(sim), 4), gaps=gaps))

    def weight(side: int, sid: int) -> tuple[int, float]:
        hits = [s[sid] for s in per_sentence[side].values() if sid in s]
        return len(hits), max((abs(x) for x in hits), default=0.0)

    only_in = {
        labels[side]: sorted((ids[side][k] for k in unmatched), key=lambda s, side=side: weight(side, s), reverse=True)
        for side, unmatched in ((0, only_a), (1, only_b))
    }
    return Alignment(pairs=aligned, only_in=only_in, threshold=alignment.THRESHOLD)
