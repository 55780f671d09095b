"""The result of a comparison of two or more articles: plain data that every renderer reads
and nothing else writes.

:func:`stance.pipeline.analyse` builds one :class:`Comparison`; the terminal, JSON and HTML
renderers only read it. ``to_dict()`` gives the JSON form documented in the README
(``SCHEMA_VERSION``). Two articles are the special case of N: nothing here assumes two.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

SCHEMA_VERSION = "2.0"


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article, or a dropped piece of boilerplate (``dropped`` = why)."""

    id: int
    text: str
    dropped: str | None = None
    #: Index of the paragraph (cleaned block) it came from, for layout.
    paragraph: int = 0


@dataclass(frozen=True)
class Article:
    """One outlet's article; ``path`` is the file or URL it came from, ``language`` an
    ISO 639-1 code (None when not detected)."""

    label: str
    path: str | None
    sentences: list[Sentence]
    title: str | None = None
    date: str | None = None
    site: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class Mention:
    """One mention of a party in one sentence, with the model's stance toward it.

    ``start``/``end`` are character offsets into the sentence's text. ``kind`` is ``name``
    for a name or alias, ``pronoun`` or ``epithet`` for a resolved reference.
    """

    article: str
    sentence: int
    start: int
    end: int
    text: str
    kind: str
    voice: str
    speaker: str | None
    probs: dict[str, float]
    score: float


@dataclass(frozen=True)
class Summary:
    """Mean signed stance over sentences, with a 95% bootstrap interval and its count."""

    mean: float
    low: float
    high: float
    n: int


@dataclass(frozen=True)
class Judgment:
    """How one article treats one party as a whole: class probabilities and the evidence.

    ``probs`` has ``negative``, ``neutral`` and ``positive`` summing to one; ``label`` is
    the most probable class; ``evidence`` lists the sentence ids that weigh most in the
    judgment, strongest first, so every label can be traced to sentences a reader can check.
    """

    probs: dict[str, float]
    label: str
    evidence: list[int]


@dataclass(frozen=True)
class Difference:
    """Mean stance of ``b`` minus that of ``a``, with its interval and the sentence counts.

    ``a`` is an article label, or ``"others"`` for the pooled sentences of every other
    outlet. ``verdict`` is a plain-words sentence only when the interval excludes zero and
    each side rests on at least two sentences; otherwise ``None``.
    """

    a: str
    b: str
    mean: float
    low: float
    high: float
    verdict: str | None
    n_a: int
    n_b: int


@dataclass(frozen=True)
class Descriptor:
    """A word or phrase an outlet uses to label a party, and where it was found."""

    text: str
    kind: str
    sentence: int


@dataclass(frozen=True)
class Party:
    name: str
    aliases: list[str]
    entity_type: str
    #: Article label -> summary over all sentences, absent when that outlet never mentions it.
    stance: dict[str, Summary]
    #: Article label -> voice ("own" / "quoted") -> summary.
    stance_by_voice: dict[str, dict[str, Summary]]
    #: Article label -> how that article treats the party as a whole.
    judgment: dict[str, Judgment]
    #: Every pair of outlets that both mention the party, in article order.
    pairs: list[Difference]
    #: Article label -> that outlet against the pooled sentences of the others (``a == "others"``).
    versus_others: dict[str, Difference]
    descriptors: dict[str, list[Descriptor]]
    #: Article label -> descriptor texts that only this outlet uses for the party.
    descriptors_only: dict[str, list[str]]
    mentions: list[Mention]

    @property
    def difference(self) -> Difference | None:
        """The pair's difference when exactly two outlets mention the party (always so when
        two articles are compared): then "each against the others" is that pair; else None."""
        return self.pairs[0] if len(self.pairs) == 1 else None

    @property
    def spread(self) -> float:
        """The largest distance of one outlet from the others: what ranks the parties."""
        return max((abs(d.mean) for d in self.versus_others.values()), default=0.0)

    @property
    def fewest(self) -> int:
        """Sentences of the outlet that mentions the party least (0 when none does)."""
        return min((s.n for s in self.stance.values()), default=0)


@dataclass(frozen=True)
class PartyGap:
    """An aligned pair's stance toward one party both sentences mention."""

    party: str
    score_a: float
    score_b: float

    @property
    def gap(self) -> float:
        return self.score_b - self.score_a


@dataclass(frozen=True)
class AlignedPair:
    """Sentence ``a_sentence`` of article ``a`` says what ``b_sentence`` of ``b`` says."""

    a: str
    a_sentence: int
    b: str
    b_sentence: int
    similarity: float
    gaps: list[PartyGap] = field(default_factory=list)


@dataclass(frozen=True)
class Alignment:
    #: Aligned sentences of every pair of articles, in article order.
    pairs: list[AlignedPair]
    #: Article label -> ids of sentences no other article has a counterpart for,
    #: most important first (most party mentions, strongest stance).
    only_in: dict[str, list[int]]
    threshold: float


@dataclass(frozen=True)
class Comparison:
    articles: list[Article]
    #: In the order every renderer shows them (:meth:`ranked_parties`).
    parties: list[Party]
    alignment: Alignment
    model: str
    #: How the model computed (:data:`stance.compute.PATHS`: ``bf16``, ``onnx-int8`` …):
    #: scores differ slightly between paths, so a report says which one made them.
    compute_path: str = ""
    schema_version: str = SCHEMA_VERSION

    @property
    def labels(self) -> list[str]:
        return [a.label for a in self.articles]

    def to_dict(self) -> dict:
        """The JSON form: dataclasses as objects, with each descriptor list as plain strings
        under ``descriptors`` and the full records under ``descriptor_details``."""
        data = asdict(self)
        for party, raw in zip(self.parties, data["parties"], strict=True):
            raw["descriptor_details"] = raw.pop("descriptors")
            raw["descriptors"] = {label: [d.text for d in ds] for label, ds in party.descriptors.items()}
        for pair, raw in zip(self.alignment.pairs, data["alignment"]["pairs"], strict=True):
            for gap, raw_gap in zip(pair.gaps, raw["gaps"], strict=True):
                raw_gap["gap"] = gap.gap
        return data

    def to_json(self, indent: int | None = 2) -> str:
        """The JSON document ``stance compare --json`` prints (schema in the README)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def __repr__(self) -> str:
        mentions = sum(len(p.mentions) for p in self.parties)
        return (
            f"<Comparison of {len(self.articles)} articles ({', '.join(map(repr, self.labels))}): "
            f"{len(self.parties)} parties, {mentions} mentions, {len(self.alignment.pairs)} aligned pairs; "
            f"model {self.model!r}>"
        )

    def article(self, label: str) -> Article:
        return next(a for a in self.articles if a.label == label)

    def ranked_parties(self) -> list[Party]:
        """Parties in reading order for every renderer: named by at least two outlets on at
        least two sentences each, the one where an outlet stands furthest from the others
        first; then compared on a single sentence somewhere (their difference means little);
        then named by one outlet, most mentioned first; then given but found nowhere."""
        return sorted(self.parties, key=rank_key)


def rank_key(party: Party) -> tuple[int, float, str]:
    """Sort key of :meth:`Comparison.ranked_parties`."""
    if len(party.stance) < 2:
        group = 2 if party.stance else 3
        return (group, -sum(s.n for s in party.stance.values()), party.name.casefold())
    return (int(party.fewest < 2), -party.spread, party.name.casefold())
