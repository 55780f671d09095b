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

from collections.abc import Sequence

from stance.parties.aliases import add_alias_occurrences, add_head_nouns, build_parties
from stance.parties.corpus import unify
from stance.parties.entities import LABELS, Finder
from stance.parties.model import FoundMention, FoundParty, PartySpec
from stance.parties.names import compact, fold, name_span, normalise
from stance.parties.references import resolve_references
from stance.parties.titles import TITLE_ANYWHERE, TITLE_BEFORE, TITLES
from stance.sentences import ParsedArticle

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


def find_parties(
    articles: list[ParsedArticle], given: Sequence[PartySpec] = (), only_given: bool = False
) -> list[FoundParty]:
    """Every party named in ``articles``, with all its mentions, most mentioned first.

    ``given`` adds parties or fixes their aliases (a spec joins every found party one of
    its names matches); ``only_given`` keeps only those.
    """
    finder = Finder(articles)
    finder.collect_entities()
    finder.merge()
    parties = build_parties(finder, given, only_given)
    add_alias_occurrences(finder, parties)
    add_head_nouns(finder, parties)
    resolve_references(finder, parties)
    found = [
        FoundParty(party.name, party.aliases, party.entity_type, finder.mentions(party), bool(party.given))
        for party in parties
    ]
    return sorted(found, key=lambda party: -len(party.mentions))
