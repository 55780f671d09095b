"""Parties stage: find the people, organisations, places and groups both articles name.

A comparison is only fair when each party is *one* party across both outlets: "Khalifa
Haftar", "Haftar's" and "General Haftar" must pool their mentions, "GNA" must join
"Government of National Accord", and a tagger slip (one "Haftar" labelled ORG) must not
split a person in two. So names are normalised (possessive, leading "the" and titles
dropped), merged by surface form whatever spaCy's label, shorter person names join the
one longer name they are part of, and acronyms join the name whose initials they spell.

spaCy misses some occurrences of names it found elsewhere, so every other occurrence of a
known alias becomes a mention too, and "he"/"him" or "the strongman" count as mentions
when one person party is the clear referent nearby. Those rules are deliberately
conservative: an unresolved pronoun costs one data point, a wrong one puts the outlet's
words about someone else on the party's account.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from stance.errors import StanceError
from stance.parties.names import MIDDLE_INITIAL, PARTICLE, compact, fold, normalise, same_person_by_nickname
from stance.parties.titles import (
    ROLE_NOUNS,
    ROLE_SUFFIX,
    TITLE_ANYWHERE,
    TITLE_BEFORE,
    TITLE_PREFIX,
    TITLE_SUFFIX,
    TITLES,
)
from stance.sentences import ParsedArticle, nlp, quote_ranges

__all__ = [
    "LABELS",
    "TITLES",
    "TITLE_ANYWHERE",
    "TITLE_BEFORE",
    "FoundMention",
    "FoundParty",
    "PartySpec",
    "compact",
    "find_parties",
    "fold",
    "name_span",
    "normalise",
]

#: spaCy labels that name parties an outlet can take a stance toward.
LABELS = ("PERSON", "ORG", "GPE", "NORP")

#: Words joining several people in one entity ("Sasha and Malia Obama"): such a name is
#: no one person, so "Obama" alone must not join it.
_COORDINATED = frozenset({"and", "&"})
_FUNCTION_WORDS = frozenset({"of", "the", "and", "for", "on", "in", "at", "to", "a", "an", "de", "du", "la", "le"})
_ACRONYM = re.compile(r"[A-Z]{2,6}|(?:[A-Z]\.){2,6}")
_DEFINED_ACRONYM = re.compile(r"\s*\(\s*([A-Z][A-Za-z.&]{1,9})\s*\)")

#: "KYIV (Reuters) -", "WASHINGTON --", "BEIJING, Nov. 5 (Xinhua) --": the place (in
#: capitals) a story was filed from, opening a paragraph; not a mention of that place.
_DATELINE = re.compile(
    r"^[A-Z][A-Z.'’/-]*(?:[ ,]+[A-Z][A-Z.'’/-]*)*(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
    r"(?:\s*\([^()]{1,40}\))?\s*[-–—]+\s"
)
_PRONOUNS = frozenset({"he", "him", "his", "himself", "she", "her", "hers", "herself"})
_REFLEXIVES = frozenset({"himself", "herself"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_RELATIVE_PRONOUNS = frozenset({"who", "that", "which", "whom"})


@dataclass(frozen=True)
class PartySpec:
    """A party the user names, with the other names it goes by."""

    name: str
    aliases: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> PartySpec:
        """Read ``"Khalifa Haftar=Haftar,General Haftar"`` (the ``=ALIASES`` part is optional)."""
        name, _, rest = text.partition("=")
        name = " ".join(name.split())
        if not name:
            raise StanceError(f"party {text!r} has no name; write NAME or NAME=ALIAS,ALIAS")
        aliases = tuple(" ".join(alias.split()) for alias in rest.split(",") if alias.strip())
        return cls(name, aliases)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class FoundMention:
    """Where a party is mentioned: ``start``/``end`` are offsets into the sentence's text."""

    article: int
    sentence: int
    start: int
    end: int
    text: str
    #: "name" for a name or alias, "pronoun" or "epithet" for a resolved reference.
    kind: str


@dataclass
class FoundParty:
    """A party with every mention of it in either article, in reading order."""

    name: str
    aliases: list[str]
    #: spaCy label most of its names carried (PERSON, ORG, GPE, NORP), "" when unknown.
    entity_type: str
    mentions: list[FoundMention]


def find_parties(
    articles: list[ParsedArticle], given: Sequence[PartySpec] = (), only_given: bool = False
) -> list[FoundParty]:
    """Every party named in ``articles``, with all its mentions, most mentioned first.

    ``given`` adds parties or fixes their aliases (a spec joins every found party one of
    its names matches); ``only_given`` keeps only those.
    """
    finder = _Finder(articles)
    finder.collect_entities()
    finder.merge()
    parties = finder.parties(given, only_given)
    finder.add_alias_occurrences(parties)
    finder.add_head_nouns(parties)
    finder.resolve_references(parties)
    found = [FoundParty(party.name, party.aliases, party.entity_type, finder.mentions(party)) for party in parties]
    return sorted(found, key=lambda party: -len(party.mentions))


@dataclass
class _Ref:
    """A mention while parties are being built, with the tokens it covers."""

    article: int
    sentence: int
    span: Span
    kind: str
    #: (doc id, start) of the quotation it sits in; None outside quotes.
    quote: tuple[int, int] | None


@dataclass
class _Group:
    """Mentions whose names normalise to one key; merged groups make a party."""

    refs: list[_Ref] = field(default_factory=list)
    labels: Counter[str] = field(default_factory=Counter)
    surfaces: Counter[str] = field(default_factory=Counter)

    @property
    def label(self) -> str:
        return self.labels.most_common(1)[0][0] if self.labels else ""

    @property
    def surface(self) -> str:
        return self.surfaces.most_common(1)[0][0] if self.surfaces else ""


@dataclass
class _Party:
    name: str
    aliases: list[str]
    entity_type: str
    groups: list[_Group]
    #: Names the user gave (``--party``): matched in the text whatever their case.
    given: tuple[str, ...] = ()

    def refs(self) -> list[_Ref]:
        return [ref for group in self.groups for ref in group.refs]


class _Finder:
    """The state of one :func:`find_parties` call: groups of mentions and how they merge."""

    def __init__(self, articles: list[ParsedArticle]) -> None:
        self.articles = articles
        self.groups: dict[str, _Group] = {}
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
                if _title_case_line(sent.text):
                    continue
                titles = [(m.start(), m.end()) for m in TITLE_ANYWHERE.finditer(sent.text)]
                taken = self.taken.setdefault((a, sid), [])
                dateline = _DATELINE.match(sent.text) if sent.start_char == 0 else None
                if dateline:
                    titles.append((0, dateline.end()))
                    taken.append((0, dateline.end()))
                for ent in sent.ents:
                    span = name_span(ent) if ent.label_ in LABELS else None
                    if span is None:
                        continue
                    start, end = span.start_char - sent.start_char, span.end_char - sent.start_char
                    if any(s <= start and end <= e for s, e in titles):  # in a title or dateline
                        continue
                    if any(s < span.end_char and span.start_char < e for s, e in taken):
                        continue
                    taken.append((span.start_char, span.end_char))
                    self._add(normalise(span.text), span.text, ent.label_, self._ref(a, sid, span, "name"))
                    self._note_definition(span, taken)

    def _note_definition(self, span: Span, taken: list[tuple[int, int]]) -> None:
        """Read "Government of National Accord (GNA)" as defining the acronym: the two
        names merge, and the "(GNA)" itself is a definition, not another mention."""
        match = _DEFINED_ACRONYM.match(span.doc.text, span.end_char) if len(span) > 1 else None
        if match is None or not _ACRONYM.fullmatch(match.group(1)):
            return
        acronym = match.group(1)
        self.defined.append((normalise(span.text), normalise(acronym)))
        self._group(normalise(acronym)).surfaces[acronym] += 0
        taken.append((match.start(1), match.end(1)))

    def _ref(self, a: int, sid: int, span: Span, kind: str) -> _Ref:
        return _Ref(a, sid, span, kind, self.quote_of(span[0]))

    def quote_of(self, token: Token) -> tuple[int, int] | None:
        doc = token.doc
        if id(doc) not in self._quotes:
            self._quotes[id(doc)] = quote_ranges(doc.text)
        for start, end in self._quotes[id(doc)]:
            if start <= token.idx < end:
                return (id(doc), start)
        return None

    def _add(self, key: str, surface: str, label: str, ref: _Ref) -> None:
        group = self._group(key)
        group.refs.append(ref)
        group.surfaces[" ".join(surface.split())] += 1
        group.labels[label] += 1

    def _group(self, key: str) -> _Group:
        if key not in self.groups:
            self.groups[key] = _Group()
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
            if self.groups[key].label == "PERSON" and len(key.split()) > 1 and not _COORDINATED & set(key.split())
        ]
        for key, other in itertools.combinations(people, 2):
            if same_person_by_nickname(key, other):
                self.union(key, other)
        for key in keys:
            group = self.groups[key]
            if group.label in ("GPE", "NORP") and "PERSON" not in group.labels:
                continue
            words = _name_words(key)
            hosts = {
                self.find(other)
                for other in people
                if len(other.split()) > len(key.split()) and words <= _name_words(other)
            }
            if len(hosts) == 1:
                self.union(key, hosts.pop())
        for long_key, acronym in self.defined:
            self.union(acronym, long_key)
        for key in keys:
            letters = self.groups[key].surface.replace(".", "")
            if not _ACRONYM.fullmatch(self.groups[key].surface):
                continue
            spelled = {self.find(other) for other in keys if _initials(self.groups[other].surface) == letters}
            if len(spelled) == 1:
                self.union(key, spelled.pop())

    # -- parties ---------------------------------------------------------------------
    def parties(self, given: Sequence[PartySpec], only_given: bool) -> list[_Party]:
        """Turn merged groups into parties; each spec joins the groups its names match
        (or starts a party of its own), names the party and adds its aliases."""
        chosen: list[tuple[str, PartySpec]] = []
        for spec in given:
            keys = [normalise(name) for name in spec.names]
            wanted = {compact(key) for key in keys} - {""}
            hits = sorted((key for key in self.groups if compact(key) in wanted), key=lambda key: key not in keys)
            hits = hits or self._same_surname(keys[0])
            anchor = hits[0] if hits else keys[0]
            self._group(anchor)
            for key in hits:
                self.union(key, anchor)
            chosen.append((anchor, spec))
        members: dict[str, list[str]] = {}
        for key in self.groups:
            members.setdefault(self.find(key), []).append(key)
        specs = {self.find(anchor): spec for anchor, spec in chosen}
        parties = []
        for root, keys in members.items():
            spec = specs.get(root)
            if only_given and spec is None:
                continue
            party = self._party([self.groups[key] for key in keys])
            if spec is not None:
                party.aliases = [party.name, *party.aliases, *spec.aliases]
                party.given = spec.names
                party.name = spec.name
            party.aliases = [alias for alias in dict.fromkeys(party.aliases) if alias and alias != party.name]
            if party.name:
                parties.append(party)
        return parties

    def _same_surname(self, key: str) -> list[str]:
        """A given name the text writes another way ("Donald J. Trump", "Charles E. Grassley"
        for "Chuck Grassley"): the one party sharing its surname; among several, the one that
        also shares its first name or a nickname of it, else the one the surname alone
        names ("President Obama" beside "Sasha and Malia Obama"); none when that still
        leaves a choice. Only names found in the text count, not other given names
        ("Republican lawmakers" is not "Democratic lawmakers")."""
        words = key.split()
        if len(words) < 2:
            return []
        same = [k for k in self.groups if k.split()[-1] == words[-1] and self.groups[k].labels]
        roots = {self.find(k) for k in same}
        if len(roots) > 1:
            roots = {self.find(k) for k in same if k.split()[0] == words[0] or same_person_by_nickname(k, key)}
        if not roots and words[-1] in self.groups and self.groups[words[-1]].labels:
            roots = {self.find(words[-1])}
        return [roots.pop()] if len(roots) == 1 else []

    @staticmethod
    def _party(groups: list[_Group]) -> _Party:
        """Name a party by its fullest name: most words, not an acronym, most used."""
        surfaces: Counter[str] = Counter()
        labels: Counter[str] = Counter()
        for group in groups:
            surfaces.update(group.surfaces)
            labels.update(group.labels)
        ranked = sorted(
            surfaces,
            key=lambda s: (-len(s.split()), bool(_ACRONYM.fullmatch(s)), -surfaces[s], -len(s)),
        )
        label = labels.most_common(1)[0][0] if labels else ""
        return _Party(ranked[0] if ranked else "", ranked[1:], label, groups)

    # -- more mentions ---------------------------------------------------------------
    def add_alias_occurrences(self, parties: list[_Party]) -> None:
        """Count every other exact occurrence of a party's names (spaCy misses some), and
        of a person's surname alone ("Lopez" after "Maria Lopez") when no other party
        could be meant by it; a surname that occurs becomes an alias.

        Longer names claim text first, and no name may match inside another mention or a
        longer entity: "Libya" inside "Libyan National Army" is not Libya. Accents never
        matter; names the user gave match in any case and with or without hyphens
        ("Chick-Fil-A" finds "Chick-fil-A", "Walmart" finds "Wal-Mart").
        """
        names = [(alias, party) for party in parties for alias in dict.fromkeys([party.name, *party.aliases])]
        names += _surnames(parties)
        names.sort(key=lambda item: -len(item[0]))
        patterns = [(_alias_pattern(alias, alias in party.given), alias, party) for alias, party in names]
        for a, article in enumerate(self.articles):
            for sid, sent in article.spans.items():
                taken = self.taken.setdefault((a, sid), [])
                ents = [(e.start_char + _leading_the(e), e.end_char) for e in sent.ents]
                text = fold(sent.text)
                for pattern, alias, party in patterns:
                    for match in pattern.finditer(text):
                        start, end = sent.start_char + match.start(), sent.start_char + match.end()
                        if any(s < end and start < e for s, e in taken):
                            continue
                        if any(s <= start and end <= e and e - s > end - start for s, e in ents):
                            continue
                        span = sent.doc.char_span(start, end, alignment_mode="expand")
                        taken.append((start, end))
                        party.groups[0].refs.append(self._ref(a, sid, span, "name"))
                        if alias != party.name and alias not in party.aliases:
                            party.aliases.append(alias)

    def add_head_nouns(self, parties: list[_Party]) -> None:
        """A given name that ends in a common noun ("Obama administration", "Colorado
        officials", "SB 1062 bill") also matches that noun alone ("the administration",
        "administration officials", "the bill"): outlets name such groups once and then
        shorten them.

        The noun must be written in lower case (but for a capital opening a sentence)
        outside any entity. It does not count when a capitalised word the given names lack
        qualifies it ("Nebraska officials" is not "Colorado officials"), nor unqualified
        when another given name ends in the same noun ("lawmakers" with both "Republican
        lawmakers" and "Democratic lawmakers").
        """
        heads: dict[int, tuple[str, set[str]]] = {}
        for p, party in enumerate(parties):
            words = party.given[0].split() if party.given else []
            if len(words) > 1 and words[-1].isalpha():
                known = {w for name in party.given for w in normalise(name).split()}
                heads[p] = (_lemma(words[-1]), known)
        shared = Counter(lemma for lemma, _ in heads.values())
        for a, article in enumerate(self.articles):
            for sid, sent in article.spans.items():
                taken = self.taken.setdefault((a, sid), [])
                for token in sent:
                    written = token.text[1:] if token.is_sent_start else token.text
                    if token.pos_ != "NOUN" or not written.islower() or token.ent_type_:
                        continue
                    start, end = token.idx, token.idx + len(token)
                    if any(s < end and start < e for s, e in taken):
                        continue
                    for p, (lemma, known) in heads.items():
                        if token.lemma_.lower() != lemma:
                            continue
                        qualifiers = _qualifiers(token)
                        if qualifiers - known or (not qualifiers and shared[lemma] > 1):
                            continue
                        taken.append((start, end))
                        parties[p].groups[0].refs.append(self._ref(a, sid, token.doc[token.i : token.i + 1], "name"))
                        break

    def resolve_references(self, parties: list[_Party]) -> None:
        """Add pronouns and epithets ("the strongman") that have one clear person referent."""
        owner = {id(ref): p for p, party in enumerate(parties) for ref in party.refs()}
        people = [ref for party in parties if party.entity_type == "PERSON" for ref in party.refs()]
        titled = _titled_roles(parties)
        for a, article in enumerate(self.articles):
            history: list[tuple[int, _Ref, int]] = []  # (position of sentence, ref, party)
            for pos, sid in enumerate(sorted(article.spans)):
                here = [ref for ref in people if (ref.article, ref.sentence) == (a, sid)]
                names = sorted(here, key=lambda ref: ref.span.start)
                for token in article.spans[sid]:
                    while names and names[0].span.start <= token.i:
                        ref = names.pop(0)
                        history.append((pos, ref, owner[id(ref)]))
                    found = self._reference(token, pos, history, titled)
                    if found is None:
                        continue
                    span, kind, p = found
                    ref = self._ref(a, sid, span, kind)
                    parties[p].groups[0].refs.append(ref)
                    history.append((pos, ref, p))
                history.extend((pos, ref, owner[id(ref)]) for ref in names)

    def _reference(
        self, token: Token, pos: int, history: list[tuple[int, _Ref, int]], titled: dict[str, set[int]]
    ) -> tuple[Span, str, int] | None:
        """The person party ``token`` refers back to, as (span, kind, party index), or None.

        Candidates are person mentions in the same quotation context (both outside quotes,
        or in the same quote), searched in the same sentence, then one (pronoun) or two
        (epithet) sentences back; the nearest sentence with any candidate decides. An
        object pronoun or an epithet never points at the subject of its own clause ("Trump
        spoke with the strongman and praised him"). A title noun ("the president") that the
        articles give one party only stands for that party anywhere after its first
        mention: outlets write "President Obama" once and "the president" from then on.
        """
        if token.lower_ in _PRONOUNS and token.tag_ in ("PRP", "PRP$"):
            span, kind, reach = token.doc[token.i : token.i + 1], "pronoun", 1
        else:
            epithet = _epithet(token)
            if epithet is None:
                return None
            span, kind, reach = epithet, "epithet", 2
        quote = self.quote_of(token)
        excluded: set[int] = set()
        objective = token.tag_ == "PRP" and token.dep_ in ("dobj", "pobj", "dative")
        if kind == "epithet" or (objective and token.lower_ not in _REFLEXIVES):
            excluded = _clause_subjects(token)
        allowed = titled.get(token.lemma_.lower()) if kind == "epithet" else None
        for back in range(reach + 1):
            candidates = [
                (ref, p)
                for at, ref, p in history
                if at == pos - back
                and ref.quote == quote
                and not (ref.span.doc is token.doc and excluded & {t.i for t in ref.span})
                and (allowed is None or p in allowed)
            ]
            if not candidates:
                continue
            if token.lower_ in _REFLEXIVES:
                subjects = _clause_subjects(token)
                bound = {p for ref, p in candidates if subjects & {t.i for t in ref.span}}
                if len(bound) == 1:
                    return span, kind, bound.pop()
            choice = _choose(candidates, prefer_subject=kind == "pronoun")
            return None if choice is None else (span, kind, choice)
        if allowed is not None and len(allowed) == 1:
            (only,) = allowed
            if any(p == only and at <= pos for at, _, p in history):
                return span, kind, only
        return None

    def mentions(self, party: _Party) -> list[FoundMention]:
        found: dict[tuple[int, int, int], FoundMention] = {}
        for ref in party.refs():
            sent = self.articles[ref.article].spans[ref.sentence]
            start, end = ref.span.start_char - sent.start_char, ref.span.end_char - sent.start_char
            found.setdefault(
                (ref.article, ref.sentence, start),
                FoundMention(ref.article, ref.sentence, start, end, ref.span.text, ref.kind),
            )
        return [found[key] for key in sorted(found)]


def _lemma(word: str) -> str:
    """The dictionary form of a common noun ("officials" -> "official")."""
    return nlp()(f"the {word.lower()}")[-1].lemma_.lower()


def _qualifiers(token: Token) -> set[str]:
    """Capitalised words (names, nationalities) in the modifiers before a noun, as name
    keys: {"nebraska", "oklahoma"} for "Nebraska and Oklahoma officials"."""
    words: set[str] = set()
    for child in token.lefts:
        if child.dep_ in ("compound", "amod", "nmod", "poss", "npadvmod"):
            words.update(normalise(t.text) for t in child.subtree if t.text[:1].isupper())
    return words - {""}


def _alias_pattern(alias: str, given: bool) -> re.Pattern[str]:
    """Where ``alias`` occurs in accent-folded text; a given name also in any case, with
    words joined by spaces or hyphens or nothing, and a hyphen allowed inside a word."""
    if not given:
        return re.compile(rf"(?<!\w){re.escape(fold(alias))}(?!\w)")
    words = [w for w in re.split(r"[\s-]+", fold(alias)) if w]
    body = r"[\s-]*".join("-?".join(re.escape(ch) for ch in word) for word in words)
    return re.compile(rf"(?<!\w){body}(?!\w)", re.I)


def _surnames(parties: list[_Party]) -> list[tuple[str, _Party]]:
    """(surname, party) for each person whose last name no other party shares or is."""
    owners: dict[str, set[int]] = {}
    for p, party in enumerate(parties):
        for name in [party.name, *party.aliases]:
            owners.setdefault(normalise(name), set()).add(p)
            words = name.split()
            if party.entity_type == "PERSON" and len(words) > 1:
                for surname in {words[-1], PARTICLE.sub("", words[-1])}:
                    owners.setdefault(normalise(surname), set()).add(p)
    found = []
    for p, party in enumerate(parties):
        words = party.name.split()
        if party.entity_type != "PERSON" or len(words) < 2:
            continue
        for surname in dict.fromkeys([words[-1], PARTICLE.sub("", words[-1])]):
            if len(surname) > 2 and surname[0].isupper() and owners[normalise(surname)] == {p}:
                if not TITLE_ANYWHERE.fullmatch(surname):
                    found.append((surname, party))
    return found


def name_span(ent: Span) -> Span | None:
    """The name inside an entity: cut at a possessive, drop "the", a trailing lower-case
    function word or punctuation ("Coca-Cola and") and titles around it, and run on to the
    end of a hyphenated name the tagger cut short ("Chick" of "Chick-fil-A"; not "Haftar"
    of "Haftar-led")."""
    doc = ent.doc
    start, end = ent.start, ent.end
    for i in range(start, end):
        if doc[i].tag_ == "POS" or doc[i].text in ("'s", "’s", "'", "’"):
            end = i
            break
    while start < end and doc[start].lower_ == "the":
        start += 1
    # "Coca-Cola and" of "Coca-Cola and Wal-Mart"; a capital is part of the name ("Serie A").
    while end > start and (doc[end - 1].text in _FUNCTION_WORDS or doc[end - 1].is_punct):
        end -= 1
    if start >= end:
        return None
    end = _hyphenated_end(doc, end)
    prefix = TITLE_PREFIX.match(doc[start:end].text)
    if prefix:
        cut = doc[start].idx + prefix.end()
        while start < end and doc[start].idx < cut:
            start += 1
    if start < end:
        suffix = TITLE_SUFFIX.search(doc[start:end].text)
        if suffix:
            cut = doc[start].idx + suffix.start()
            new_end = end
            while new_end > start and doc[new_end - 1].idx >= cut:
                new_end -= 1
            if new_end > start and doc[new_end - 1].lower_ not in _FUNCTION_WORDS:
                end = new_end
    if start >= end or not any(ch.isupper() for ch in doc[start:end].text):
        return None
    return doc[start:end]


def _hyphenated_end(doc: Doc, end: int) -> int:
    """Where the hyphenated word ending at token ``end`` really ends, when its last part is
    capitalised as names are ("Chick-fil-A", "Rolls-Royce"); else ``end``."""
    last = end
    while (
        last + 1 < len(doc)
        and doc[last].text in ("-", "‑")
        and not doc[last - 1].whitespace_
        and not doc[last].whitespace_
    ):
        last += 2
        if doc[last - 1].text[:1].isupper():
            end = last
    return end


def _title_case_line(text: str) -> bool:
    """A headline in title case ("Sheriff Endorses Governor For President"): the tagger
    reads its capitalised common words as names, so such a line names no new party
    (names found elsewhere still match in it). Sentences end in punctuation; these do not."""
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", text) if len(w) > 3]
    if not words or len(text.split()) > 25 or text.rstrip()[-1:] in ".!?\"”’'":
        return False
    return sum(w[0].isupper() for w in words) >= 0.6 * len(words)


def _leading_the(ent: Span) -> int:
    """Characters of a leading "the " in an entity ("the Justice Department"), which do
    not make it a longer name than the one it contains."""
    return 4 if ent.text[:4].lower() == "the " else 0


def _name_words(key: str) -> set[str]:
    """Words of a name, with particles also dropped: "fayez al-sarraj" has "sarraj"."""
    words = set(key.split())
    return words | {PARTICLE.sub("", word) for word in words}


def _initials(name: str) -> str:
    """ "GNA" for "Government of National Accord": initials of the capitalised words."""
    words = [word for word in name.split() if word[:1].isupper() and word.lower() not in _FUNCTION_WORDS]
    return "".join(word[0] for word in words) if len(words) > 1 else ""


def _titled_roles(parties: list[_Party]) -> dict[str, set[int]]:
    """Role noun -> parties written with it as a title, so "the president" can only be
    someone called "President ..." when the articles call anyone that."""
    roles: dict[str, set[int]] = {}
    for p, party in enumerate(parties):
        for ref in party.refs():
            before = ref.span.doc.text[max(0, ref.span.start_char - 60) : ref.span.start_char]
            match = TITLE_BEFORE.search(before)
            if match:
                roles.setdefault(match.group(1).split()[-1].lower().rstrip("."), set()).add(p)
    return roles


def _epithet(token: Token) -> Span | None:
    """ "the strongman": a definite, singular role noun that is not a name, not part of a
    name ("the president Donald Trump"), not followed by "of" (the leader *of* X is someone
    else) and not an appositive (framing reads those as descriptors)."""
    if token.tag_ != "NN" or token.ent_type_ or token.dep_ in ("compound", "appos", "attr"):
        return None
    lemma = token.lemma_.lower()
    if lemma not in ROLE_NOUNS and not ROLE_SUFFIX.fullmatch(lemma):
        return None
    det = [child for child in token.lefts if child.dep_ == "det"]
    if not det or det[0].lower_ != "the":
        return None
    if any(c.dep_ == "appos" or (c.dep_ == "prep" and c.lower_ == "of") for c in token.rights):
        return None
    following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    if following is not None and following.pos_ == "PROPN":
        return None
    return token.doc[det[0].i : token.i + 1]


def _clause_subjects(token: Token) -> set[int]:
    """Token indices of the subject(s) of the clause ``token`` sits in, following
    coordinated and controlled verbs up ("X spoke ... and praised him": X), and a relative
    pronoun to the noun it stands for ("Haftar, who casts himself": Haftar)."""
    verb = token
    while verb.pos_ not in ("VERB", "AUX") and verb.head != verb:
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX"):
        return set()
    verbs = [verb]
    while verb.dep_ in ("conj", "xcomp") and verb.head != verb and verb.head.pos_ in ("VERB", "AUX"):
        verb = verb.head
        verbs.append(verb)
    found: set[int] = set()
    for verb in verbs:
        subjects = [child for child in verb.children if child.dep_ in _SUBJECT_DEPS] or _linear_subject(verb)
        for subject in subjects:
            if subject.lower_ in _RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                subject = verb.head
            found.add(subject.i)
            found.update(c.i for c in subject.children if c.dep_ in ("compound", "flat", "appos"))
    return found


def _linear_subject(verb: Token) -> list[Token]:
    """The noun phrase right before a verb the parser left without a subject (a common
    slip of small models after "as ..."), skipping the phrase's own relative clause."""
    k = verb.left_edge.i - 1
    if k < verb.sent.start:
        return []
    node = verb.doc[k]
    while node.head != node and node.head.i < verb.left_edge.i and node.head.right_edge.i <= k:
        node = node.head
    while node.dep_ in ("prep", "mark", "punct"):
        objects = [child for child in node.children if child.dep_ == "pobj"]
        if not objects:
            return []
        node = objects[0]
    return [node] if node.pos_ in ("PROPN", "NOUN", "PRON") else []


def _choose(candidates: list[tuple[_Ref, int]], prefer_subject: bool) -> int | None:
    """The one party among ``candidates``; for a pronoun, else the one that is a subject."""
    parties = {p for _, p in candidates}
    if len(parties) == 1:
        return parties.pop()
    if not prefer_subject:
        return None
    subjects = {p for ref, p in candidates if _is_subject(ref.span.root)}
    return subjects.pop() if len(subjects) == 1 else None


def _is_subject(token: Token) -> bool:
    return token.dep_ in _SUBJECT_DEPS or (token.dep_ == "appos" and token.head.dep_ in _SUBJECT_DEPS)
