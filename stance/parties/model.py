"""The parties stage's contracts: what a user asks for and what the stage finds."""

from __future__ import annotations

from dataclasses import dataclass

from stance.errors import StanceError


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
