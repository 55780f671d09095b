"""One name per party across a corpus: the parties of many separate events, unified.

Each event's parties come from :func:`stance.parties.find_parties`, which already merges
names within the event. Across events the same person turns up as "Barack Obama" in one,
"Obama" in another and "Barack H. Obama" in a third; a study must count that as one party.
The rules are conservative because a wrong merge silently pools two people's coverage,
while a missed one only splits a row:

- names that normalise alike (titles, "the", possessives, accents, case and punctuation
  dropped: "President Obama" is "Obama", "Wal-Mart" is "Walmart") are one party;
- person full names are one person when their last names agree, their first names are
  equal or one is a nickname of the other (the ``nicknames`` dataset), and their middle
  names and suffixes do not contradict ("George W. Bush" and "George H. W. Bush" are two
  people; "George Bush" joins one of them only when just one exists);
- different first names are different people ("Michelle Obama" is not "Barack Obama");
- a bare surname joins a full name only when exactly one person with that surname exists
  in the whole corpus (of the gender a title on it states: "Mrs. X"), and only when it
  was tagged as a person;
- an organisation's alias joins the party that has it as its name when it is an acronym
  or has several words ("White House" having "House" as an alias says nothing of "House").
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from stance.parties.gender import agrees, first_name_gender, title_gender
from stance.parties.names import ACRONYM, PARTICLE, compact, is_nickname, normalise
from stance.parties.titles import TITLE_PREFIX

#: Generational suffixes: part of who a person is ("Jr." is not his father), not of the surname.
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


@dataclass(frozen=True)
class _Person:
    """A person's full name taken apart: middle names reduced to initials."""

    first: str
    last: str
    middle: tuple[str, ...]
    suffix: str


def unify(parties: Sequence[tuple[str, Sequence[str], str]]) -> list[str]:
    """One canonical name for each ``(name, aliases, entity_type)``, in input order.

    Inputs that denote one party get the same name: the name most of them carry, without
    titles (ties go to the longer name), preferring a full name to a bare surname.
    """
    n = len(parties)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        parent[find(i)] = find(j)

    keys = [compact(normalise(name)) for name, _, _ in parties]
    by_key: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        if key:
            by_key.setdefault(key, []).append(i)
    # "Mrs. X" and a plain "X" may be two people: they share a key only once X is known to be one.
    titled = [_bare_title_gender(party) for party in parties]
    same: dict[tuple[str, str | None], list[int]] = {}
    for i, key in enumerate(keys):
        if key:
            same.setdefault((key, titled[i]), []).append(i)
    for members in same.values():
        for i in members[1:]:
            union(i, members[0])
    # An organisation's or place's acronym ("GNA") or other multi-word alias names the party
    # whose name it is elsewhere; a one-word part ("House" of "White House") is no evidence.
    for i, (_, aliases, kind) in enumerate(parties):
        if kind == "PERSON":
            continue
        for alias in aliases:
            if len(alias.split()) < 2 and not ACRONYM.fullmatch(alias):
                continue
            for j in by_key.get(compact(normalise(alias)), []):
                if parties[j][2] != "PERSON":
                    union(i, j)
    # Plural nationalities ("Libyans") are the nationality.
    for key, members in by_key.items():
        if key.endswith("s") and key[:-1] in by_key and parties[members[0]][2] == "NORP":
            union(members[0], by_key[key[:-1]][0])
    _unify_people(parties, union, find)
    _join_surnames(parties, keys, union, find)
    full = {find(i) for i, (name, _, _) in enumerate(parties) if len(normalise(name).split()) > 1}
    for i, gender in enumerate(titled):
        if gender and find(i) not in full:
            plain = [j for j in by_key[keys[i]] if titled[j] is None and find(j) not in full]
            for j in plain[:1]:
                union(i, j)
    return _names(parties, find)


def _bare_title_gender(party: tuple[str, Sequence[str], str]) -> str | None:
    """The gender a title states on a one-word person name ("Mrs. X"), else None."""
    name, aliases, kind = party
    if kind != "PERSON" or len(normalise(name).split()) != 1:
        return None
    matches = [TITLE_PREFIX.match(written) for written in [name, *aliases]]
    genders = {title_gender(m.group(0).split()[0]) for m in matches if m} - {None}
    return genders.pop() if len(genders) == 1 else None


def _unify_people(parties: Sequence[tuple[str, Sequence[str], str]], union, find) -> None:
    """Join inputs whose person full names (name or multi-word alias) are one person."""
    full: dict[str, list[tuple[_Person, int]]] = {}  # last name -> (person, input)
    for i, (name, aliases, kind) in enumerate(parties):
        if kind != "PERSON":
            continue
        for written in dict.fromkeys([name, *aliases]):
            person = _person(written)
            if person is not None:
                full.setdefault(person.last, []).append((person, i))
    for entries in full.values():
        firsts = sorted({person.first for person, _ in entries})
        same_first = _first_name_families(firsts)
        families: dict[str, list[tuple[_Person, int]]] = {}
        for person, i in entries:
            families.setdefault(same_first[person.first], []).append((person, i))
        for members in families.values():
            detailed: dict[tuple[tuple[str, ...], str], list[int]] = {}
            plain: list[int] = []
            for person, i in members:
                if person.middle or person.suffix:
                    detailed.setdefault((person.middle, person.suffix), []).append(i)
                else:
                    plain.append(i)
            for group in detailed.values():
                for i in group[1:]:
                    union(i, group[0])
            for i in plain[1:]:
                union(i, plain[0])
            if plain and len(detailed) == 1:
                (group,) = detailed.values()
                union(plain[0], group[0])


def _first_name_families(firsts: list[str]) -> dict[str, str]:
    """First name -> a representative: names that are all nicknames of each other share
    one ("liz", "elizabeth"); a name related to two unrelated names ("alex" to both
    "alexander" and "alexandra") stays on its own, since it could be either."""
    related = {a: {b for b in firsts if b != a and is_nickname(a, b)} for a in firsts}
    family = {name: name for name in firsts}
    seen: set[str] = set()
    for a in firsts:
        if a in seen:
            continue
        component, todo = {a}, [a]
        while todo:
            for b in related[todo.pop()] - component:
                component.add(b)
                todo.append(b)
        seen |= component
        if all(b in related[c] for b, c in itertools.combinations(component, 2)):
            for b in component:
                family[b] = min(component)
    return family


def _join_surnames(parties: Sequence[tuple[str, Sequence[str], str]], keys: list[str], union, find) -> None:
    """A bare surname tagged as a person joins the one person in the corpus with that
    surname; a gendered title on it ("Mrs. X") leaves out bearers of the other gender."""
    holders: dict[str, set[tuple[int, str | None]]] = {}
    for i, (name, aliases, kind) in enumerate(parties):
        if kind != "PERSON":
            continue
        for written in [name, *aliases]:
            person = _person(written)
            if person is not None:
                for surname in {person.last, PARTICLE.sub("", person.last)}:
                    holders.setdefault(surname, set()).add((i, first_name_gender(person.first)))
    for i, (name, _, _) in enumerate(parties):
        words = normalise(name).split()
        if len(words) != 1 or not keys[i]:
            continue
        kinds = Counter(parties[j][2] for j in range(len(parties)) if find(j) == find(i))
        if kinds.most_common(1)[0][0] != "PERSON":
            continue
        mine = _bare_title_gender(parties[i])
        roots = {find(j) for j, gender in holders.get(words[0], set()) if agrees(mine, gender)}
        if len(roots) == 1:
            union(i, roots.pop())


def _person(written: str) -> _Person | None:
    """A person's name in parts, or None for a single word."""
    words = [w.strip(".,") for w in normalise(written).split()]
    words = [w for w in words if w]
    suffix = words.pop() if len(words) > 2 and words[-1] in _SUFFIXES else ""
    if len(words) < 2 or not re.fullmatch(r"[\w'’-]+", words[-1]):
        return None
    middle = tuple(w[0] for w in words[1:-1])
    return _Person(words[0], words[-1], middle, suffix)


def _names(parties: Sequence[tuple[str, Sequence[str], str]], find) -> list[str]:
    """The canonical name of each input's cluster."""
    clusters: dict[int, Counter[str]] = {}
    for i, (name, _, _) in enumerate(parties):
        written = re.sub(r"^[Tt]he\s+", "", " ".join(name.split()))
        clusters.setdefault(find(i), Counter())[TITLE_PREFIX.sub("", written) or written] += 1
    chosen = {
        root: min(names, key=lambda s: (len(s.split()) < 2, -names[s], -len(s.split()), -len(s), s))
        for root, names in clusters.items()
    }
    return [chosen[find(i)] for i in range(len(parties))]
