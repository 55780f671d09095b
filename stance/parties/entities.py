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

from stance.parties.gender import PRONOUN_GENDER, agrees, decide, first_name_gender, title_gender
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
from stance.parties.titles import TITLE_ANYWHERE, TITLE_BEFORE
from stance.sentences import ParsedArticle, quote_ranges

#: spaCy labels that name parties an outlet can take a stance toward.
LABELS = ("PERSON", "ORG", "GPE", "NORP")
#: Prepositions that take a place: "in X" is a place even when a person is named X.
_PLACE_PREPOSITIONS = frozenset({"in", "into", "across", "throughout", "inside", "outside", "near", "within", "around"})
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
        self._people: dict[tuple[int, int], set[str]] | None = None

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
                    if ent.label_ == "ORG":  # "UN Special Representative": the body is "UN"
                        span = _before_title(sent, span, titles)
                        if span is None:
                            continue
                        start, end = span.start_char - sent.start_char, span.end_char - sent.start_char
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
        people += [key for key in keys if key not in people and len(key.split()) > 1 and self.titled(key)]
        for key in keys:
            group = self.groups[key]
            if group.label in ("GPE", "NORP") and not self.person_like(key) and not self._surname_as_place(key):
                continue
            words = name_words(key)
            hosts = {
                self.find(other)
                for other in people
                if len(other.split()) > len(key.split()) and words <= name_words(other)
            }
            host = self._host(key, hosts)
            if host is not None:
                self.union(key, host)
        for long_key, acronym in self.defined:
            self.union(acronym, long_key)
        for key in keys:
            letters = self.groups[key].surface.replace(".", "")
            if not ACRONYM.fullmatch(self.groups[key].surface):
                continue
            spelled = {self.find(other) for other in keys if initials(self.groups[other].surface) == letters}
            if len(spelled) == 1:
                self.union(key, spelled.pop())

    def _host(self, key: str, hosts: set[str]) -> str | None:
        """The one longer name a part of a person's name belongs to, or None.

        Hosts whose gender disagrees with the part's are out ("Mrs. X" is not "John X").
        Among several (relatives sharing a surname), the most mentioned takes the part when
        it is mentioned at least twice as often as each other: a bare surname in news names
        the article's main bearer of it; else the part stays a party of its own.
        """
        mine = self.gender([key], min_votes=1)  # one clear "he" is enough to doubt a woman host
        members: dict[str, list[str]] = {}
        for other in self.groups:
            if self.find(other) in hosts:
                members.setdefault(self.find(other), []).append(other)
        fitting = [root for root in hosts if agrees(mine, self.gender(members[root]))]
        if len(fitting) == 1:
            return fitting[0]
        if len(fitting) < 2:
            return None
        sizes = sorted(((sum(len(self.groups[k].refs) for k in members[root]), root) for root in fitting), reverse=True)
        return sizes[0][1] if sizes[0][0] >= 2 * sizes[1][0] else None

    # -- who a group is ----------------------------------------------------------------
    def _surname_as_place(self, key: str) -> bool:
        """A one-word name tagged as a place that may be a person's surname the tagger
        mislabelled: never written as a place is ("in X", "across X")."""
        group = self.groups[key]
        if group.label != "GPE" or len(key.split()) != 1:
            return False
        return not any(
            ref.span.root.dep_ == "pobj" and ref.span.root.head.lower_ in _PLACE_PREPOSITIONS for ref in group.refs
        )

    def title_of(self, ref: Ref) -> str | None:
        """The title written right before a mention ("Mrs." in "Mrs. X"), lower case."""
        before = ref.span.doc.text[max(0, ref.span.start_char - 60) : ref.span.start_char]
        match = TITLE_BEFORE.search(before)
        return match.group(1).lower() if match else None

    def titled(self, key: str) -> bool:
        """Whether a person's title was written before one of the group's mentions."""
        return any(self.title_of(ref) for ref in self.groups[key].refs)

    def person_like(self, key: str) -> bool:
        """Tagged a person at least once, or written after a person's title ("Chancellor X"
        tagged as an organisation or a place is still a person)."""
        return "PERSON" in self.groups[key].labels or self.titled(key)

    def fits_gender(self, gender: str | None, ref: Ref, keys: set[str]) -> bool:
        """Whether a bare-name mention can be a person of ``gender``: no title of the other
        gender before it ("Mrs."), no pronouns only of the other gender around it."""
        title = self.title_of(ref)
        said = title_gender(title.split()[-1]) if title else None
        return agrees(gender, said) and agrees(gender, self.pronoun_vote(keys, ref))

    def gender(self, keys: list[str], min_votes: int = 2) -> str | None:
        """The gender of the person the groups ``keys`` name (see :mod:`.gender`)."""
        strong: list[str | None] = []
        votes: list[str | None] = []
        for key in keys:
            words = key.split()
            if len(words) > 1 and not COORDINATED & set(words) and self.person_like(key):
                strong.append(first_name_gender(words[0]))
            for ref in self.groups[key].refs:
                title = self.title_of(ref)
                if title:
                    strong.append(title_gender(title.split()[-1]))
                votes.append(self.pronoun_vote(set(keys), ref))
        return decide(votes, strong, min_votes)

    def pronoun_vote(self, keys: set[str], ref: Ref) -> str | None:
        """The gender of the pronouns in a mention's sentence when it is the only person
        named there (no group outside ``keys``) and those pronouns agree (outside quotes,
        as the mention is)."""
        if ref.quote is not None:
            return None
        others = self._people_at().get((ref.article, ref.sentence), set()) - keys
        if others:
            return None
        sent = self.articles[ref.article].spans[ref.sentence]
        genders = {PRONOUN_GENDER[t.lower_] for t in sent if t.lower_ in PRONOUN_GENDER and self.quote_of(t) is None}
        return genders.pop() if len(genders) == 1 else None

    def _people_at(self) -> dict[tuple[int, int], set[str]]:
        if self._people is None:
            self._people = {}
            for key, group in self.groups.items():
                if self.person_like(key):
                    for ref in group.refs:
                        self._people.setdefault((ref.article, ref.sentence), set()).add(key)
        return self._people

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


def _before_title(sent: Span, span: Span, titles: list[tuple[int, int]]) -> Span | None:
    """An organisation the tagger ran into the title of the person named next ("UN Special
    Representative of the Secretary-General Jane Roe", "County Sheriff Joe Arpaio") names a
    role: only the words before the title name the body, if any do. A title word that is
    not followed by a person's name is part of the organisation's name ("Burger King")."""
    head = span.root.idx - sent.start_char
    title = next((s for s, e in titles if s <= head < e), None)
    if title is None:
        return span
    people = [
        e.start_char - sent.start_char for e in sent.ents if e.label_ == "PERSON" and e.start_char >= span.end_char
    ]
    chains = (TITLE_BEFORE.search(sent.text[:start]) for start in people)
    if not any(chain and chain.start(1) == title for chain in chains):
        return span
    if title <= span.start_char - sent.start_char:
        return None
    return sent.char_span(span.start_char - sent.start_char, title, alignment_mode="contract") or None


def not_a_party(span: Span, label: str) -> bool:
    """Entities the tagger gets wrong in ways that would make junk parties.

    - A nationality, religious or political adjective used as one ("the Libyan capital",
      "Islamist militants", "he is Turkish"): it describes a thing, not a party. What is
      kept is the group word used as a noun, a people or a movement ("Libyans said",
      "the Islamists"); it stays a party of its own, apart from the country. A lone
      adjective the tagger labelled an organisation is dropped alike.
    - A "person" that is only one or two initials with dots (an abbreviation the tagger
      read as a name).
    """
    root = span.root
    if label == "NORP":
        return root.pos_ == "ADJ" or root.dep_ in ("amod", "compound", "nmod", "npadvmod", "acomp")
    if len(span) == 1 and root.pos_ == "ADJ":  # the same adjective, tagged as an organisation
        return True
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
