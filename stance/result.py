"""The result of a comparison: plain data that every renderer reads and nothing else writes.

``compare()`` builds one :class:`Comparison`; the terminal, JSON and HTML renderers only
read it. ``to_dict()`` gives the JSON form documented in the README (``SCHEMA_VERSION``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

SCHEMA_VERSION = "1.0"


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
    label: str
    path: str | None
    sentences: list[Sentence]


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
    """Mean stance of ``b`` minus that of ``a``, with its interval.

    ``verdict`` is a plain-words sentence only when the interval excludes zero and each
    side rests on at least two sentences; otherwise ``None``.
    """

    a: str
    b: str
    mean: float
    low: float
    high: float
    verdict: str | None


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
    #: Article label -> summary over all sentences, absent when that outlet never mentions it.
    stance: dict[str, Summary]
    #: Article label -> voice ("own" / "quoted") -> summary.
    stance_by_voice: dict[str, dict[str, Summary]]
    difference: Difference | None
    descriptors: dict[str, list[Descriptor]]
    #: Article label -> descriptor texts that only this outlet uses for the party.
    descriptors_only: dict[str, list[str]]
    mentions: list[Mention]
    entity_type: str = ""


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
    a: int
    b: int
    similarity: float
    gaps: list[PartyGap] = field(default_factory=list)


@dataclass(frozen=True)
class Alignment:
    pairs: list[AlignedPair]
    #: Article label -> ids of sentences with no counterpart in the other article,
    #: most important first (most party mentions, strongest stance).
    only_in: dict[str, list[int]]
    threshold: float


@dataclass(frozen=True)
class Comparison:
    articles: list[Article]
    parties: list[Party]
    alignment: Alignment
    model: str
    schema_version: str = SCHEMA_VERSION

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

    def article(self, label: str) -> Article:
        return next(a for a in self.articles if a.label == label)

    def ranked_parties(self) -> list[Party]:
        """Parties in reading order for every renderer: compared on at least two sentences
        per outlet, largest difference first; then compared on a single sentence somewhere
        (their difference means little); then named by one outlet, most mentioned first."""

        def key(party: Party) -> tuple[int, float, str]:
            d = party.difference
            if d is None:
                return (2, -sum(s.n for s in party.stance.values()), party.name.casefold())
            thin = min(s.n for s in party.stance.values()) < 2
            return (int(thin), -abs(d.mean), party.name.casefold())

        return sorted(self.parties, key=key)
