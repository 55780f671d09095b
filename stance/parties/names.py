"""Names and aliases: when two written names are the same name.

A name's comparison key drops what outlets vary in (possessive, "the", titles, accents,
dots in acronyms, case), so "Raúl Labrador's" and "Raul Labrador" compare equal. First
names and their common nicknames ("Dick"/"Richard") come from the curated ``nicknames``
dataset, so the code holds no list of its own.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from nicknames import NickNamer
from spacy.tokens import Doc, Span

from stance.parties.titles import TITLE_PREFIX

MIDDLE_INITIAL = re.compile(r"(?<=\w) \w\. (?=\w)")
#: Arabic and other name particles glued with a hyphen: "al-Sarraj" is also "Sarraj".
PARTICLE = re.compile(r"^(?:al|el|ad|an|ar|as|ash|at|az|ibn|bin|ben|abu)-", re.IGNORECASE)


#: Words joining several people in one entity ("Sasha and Malia Obama"): such a name is
#: no one person, so "Obama" alone must not join it.
COORDINATED = frozenset({"and", "&"})
FUNCTION_WORDS = frozenset({"of", "the", "and", "for", "on", "in", "at", "to", "a", "an", "de", "du", "la", "le"})
ACRONYM = re.compile(r"[A-Z]{2,6}|(?:[A-Z]\.){2,6}")


def name_span(ent: Span) -> Span | None:
    """The name inside an entity: cut at a possessive, drop "the" or punctuation before it, trailing lower-case
    words the tagger took with it (a function word as in "Coca-Cola and", a time word as in
    "<name> today": names end in a capitalised word), punctuation and a title before it, and run on to the
    end of a hyphenated name the tagger cut short ("Chick" of "Chick-fil-A"; not "Haftar"
    of "Haftar-led")."""
    doc = ent.doc
    start, end = ent.start, ent.end
    for i in range(start, end):
        if doc[i].tag_ == "POS" or doc[i].text in ("'s", "’s", "'", "’"):
            end = i
            break
    while start < end and (doc[start].lower_ == "the" or doc[start].is_punct):
        start += 1
    # "Coca-Cola and" of "Coca-Cola and Wal-Mart"; a capital is part of the name ("Serie A").
    while end > start and (doc[end - 1].text in FUNCTION_WORDS or doc[end - 1].is_punct or _loose_lower(doc, end - 1)):
        end -= 1
    if start >= end:
        return None
    end = _hyphenated_end(doc, end)
    prefix = TITLE_PREFIX.match(doc[start:end].text)
    if prefix:
        cut = doc[start].idx + prefix.end()
        while start < end and doc[start].idx < cut:
            start += 1
    if start >= end or not any(ch.isupper() for ch in doc[start:end].text):
        return None
    return doc[start:end]


def _loose_lower(doc: Doc, i: int) -> bool:
    """Whether token ``i`` is a lower-case word standing apart (not glued by a hyphen, as
    "fil" is in "Chick-fil-A"): not the end of a name."""
    token = doc[i]
    return token.is_alpha and token.text.islower() and i > 0 and bool(doc[i - 1].whitespace_)


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


def leading_the(ent: Span) -> int:
    """Characters of a leading "the " in an entity ("the Justice Department"), which do
    not make it a longer name than the one it contains."""
    return 4 if ent.text[:4].lower() == "the " else 0


def name_words(key: str) -> set[str]:
    """Words of a name, with particles also dropped: "fayez al-sarraj" has "sarraj"."""
    words = set(key.split())
    return words | {PARTICLE.sub("", word) for word in words}


def initials(name: str) -> str:
    """ "GNA" for "Government of National Accord": initials of the capitalised words."""
    words = [word for word in name.split() if word[:1].isupper() and word.lower() not in FUNCTION_WORDS]
    return "".join(word[0] for word in words) if len(words) > 1 else ""


def normalise(name: str) -> str:
    """The comparison key of a name: no possessive, "the", title, dots in acronyms, accents
    ("Raúl" is "Raul": outlets differ) or case."""
    name = " ".join(fold(name).replace("’", "'").replace("‘", "'").split())
    name = re.sub(r"'s?$", "", name)
    name = re.sub(r"^[Tt]he\s+", "", name)
    name = TITLE_PREFIX.sub("", name) or name
    if re.fullmatch(r"(?:[A-Z]\.){2,}", name):
        name = name.replace(".", "")
    return name.casefold()


def fold(text: str) -> str:
    """``text`` without accents, one character for one, so offsets still point into it."""
    return "".join(unicodedata.normalize("NFKD", ch)[0] for ch in text)


def compact(key: str) -> str:
    """A name key without spaces, hyphens or dots: "Walmart" is "Wal-Mart"."""
    return re.sub(r"[\W_]+", "", key)


def same_person_by_nickname(a: str, b: str) -> bool:
    """Whether two person name keys differ only in a first name that is a common nickname
    of the other ("dick blumenthal" / "richard blumenthal"; not "liz" / "mary cheney").
    Middle initials are ignored; the nickname list is the curated ``nicknames`` dataset."""
    first_a, *rest_a = MIDDLE_INITIAL.sub(" ", a).split()
    first_b, *rest_b = MIDDLE_INITIAL.sub(" ", b).split()
    if rest_a != rest_b or first_a == first_b:
        return False
    names = nicknamer()
    return first_b in names.nicknames_of(first_a) or first_a in names.nicknames_of(first_b)


@functools.cache
def nicknamer() -> NickNamer:
    return NickNamer()


def is_nickname(a: str, b: str) -> bool:
    """Whether two different lower-case first names are one name, one a common nickname of the other."""
    if a == b:
        return False
    names = nicknamer()
    return b in names.nicknames_of(a) or a in names.nicknames_of(b)
