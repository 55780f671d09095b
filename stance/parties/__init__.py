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

Layout: :mod:`.model` (the contracts), :mod:`.entities` (finding and merging spaCy's
entities), :mod:`.names` (when two names are one), :mod:`.titles` (titles and role nouns),
:mod:`.aliases` (given parties, further occurrences of names), :mod:`.references`
(pronouns and epithets), :mod:`.gender` (agreement evidence), :mod:`.corpus` (one name
per party across many events).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# The contracts import nothing heavy, so a caller can check a user's party names before
# spaCy loads; everything else is imported on first use.
from stance.parties.model import FoundMention, FoundParty, PartySpec

if TYPE_CHECKING:
    from stance.parties.corpus import unify
    from stance.parties.entities import LABELS
    from stance.parties.find import find_parties
    from stance.parties.names import compact, fold, name_span, normalise
    from stance.parties.titles import TITLE_ANYWHERE, TITLE_BEFORE, TITLES

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
    "unify",
]

_LAZY = {
    "find_parties": "stance.parties.find",
    "unify": "stance.parties.corpus",
    "LABELS": "stance.parties.entities",
    "compact": "stance.parties.names",
    "fold": "stance.parties.names",
    "name_span": "stance.parties.names",
    "normalise": "stance.parties.names",
    "TITLES": "stance.parties.titles",
    "TITLE_ANYWHERE": "stance.parties.titles",
    "TITLE_BEFORE": "stance.parties.titles",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'stance.parties' has no attribute {name!r}")
