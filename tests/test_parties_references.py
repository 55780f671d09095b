"""Referents that agree: pronouns, epithets and surnames go to a party they fit, or to none."""

from spacy.tokens import Span

from stance.parties import FoundParty, find_parties
from stance.parties.gender import decide, first_name_gender, title_gender
from stance.sentences import parse


def parties_of(text: str) -> dict[str, FoundParty]:
    return {p.name: p for p in find_parties([parse(text, "a", None)])}


def refs(party: FoundParty, kind: str) -> list[tuple[int, str]]:
    return [(m.sentence, m.text) for m in party.mentions if m.kind == kind]


def test_gender_from_census_first_names_titles_and_votes() -> None:
    assert (first_name_gender("Laura"), first_name_gender("Mark"), first_name_gender("Jan")) == ("f", "m", None)
    assert first_name_gender("Zxqvbn") is None
    assert (title_gender("Mrs."), title_gender("Congressman"), title_gender("Senator")) == ("f", "m", None)
    assert decide(["m", "m", "f"]) is None and decide(["m", "m", "m", "m", "f"]) == "m"
    assert decide(["f", "f"], strong=["m"]) == "m" and decide([], strong=["m", "f"]) is None


def test_a_feminine_pronoun_skips_the_man_who_is_the_nearer_subject() -> None:
    found = parties_of("Mark Ellison met Laura Dunn on Monday. She said the plan would fail.")
    assert refs(found["Laura Dunn"], "pronoun") == [(1, "She")]
    assert refs(found["Mark Ellison"], "pronoun") == []


def test_a_bare_surname_with_a_title_of_the_other_gender_is_not_the_relative() -> None:
    found = parties_of(
        "Monica Hale arrived at the gala with her husband on Friday. Mr. Hale said he was tired. Hale left early."
    )
    assert "Hale" not in found["Monica Hale"].aliases
    assert [m.text for m in found["Monica Hale"].mentions] == ["Monica Hale", "her"]


def test_a_status_noun_does_not_go_to_an_office_holder_by_nearness() -> None:
    found = parties_of("Gov. Ray Tillman visited the school after the shooting. The suspect was arrested on Tuesday.")
    assert refs(found["Ray Tillman"], "epithet") == []
    found = parties_of("Ray Tillman fled the scene on Monday. The suspect was arrested on Tuesday.")
    assert refs(found["Ray Tillman"], "epithet") == [(1, "The suspect")]


def test_an_abbreviated_title_makes_its_noun_stand_for_the_holder() -> None:
    found = parties_of(
        "Gov. Ray Tillman signed the bill. Critics attacked it. Others praised it. The governor said he was proud."
    )
    assert refs(found["Ray Tillman"], "epithet") == [(3, "The governor")]


def test_an_ordinal_role_noun_is_someone_else() -> None:
    found = parties_of("Ray Tillman spoke at the museum on Monday. The first president built it.")
    assert refs(found["Ray Tillman"], "epithet") == []


def test_first_person_in_a_quote_is_its_speaker() -> None:
    found = parties_of('"I will not resign, and my record speaks," Ray Tillman said on Monday. Critics disagreed.')
    assert refs(found["Ray Tillman"], "pronoun") == [(0, "I"), (0, "my")]
    found = parties_of('"I will not resign," a spokesman for the council said of Ray Tillman.')
    assert refs(found["Ray Tillman"], "pronoun") == []


def test_a_surname_joins_a_titled_full_name_whatever_its_tag() -> None:
    found = parties_of(
        "Austrian Chancellor Ulf Kranz spoke in Vienna on Monday. Kranz said the coalition would hold. "
        "Critics of Kranz disagreed."
    )
    assert "Kranz" not in found
    assert found["Ulf Kranz"].entity_type == "PERSON"
    assert [m.text for m in found["Ulf Kranz"].mentions if m.kind == "name"] == ["Ulf Kranz", "Kranz", "Kranz"]


def tagged(text: str, full: str, surname_label: str):
    """``text`` parsed, with the tagger's entities replaced: ``full`` a person, every other
    occurrence of its last word labelled ``surname_label``."""
    article = parse(text, "a", None)
    doc = article.spans[0].doc
    words = full.split()
    ents = []
    for token in doc:
        if doc[token.i : token.i + len(words)].text == full:
            ents.append(Span(doc, token.i, token.i + len(words), label="PERSON"))
        elif token.text == words[-1] and not (ents and ents[-1].end > token.i):
            ents.append(Span(doc, token.i, token.i + 1, label=surname_label))
    doc.ents = ents
    return article


def test_a_surname_tagged_as_a_place_joins_the_person_unless_used_as_a_place() -> None:
    article = tagged(
        "Ana Cordoba won the vote on Monday. Voters praised Cordoba. Cordoba thanked them.", "Ana Cordoba", "GPE"
    )
    found = {p.name: p for p in find_parties([article])}
    assert "Cordoba" not in found and len(found["Ana Cordoba"].mentions) == 3
    article = tagged("Ana Cordoba won the vote on Monday. Voters in Cordoba cheered.", "Ana Cordoba", "GPE")
    assert "Cordoba" in {p.name for p in find_parties([article])}


def test_a_plain_person_noun_is_not_the_office_holder_nearby() -> None:
    found = parties_of("Rep. Ray Tillman grabbed a student on the street. The young man was unhurt.")
    assert refs(found["Ray Tillman"], "epithet") == []


def test_a_surname_said_with_he_is_not_the_woman_of_that_name() -> None:
    found = parties_of(
        "Monica Hale spoke at the gala on Friday. President Hale said he would sign the bill. "
        "Hale said he was proud of the vote."
    )
    assert [m.text for m in found["Monica Hale"].mentions] == ["Monica Hale"]
    assert [m.text for m in found["Hale"].mentions] == ["Hale", "he", "Hale", "he"]
