"""Parties and their aliases: given specs applied, and every further occurrence of a name.

spaCy misses some occurrences of names it found elsewhere, so every other occurrence of a
known alias (and of a person's surname alone, when no one else could be meant) becomes a
mention; a name the user gives ("Obama administration") also matches its head noun.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from spacy.tokens import Token

from stance.parties.entities import Finder, Group, Party
from stance.parties.model import PartySpec
from stance.parties.names import ACRONYM, PARTICLE, compact, fold, leading_the, normalise, same_person_by_nickname
from stance.parties.titles import TITLE_ANYWHERE
from stance.sentences import nlp


def build_parties(finder: Finder, given: Sequence[PartySpec], only_given: bool) -> list[Party]:
    """Turn merged groups into parties; each spec joins the groups its names match
    (or starts a party of its own), names the party and adds its aliases."""
    chosen: list[tuple[str, PartySpec]] = []
    for spec in given:
        keys = [normalise(name) for name in spec.names]
        wanted = {compact(key) for key in keys} - {""}
        hits = sorted((key for key in finder.groups if compact(key) in wanted), key=lambda key: key not in keys)
        hits = hits or _same_surname(finder, keys[0])
        anchor = hits[0] if hits else keys[0]
        finder.group(anchor)
        for key in hits:
            finder.union(key, anchor)
        chosen.append((anchor, spec))
    members: dict[str, list[str]] = {}
    for key in finder.groups:
        members.setdefault(finder.find(key), []).append(key)
    specs = {finder.find(anchor): spec for anchor, spec in chosen}
    parties = []
    for root, keys in members.items():
        spec = specs.get(root)
        if only_given and spec is None:
            continue
        party = _party([finder.groups[key] for key in keys])
        if any(len(key.split()) > 1 and finder.titled(key) for key in keys):
            party.entity_type = "PERSON"  # "Chancellor X Y" tagged as an organisation is a person
        elif party.entity_type == "PERSON" and _not_a_person(finder, keys):
            party.entity_type = "ORG"
        if spec is not None:
            party.aliases = [party.name, *party.aliases, *spec.aliases]
            party.given = spec.names
            party.name = spec.name
        party.aliases = [alias for alias in dict.fromkeys(party.aliases) if alias and alias != party.name]
        if party.name:
            parties.append(party)
    return parties


#: Prepositions before a medium or a venue: "on X", "via X" is a platform, not a person.
_MEDIUM_PREPOSITIONS = frozenset({"on", "via"})
#: Surname prefixes that put a capital inside a person's name ("McCain", "DeSantis", "O'Neill").
_NAME_PREFIX = re.compile(r"^(?:Mc|Mac|O'|O’|De|Di|Da|Du|La|Le|Van|Von|St)[A-Z]")


def _not_a_person(finder: Finder, keys: list[str]) -> bool:
    """A one-word "person" with no title that is written as a brand (all capitals, or a
    capital inside the word the way surnames do not have one) or mostly after "on"/"via":
    a platform, station or website the tagger took for a person."""
    if any(len(key.split()) > 1 or finder.titled(key) for key in keys):
        return False
    refs = [ref for key in keys for ref in finder.groups[key].refs]
    if not refs:
        return False
    words = {ref.span.text for ref in refs}
    if all(re.fullmatch(r"[A-Z]{3,}", w) or (re.search(r"[a-z][A-Z]", w) and not _NAME_PREFIX.match(w)) for w in words):
        return True
    after = [ref for ref in refs if ref.span.root.dep_ == "pobj" and ref.span.root.head.lower_ in _MEDIUM_PREPOSITIONS]
    return 2 * len(after) > len(refs)


def _same_surname(finder: Finder, key: str) -> list[str]:
    """A given name the text writes another way ("Donald J. Trump", "Charles E. Grassley"
    for "Chuck Grassley"): the one party sharing its surname; among several, the one that
    also shares its first name or a nickname of it, else the one the surname alone
    names ("President Obama" beside "Sasha and Malia Obama"); none when that still
    leaves a choice. A surname given alone joins the one party whose name ends in it.
    Only names found in the text count, not other given names ("Republican lawmakers" is
    not "Democratic lawmakers")."""
    words = key.split()
    same = [k for k in finder.groups if k.split()[-1] == words[-1] and finder.groups[k].labels]
    roots = {finder.find(k) for k in same}
    if len(words) < 2:  # a surname alone: the one party whose name ends in it
        return [roots.pop()] if len(roots) == 1 else []
    if len(roots) > 1:
        roots = {finder.find(k) for k in same if k.split()[0] == words[0] or same_person_by_nickname(k, key)}
    if not roots and words[-1] in finder.groups and finder.groups[words[-1]].labels:
        roots = {finder.find(words[-1])}
    return [roots.pop()] if len(roots) == 1 else []


def _party(groups: list[Group]) -> Party:
    """Name a party by its fullest name: most words, not an acronym, most used."""
    surfaces: Counter[str] = Counter()
    labels: Counter[str] = Counter()
    for group in groups:
        surfaces.update(group.surfaces)
        labels.update(group.labels)
    ranked = sorted(
        surfaces,
        key=lambda s: (-len(s.split()), bool(ACRONYM.fullmatch(s)), -surfaces[s], -len(s)),
    )
    label = labels.most_common(1)[0][0] if labels else ""
    return Party(ranked[0] if ranked else "", ranked[1:], label, groups)


def add_alias_occurrences(finder: Finder, parties: list[Party]) -> None:
    """Count every other exact occurrence of a party's names (spaCy misses some), and
    of a person's surname alone ("Lopez" after "Maria Lopez") when no other party
    could be meant by it; a surname that occurs becomes an alias.

    A one-word name of a person (a surname) must fit the person's gender where it
    occurs: not after "Mrs." for a man, nor in a sentence whose only pronouns are "he"
    for a woman. Longer names claim text first, and no name may match inside another mention or a
    longer entity: "Libya" inside "Libyan National Army" is not Libya. Accents never
    matter; names the user gave match in any case and with or without hyphens
    ("Chick-Fil-A" finds "Chick-fil-A", "Walmart" finds "Wal-Mart").
    """
    names = [(alias, party) for party in parties for alias in dict.fromkeys([party.name, *party.aliases])]
    names += _surnames(parties)
    names.sort(key=lambda item: -len(item[0]))
    patterns = [(_alias_pattern(alias, alias in party.given), alias, party) for alias, party in names]
    key_of = {id(group): key for key, group in finder.groups.items()}
    keys = {id(party): {key_of[id(g)] for g in party.groups if id(g) in key_of} for party in parties}
    genders = {id(party): finder.gender(sorted(keys[id(party)])) for party in parties if party.entity_type == "PERSON"}
    for a, article in enumerate(finder.articles):
        for sid, sent in article.spans.items():
            taken = finder.taken.setdefault((a, sid), [])
            ents = [(e.start_char + leading_the(e), e.end_char) for e in sent.ents]
            text = fold(sent.text)
            for pattern, alias, party in patterns:
                for match in pattern.finditer(text):
                    start, end = sent.start_char + match.start(), sent.start_char + match.end()
                    if any(s < end and start < e for s, e in taken):
                        continue
                    if any(s <= start and end <= e and e - s > end - start for s, e in ents):
                        continue
                    span = sent.doc.char_span(start, end, alignment_mode="expand")
                    ref = finder.ref(a, sid, span, "name")
                    if len(alias.split()) == 1 and not finder.fits_gender(genders.get(id(party)), ref, keys[id(party)]):
                        continue  # "Mr. X" is not the woman whose surname is X
                    taken.append((start, end))
                    party.groups[0].refs.append(ref)
                    if alias != party.name and alias not in party.aliases:
                        party.aliases.append(alias)


def add_head_nouns(finder: Finder, parties: list[Party]) -> None:
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
    for a, article in enumerate(finder.articles):
        for sid, sent in article.spans.items():
            taken = finder.taken.setdefault((a, sid), [])
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
                    parties[p].groups[0].refs.append(finder.ref(a, sid, token.doc[token.i : token.i + 1], "name"))
                    break


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


def _surnames(parties: list[Party]) -> list[tuple[str, Party]]:
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
