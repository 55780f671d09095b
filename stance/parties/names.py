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

from stance.parties.titles import TITLE_PREFIX

MIDDLE_INITIAL = re.compile(r"(?<=\w) \w\. (?=\w)")
#: Arabic and other name particles glued with a hyphen: "al-Sarraj" is also "Sarraj".
PARTICLE = re.compile(r"^(?:al|el|ad|an|ar|as|ash|at|az|ibn|bin|ben|abu)-", re.IGNORECASE)


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
    names = _nicknamer()
    return first_b in names.nicknames_of(first_a) or first_a in names.nicknames_of(first_b)


@functools.cache
def _nicknamer() -> NickNamer:
    return NickNamer()


def is_nickname(a: str, b: str) -> bool:
    """Whether two different lower-case first names are one name, one a common nickname of the other."""
    if a == b:
        return False
    names = _nicknamer()
    return b in names.nicknames_of(a) or a in names.nicknames_of(b)
