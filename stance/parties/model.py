"""The parties stage's contracts: what a user asks for and what the stage finds."""

from __future__ import annotations

from dataclasses import dataclass

from stance.clean import visible_controls
from stance.errors import StanceError

#: Longest name or alias accepted: far beyond any real name (the longest organisation names
#: run to about 100 characters), short enough that a pasted paragraph is caught as a mistake.
MAX_NAME = 200


@dataclass(frozen=True)
class PartySpec:
    """A party the user names, with the other names it goes by.

    Checked when made, whether parsed from text or built in Python: a name is non-empty, at
    most :data:`MAX_NAME` characters, and holds no "=" (a second "=" in ``NAME=A=B`` is a
    typo, not an alias "A=B"); its control characters are shown as symbols.
    """

    name: str
    aliases: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Control characters are shown as symbols, as in article text (stance.clean), so a
        # name is printed safely and still matches the text it was copied from.
        object.__setattr__(self, "name", " ".join(visible_controls(str(self.name)).split()))
        object.__setattr__(self, "aliases", tuple(" ".join(visible_controls(str(a)).split()) for a in self.aliases))
        if not self.name:
            raise StanceError("a party has no name; write it as NAME or NAME=ALIAS,ALIAS")
        for written in self.names:
            shown = written if len(written) <= 60 else written[:57] + "..."
            if not written:
                raise StanceError(f"party {self.name!r} has an empty alias")
            if "=" in written:
                raise StanceError(f"party name or alias {shown!r} contains '='; write NAME=ALIAS,ALIAS with one '='")
            if len(written) > MAX_NAME:
                raise StanceError(f"party name or alias {shown!r} is longer than {MAX_NAME} characters")

    @classmethod
    def parse(cls, text: str) -> PartySpec:
        """Read ``"Khalifa Haftar=Haftar,General Haftar"`` (the ``=ALIASES`` part is optional)."""
        name, _, rest = text.partition("=")
        aliases = tuple(alias for alias in rest.split(",") if alias.strip())
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
    #: Whether the caller named it (a :class:`PartySpec`); a given party the articles never
    #: mention is still listed, with no mentions, so the caller can say it was not found.
    given: bool = False
