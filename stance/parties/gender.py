"""Grammatical gender of person parties, so that "she" never attaches to a man.

Evidence, strongest first: a gendered title before a mention ("Mrs.", "Congressman"),
the first name (US Census first-name frequencies, shipped by the ``names`` package), and
gendered pronouns in sentences where the party is the only person named. A name the
census lists does not know, or whose evidence conflicts, has no gender: agreement then
rules nothing out, as before.
"""

from __future__ import annotations

import functools
import importlib.resources
from collections import Counter
from collections.abc import Iterable

from stance.parties.names import is_nickname, nicknamer

MALE, FEMALE = "m", "f"
#: Pronouns by gender; "they" and "it" are not person-gendered and are never resolved.
PRONOUN_GENDER = {
    **dict.fromkeys(("he", "him", "his", "himself"), MALE),
    **dict.fromkeys(("she", "her", "hers", "herself"), FEMALE),
}
#: Titles and role words that say a person's gender (lower case, without a final dot).
TITLE_GENDER = {
    **dict.fromkeys(
        ("mr", "sir", "lord", "king", "prince", "emperor", "sultan", "sheikh", "emir", "congressman", "spokesman")
        + ("chairman", "father", "brother", "son", "husband", "uncle", "nephew", "businessman", "man"),
        MALE,
    ),
    **dict.fromkeys(
        ("mrs", "ms", "miss", "madam", "dame", "lady", "queen", "princess", "empress", "congresswoman")
        + ("spokeswoman", "chairwoman", "mother", "sister", "daughter", "wife", "aunt", "niece")
        + ("businesswoman", "woman", "first lady"),
        FEMALE,
    ),
}
#: A first name counts as one gender when the census finds it this many times more often
#: among that sex (per head) than the other: "Chris" is male, "Jan" and "Leslie" are neither.
_RATIO = 4.0


def title_gender(title: str) -> str | None:
    """The gender a title or role word states ("Mrs." -> f), None when it states none."""
    return TITLE_GENDER.get(" ".join(title.lower().rstrip(".").split()))


def first_name_gender(first: str) -> str | None:
    """The gender a first name almost always has in the census, else None (unknown or mixed).
    A nickname ("Dick") takes the gender of the names it shortens when they agree."""
    first = first.lower().strip(".")
    genders, listed = _census()
    if first in listed:
        return genders.get(first)
    # not in the census lists (a nickname): the formal names' gender, if they agree
    formal = {genders.get(name) for name in _formal_names(first)}
    return formal.pop() if len(formal) == 1 else None


def decide(votes: Iterable[str | None], strong: Iterable[str | None] = (), min_votes: int = 2) -> str | None:
    """One gender from evidence: strong evidence (titles, first names) decides when it
    agrees; otherwise pronoun votes need ``min_votes`` or more and a four-to-one majority."""
    strong_set = {g for g in strong if g}
    if len(strong_set) == 1:
        return strong_set.pop()
    if strong_set:
        return None
    counts = Counter(g for g in votes if g)
    if not counts:
        return None
    (top, n), *rest = counts.most_common()
    other = rest[0][1] if rest else 0
    return top if n >= min_votes and n >= 4 * other else None


def agrees(a: str | None, b: str | None) -> bool:
    """Whether two genders can be one person: unknown agrees with everything."""
    return a is None or b is None or a == b


@functools.cache
def _census() -> tuple[dict[str, str], frozenset[str]]:
    """First name -> "m"/"f" for names the census gives one sex far more often, and every
    name the census lists."""
    freq: dict[str, dict[str, float]] = {}
    for sex, file in ((MALE, "dist.male.first"), (FEMALE, "dist.female.first")):
        text = importlib.resources.files("names").joinpath(file).read_text(encoding="utf-8")
        for line in text.splitlines():
            parts = line.split()
            if len(parts) >= 2:
                freq.setdefault(parts[0].lower(), {})[sex] = float(parts[1])
    genders = {}
    for name, by_sex in freq.items():
        male, female = by_sex.get(MALE, 0.0), by_sex.get(FEMALE, 0.0)
        if male > _RATIO * female:
            genders[name] = MALE
        elif female > _RATIO * male:
            genders[name] = FEMALE
    return genders, frozenset(freq)


def _formal_names(nickname: str) -> set[str]:
    return {name for name in nicknamer().canonicals_of(nickname) if is_nickname(nickname, name)}
