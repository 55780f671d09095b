"""Party precision: no junk parties, and given parties checked and reported honestly."""

import pytest
from spacy.tokens import Span

from stance.errors import StanceError
from stance.parties import PartySpec, find_parties, name_span
from stance.parties.model import MAX_NAME
from stance.sentences import nlp, parse


def names_of(text: str) -> dict[str, str]:
    return {p.name: p.entity_type for p in find_parties([parse(text, "a", None)])}


def test_a_nationality_adjective_modifying_a_thing_is_no_party() -> None:
    found = names_of(
        "Islamist militants attacked the Libyan capital on Monday. Libyans fled as Turkish troops arrived. "
        "The Islamists said Democrat lawmakers were weak. Democrats disagreed. The envoy is Hungarian."
    )
    assert {"Libyans", "Islamists", "Democrats"} <= set(found)
    assert not {"Islamist", "Libyan", "Turkish", "Democrat", "Hungarian"} & set(found)


def test_a_lower_case_word_the_tagger_glued_to_a_name_is_dropped() -> None:
    doc = nlp()("Senator Tom Brandt today signed the bill.")
    assert name_span(Span(doc, 0, 4, label="PERSON")).text == "Tom Brandt"
    doc = nlp()("Protests against Chick-fil-A grew.")
    assert name_span(Span(doc, 2, 7, label="ORG")).text == "Chick-fil-A"


def test_initials_alone_are_not_a_person() -> None:
    article = parse("Tom Brandt signed the bill, calling it O.K. for now.", "a", None)
    doc = article.spans[0].doc
    ok = next(i for i, t in enumerate(doc) if t.text == "O.K.")
    doc.ents = [e for e in doc.ents if e.start > ok or e.end <= ok] + [Span(doc, ok, ok + 1, label="PERSON")]
    found = [p.name for p in find_parties([article])]
    assert "Tom Brandt" in found and "O.K." not in found


def test_party_spec_rejects_a_second_equals_sign_and_overlong_names() -> None:
    with pytest.raises(StanceError, match="'='"):
        PartySpec.parse("Khalid Omar=General=Khalid")
    with pytest.raises(StanceError, match=str(MAX_NAME)):
        PartySpec.parse("x" * 100_000)
    with pytest.raises(StanceError):
        PartySpec("Khalid Omar", ("a" * (MAX_NAME + 1),))
    with pytest.raises(StanceError):
        PartySpec("A=B")
    assert PartySpec("  Khalid   Omar ", (" Omar ",)) == PartySpec("Khalid Omar", ("Omar",))


def test_party_spec_errors_speak_of_the_party_not_of_command_line_flags() -> None:
    for bad in ("", "=Omar", "Omar=A=B", "y" * 500):
        with pytest.raises(StanceError) as error:
            PartySpec.parse(bad)
        assert "--" not in str(error.value)


def test_a_given_party_that_matched_nothing_is_marked_given_with_no_mentions() -> None:
    article = parse("Tom Brandt met reporters on Tuesday.", "a", None)
    found = {p.name: p for p in find_parties([article], [PartySpec.parse("Northern Guild")])}
    assert found["Northern Guild"].given and found["Northern Guild"].mentions == []
    assert not found["Tom Brandt"].given


def test_a_quotation_mark_the_tagger_took_is_not_part_of_the_name() -> None:
    doc = nlp()('They met at "Harbor Point on Friday.')
    start = next(t.i for t in doc if t.text == '"')
    assert name_span(Span(doc, start, start + 3, label="ORG")).text == "Harbor Point"


def test_a_lone_adjective_tagged_as_an_organisation_is_no_party() -> None:
    article = parse("The Republican leader spoke on Friday.", "a", None)
    doc = article.spans[0].doc
    adjective = next(t.i for t in doc if t.text == "Republican")
    doc.ents = [Span(doc, adjective, adjective + 1, label="ORG")]
    assert find_parties([article]) == []


def test_a_platform_or_station_tagged_as_a_person_is_not_a_person() -> None:
    article = parse(
        "The senator posted the video on Twitter on Monday. Critics replied on Twitter within hours. "
        "KTVI aired it. McCain said he agreed.",
        "a",
        None,
    )
    doc = article.spans[0].doc
    doc.ents = [Span(doc, t.i, t.i + 1, label="PERSON") for t in doc if t.text in ("Twitter", "KTVI", "McCain")]
    found = {p.name: p.entity_type for p in find_parties([article])}
    assert found == {"Twitter": "ORG", "KTVI": "ORG", "McCain": "PERSON"}


def test_control_characters_in_a_party_name_are_shown_and_still_match_the_text():
    # Mis-encoded names (a C1 byte) occur in real data; they must neither crash nor reach the terminal.
    spec = PartySpec.parse("Hans-Georg Maa\u00c3\x9fen=Maa\u00c3\x9fen")
    assert "\x9f" not in spec.name and spec.name.startswith("Hans-Georg Maa")
    article = parse("Hans-Georg Maa\u00c3\x9fen spoke in Berlin on Monday. Maa\u00c3\x9fen said little.", "a")
    (party,) = find_parties([article], [spec], only_given=True)
    assert len(party.mentions) == 2
    assert "\x1b" not in PartySpec.parse("Khalifa\x1b[2J Haftar").name
