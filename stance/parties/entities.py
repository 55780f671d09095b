"""Finding entities: spaCy's names in the articles, grouped by key and merged into parties.

Every entity with a party label becomes a mention of its normalised name (its group);
groups that name one party are merged (a surname with the one full name it belongs to,
plural nationalities, middle initials, nicknames, acronyms). Datelines, titles and
title-case headlines are skipped: they are where the tagger invents names.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from stance.parties.model import FoundMention
from stance.parties.names import (
    ACRONYM,
    COORDINATED,
    MIDDLE_INITIAL,
    initials,
    name_span,
    name_words,
    normalise,
    same_person_by_nickname,
)
from stance.parties.titles import TITLE_ANYWHERE
from stance.sentences import ParsedArticle, quote_ranges

#: spaCy labels that name parties an outlet can take a stance toward.
LABELS = ("PERSON", "ORG", "GPE", "NORP")
_INITIALS_ONLY = re.compile(r"(?:[A-Za-z]\.){1,2}")
DEFINED_ACRONYM = re.compile(r"\s*\(\s*([A-Z][A-Za-z.&]{1,9})\s*\)")

#: "KYIV (Reuters) -", "WASHINGTON --", "BEIJING, Nov. 5 (Xinhua) --": the place (in
#: capitals) a story was filed from, opening a paragraph; not a mention of that place.
DATELINE = re.compile(
    r"^[A-Z][A-Z.'’/-]*(?:[ ,]+[A-Z][A-Z.'’/-]*)*(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
    r"(?:\s*\([^()]{1,40}\))?\s*[-–—]+\s"
)


@dataclass
class Ref:
    """A mention while parties are being built, with the tokens it covers."""

    article: int
    sentence: int
    span: Span
    kind: str
    #: (doc id, start) of the quotation it sits in; None outside quotes.
    quote: tuple[int, int] | None


@dataclass
class Group:
    """Mentions whose names normalise to one key; merged groups make a party."""

    refs: list[Ref] = field(default_factory=list)
    labels: Counter[str] = field(default_factory=Counter)
    surfaces: Counter[str] = field(default_factory=Counter)

    @property
    def label(self) -> str:
        return self.labels.most_common(1)[0][0] if self.labels else ""

    @property
    def surface(self) -> str:
        return self.surfaces.most_common(1)[0][0] if self.surfaces else ""


@dataclass
class Party:
    name: str
    aliases: list[str]
    entity_type: str
    groups: list[Group]
    #: Names the user gave (``--party``): matched in the text whatever their case.
    given: tuple[str, ...] = ()

    def refs(self) -> list[Ref]:
        return [ref for group in self.groups for ref in group.refs]


class Finder:
    """The state of one :func:`find_parties` call: groups of mentions and how they merge."""

    def __init__(self, articles: list[ParsedArticle]) -> None:
        self.articles = articles
        self.groups: dict[str, Group] = {}
        self.parent: dict[str, str] = {}
        #: (long name key, acronym key) for each "Long Name (ACR)".
        self.defined: list[tuple[str, str]] = []
        #: Character ranges (per article and sentence) that no alias may claim.
        self.taken: dict[tuple[int, int], list[tuple[int, int]]] = {}
        self._quotes: dict[int, list[tuple[int, int]]] = {}

    # -- collecting ------------------------------------------------------------------
    def collect_entities(self) -> None:
        for a, article in enumerate(self.articles):
            for sid, sent in article.spans.items():
                if title_case_line(sent.text):
                    continue
                titles = [(m.start(), m.end()) for m in TITLE_ANYWHERE.finditer(sent.text)]
                taken = self.taken.setdefault((a, sid), [])
                dateline = DATELINE.match(sent.text) if sent.start_char == 0 else None
                if dateline:
                    titles.append((0, dateline.end()))
                    taken.append((0, dateline.end()))
                for ent in sent.ents:
                    span = name_span(ent) if ent.label_ in LABELS else None
                    if span is None or not_a_party(span, ent.label_):
                        continue
                    start, end = span.start_char - sent.start_char, span.end_char - sent.start_char
                    if any(s <= start and end <= e for s, e in titles):  # in a title or dateline
                        continue
                    if any(s < span.end_char and span.start_char < e for s, e in taken):
                        continue
                    taken.append((span.start_char, span.end_char))
                    self.add(normalise(span.text), span.text, ent.label_, self.ref(a, sid, span, "name"))
                    self.note_definition(span, taken)

    def note_definition(self, span: Span, taken: list[tuple[int, int]]) -> None:
        """Read "Government of National Accord (GNA)" as defining the acronym: the two
        names merge, and the "(GNA)" itself is a definition, not another mention."""
        match = DEFINED_ACRONYM.match(span.doc.text, span.end_char) if len(span) > 1 else None
        if match is None or not ACRONYM.fullmatch(match.group(1)):
            return
        acronym = match.group(1)
        self.defined.append((normalise(span.text), normalise(acronym)))
        self.group(normalise(acronym)).surfaces[acronym] += 0
        taken.append((match.start(1), match.end(1)))

    def ref(self, a: int, sid: int, span: Span, kind: str) -> Ref:
        return Ref(a, sid, span, kind, self.quote_of(span[0]))

    def quote_of(self, token: Token) -> tuple[int, int] | None:
        doc = token.doc
        if id(doc) not in self._quotes:
            self._quotes[id(doc)] = quote_ranges(doc.text)
        for start, end in self._quotes[id(doc)]:
            if start <= token.idx < end:
                return (id(doc), start)
        return None

    def add(self, key: str, surface: str, label: str, ref: Ref) -> None:
        group = self.group(key)
        group.refs.append(ref)
        group.surfaces[" ".join(surface.split())] += 1
        group.labels[label] += 1

    def group(self, key: str) -> Group:
        if key not in self.groups:
            self.groups[key] = Group()
            self.parent[key] = key
        return self.groups[key]

    # -- merging ---------------------------------------------------------------------
    def find(self, key: str) -> str:
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)

    def merge(self) -> None:
        """Join groups that name one party: plural nationalities ("Libyans"), a name with
        and without a middle initial ("Raúl R. Labrador"), a first name and its common
        nickname ("Richard Blumenthal", "Dick Blumenthal"), parts of one longer person name
        ("Haftar"), acronyms defined in parentheses or spelling a name's initials ("LNA")."""
        keys = list(self.groups)
        for key in keys:
            if self.groups[key].label == "NORP" and key.endswith("s") and key[:-1] in self.groups:
                if self.groups[key[:-1]].label == "NORP":
                    self.union(key, key[:-1])
        for key in keys:
            plain = MIDDLE_INITIAL.sub(" ", key)
            if plain != key and plain in self.groups and "PERSON" in self.groups[key].labels:
                self.union(key, plain)
        people = [
            key
            for key in keys
            if self.groups[key].label == "PERSON" and len(key.split()) > 1 and not COORDINATED & set(key.split())
        ]
        for key, other in itertools.combinations(people, 2):
            if same_person_by_nickname(key, other):
                self.union(key, other)
        for key in keys:
            group = self.groups[key]
            if group.label in ("GPE", "NORP") and "PERSON" not in group.labels:
                continue
            words = name_words(key)
            hosts = {
                self.find(other)
                for other in people
                if len(other.split()) > len(key.split()) and words <= name_words(other)
            }
            if len(hosts) == 1:
                self.union(key, hosts.pop())
        for long_key, acronym in self.defined:
            self.union(acronym, long_key)
        for key in keys:
            letters = self.groups[key].surface.replace(".", "")
            if not ACRONYM.fullmatch(self.groups[key].surface):
                continue
            spelled = {self.find(other) for other in keys if initials(self.groups[other].surface) == letters}
            if len(spelled) == 1:
                self.union(key, spelled.pop())

    def mentions(self, party: Party) -> list[FoundMention]:
        found: dict[tuple[int, int, int], FoundMention] = {}
        for ref in party.refs():
            sent = self.articles[ref.article].spans[ref.sentence]
            start, end = ref.span.start_char - sent.start_char, ref.span.end_char - sent.start_char
            found.setdefault(
                (ref.article, ref.sentence, start),
                FoundMention(ref.article, ref.sentence, start, end, ref.span.text, ref.kind),
            )
        return [found[key] for key in sorted(found)]


def not_a_party(span: Span, label: str) -> bool:
    """Entities the tagger gets wrong in ways that would make junk parties.

    - A nationality, religious or political adjective used as one ("the Libyan capital",
      "Islamist militants", "he is Turkish"): it describes a thing, not a party. What is
      kept is the group word used as a noun, a people or a movement ("Libyans said",
      "the Islamists"); it stays a party of its own, apart from the country.
    - A "person" that is only one or two initials with dots (an abbreviation the tagger
      read as a name).
    """
    if label == "NORP":
        root = span.root
        return root.pos_ == "ADJ" or root.dep_ in ("amod", "compound", "nmod", "npadvmod", "acomp")
    if label == "PERSON":
        return bool(_INITIALS_ONLY.fullmatch(span.text.replace(" ", "")))
    return False


def title_case_line(text: str) -> bool:
    """A headline in title case ("Sheriff Endorses Governor For President"): the tagger
    reads its capitalised common words as names, so such a line names no new party
    (names found elsewhere still match in it). Sentences end in punctuation; these do not."""
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", text) if len(w) > 3]
    if not words or len(text.split()) > 25 or text.rstrip()[-1:] in ".!?\"”’'":
        return False
    return sum(w[0].isupper() for w in words) >= 0.6 * len(words)
