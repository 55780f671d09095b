"""Finding a comparison's parties: the stages of :mod:`stance.parties` run in order."""

from __future__ import annotations

from collections.abc import Sequence

from stance.parties.aliases import add_alias_occurrences, add_head_nouns, build_parties
from stance.parties.entities import Finder
from stance.parties.model import FoundParty, PartySpec
from stance.parties.references import resolve_references
from stance.sentences import ParsedArticle


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
