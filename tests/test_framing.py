"""Framing: the words each outlet uses for a party, from general syntax rules."""

from pathlib import Path

import pytest

from stance.framing import descriptors, normalise, only_in
from stance.parties import FoundParty, find_parties
from stance.result import Descriptor
from stance.sentences import ParsedArticle, parse

SEEDS = Path(__file__).parent.parent / "seeds"


@pytest.fixture(scope="module")
def seeds() -> tuple[list[ParsedArticle], list[FoundParty], list[dict[str, list[Descriptor]]]]:
    articles = [
        parse((SEEDS / "cgtn-2019.txt").read_text(encoding="utf-8"), "cgtn", None),
        parse((SEEDS / "alarabiya-2020.txt").read_text(encoding="utf-8"), "alarabiya", None),
    ]
    parties = find_parties(articles)
    return articles, parties, descriptors(articles, parties)


def of(seeds, name: str) -> dict[str, list[tuple[str, str]]]:
    _, parties, found = seeds
    index = next(i for i, p in enumerate(parties) if p.name == name)
    return {label: [(d.text, d.kind) for d in ds] for label, ds in found[index].items()}


def described(text: str, actions: bool = False) -> dict[str, list[tuple[str, str]]]:
    """Party name -> (descriptor, kind) for a one-article text; descriptors of actions,
    words and treatment only with ``actions``."""
    article = parse(text, "a", None)
    parties = find_parties([article])
    found = descriptors([article], parties)
    keep = (lambda kind: True) if actions else (lambda kind: kind not in ("action", "words", "treatment"))
    return {p.name: [(d.text, d.kind) for d in ds["a"] if keep(d.kind)] for p, ds in zip(parties, found, strict=True)}


def test_seed_haftar_framed_differently(seeds) -> None:
    haftar = of(seeds, "Khalifa Haftar")
    assert ("strongman", "epithet") in haftar["alarabiya"]
    assert ("foe of Islamist extremism", "appositive") in haftar["cgtn"]
    assert ("who casts himself as a foe of Islamist extremism", "relative") in haftar["cgtn"]
    assert ("General", "title") in haftar["alarabiya"]
    assert all(text != "75" for text, _ in haftar["cgtn"])  # an age is not a label
    _, parties, found = seeds
    only = only_in(found[[p.name for p in parties].index("Khalifa Haftar")])
    assert "strongman" in only["alarabiya"] and "foe of Islamist extremism" in only["cgtn"]


def test_seed_gna_modifiers_through_possessives(seeds) -> None:
    gna = of(seeds, "Government of National Accord")
    assert ("Turkish-backed", "modifier") in gna["alarabiya"]  # Libya’s Turkish-backed Government ...
    assert ("UN-recognized", "modifier") in gna["alarabiya"]  # Sarraj’s UN-recognized GNA
    assert gna["cgtn"] == []  # only a dropped caption names it there


def test_seed_shared_title_is_not_only_in_either(seeds) -> None:
    _, parties, found = seeds
    pompeo = found[[p.name for p in parties].index("Mike Pompeo")]
    labels = {d.text for ds in pompeo.values() for d in ds if d.kind not in ("action", "words", "treatment")}
    assert labels == {"Secretary of State"}
    assert all("Secretary of State" not in only for only in only_in(pompeo).values())


def test_every_party_has_every_label_and_descriptors_come_from_their_sentence(seeds) -> None:
    articles, parties, found = seeds
    assert len(found) == len(parties)
    for per_label in found:
        assert set(per_label) == {"cgtn", "alarabiya"}
        for article in articles:
            for d in per_label[article.label]:
                assert d.text in article.sentences[d.sentence].text


def test_appositive_and_predicate() -> None:
    found = described("Maria Lopez, a veteran diplomat, arrived in Paris on Monday. Lopez is a former judge.")
    assert found["Maria Lopez"] == [("veteran diplomat", "appositive"), ("former judge", "predicate")]


def test_relative_clause_and_what_it_casts_the_party_as() -> None:
    found = described("Omar Haddad, 64, who describes himself as a champion of the poor, spoke. Haddad is defiant.")
    assert found["Omar Haddad"] == [
        ("champion of the poor", "appositive"),
        ("who describes himself as a champion of the poor", "relative"),
        ("defiant", "predicate"),
    ]


def test_modifiers_titles_and_acronym_defined_in_parentheses() -> None:
    found = described(
        "The Kremlin-backed National Unity Front (NUF) held a rally. Prime Minister Lena Park left early."
    )
    assert found["National Unity Front"] == [("Kremlin-backed", "modifier")]  # not "NUF"
    assert found["Lena Park"] == [("Prime Minister", "title")]


def test_modifier_after_a_possessive() -> None:
    found = described("Oil prices rose after Norway's state-owned Equinor Energy Company cut output.")
    assert found["Equinor Energy Company"] == [("state-owned", "modifier")]
    assert found["Norway"] == []


def test_epithet_descriptor() -> None:
    found = described("Viktor Orsan won the election again. Voters cheered as the strongman spoke.")
    assert found["Viktor Orsan"] == [("strongman", "epithet")]


def test_only_in_compares_normalised_forms_and_shows_the_first_written() -> None:
    ds = {
        "a": [
            Descriptor("Islamist militants", "appositive", 1),
            Descriptor("The Strongman", "epithet", 2),
            Descriptor("rebel", "modifier", 3),
            Descriptor("strongman", "epithet", 4),
        ],
        "b": [Descriptor("islamist militant", "appositive", 0), Descriptor("UN‑backed", "modifier", 1)],
        "c": [],
    }
    # Compared normalised, shown as first written.
    assert only_in(ds) == {"a": ["The Strongman", "rebel"], "b": ["UN‑backed"], "c": []}
    assert normalise("“the UN – backed”  forces") == "un-backed force"


def test_how_a_party_acts_is_described_with_negation_kept() -> None:
    found = described("Senator Jane Roe sharply rebuked the committee. Jane Roe did not back down on Tuesday.", True)
    roe = found["Jane Roe"]
    assert ("sharply rebuked", "action") in roe
    assert ("not back down", "action") in roe


def test_the_words_of_a_party_are_described_by_their_modifiers() -> None:
    found = described("Mayor Tom Baker gave a speech. Baker's long and angry speech ended at noon.", True)
    assert ("long and angry speech", "words") in found["Tom Baker"]
    assert all(text != "gave" for text, _ in found["Tom Baker"])  # a light verb says nothing


def test_clauses_sharing_the_subject_are_actions_but_not_those_of_an_object() -> None:
    roe = described("Senator Jane Roe left the hearing, angrily denying the report.", True)["Jane Roe"]
    assert ("angrily denying", "action") in roe
    assert ("refused to apologize", "action") in described("Jane Roe refused to apologize.", True)["Jane Roe"]
    urged = described("Senator Jane Roe urged the board to resign.", True)["Jane Roe"]
    assert all("resign" not in text for text, _ in urged)  # the board resigns, not Roe


def test_a_sentence_adverb_is_not_part_of_the_action() -> None:
    assert described("Instead, Jane Roe quietly resigned.", True)["Jane Roe"] == [("quietly resigned", "action")]


def test_what_is_said_of_a_partys_words_with_negation_kept() -> None:
    found = described("Mayor Tom Baker spoke. Baker's remarks were plainly misleading. His plan was not ready.", True)
    assert ("plainly misleading", "words") in found["Tom Baker"]
    assert ("not ready", "words") in found["Tom Baker"]
    assert described("Maria Lopez spoke. Lopez is not a judge.")["Maria Lopez"] == [("not a judge", "predicate")]
    assert described("Jane Roe isn't ready.", True)["Jane Roe"] == [("isn't ready", "predicate")]
    # The clause after the adjective is what the party is displeased about, not a label of it.
    displeased = described("Maria Lopez arrived. Lopez is not pleased that the vote was delayed, aides said.")
    assert displeased["Maria Lopez"] == [("not pleased", "predicate")]


def test_what_others_call_the_party_and_do_to_it() -> None:
    found = described("Critics called Jane Roe reckless. The group attacked Jane Roe as a snob.", True)
    assert ("reckless", "predicate") in found["Jane Roe"] and ("snob", "predicate") in found["Jane Roe"]
    roe = described("The governor bitterly criticized Jane Roe. Jane Roe shook her head.", True)["Jane Roe"]
    assert ("bitterly criticized", "treatment") in roe
    assert ("shook", "treatment") not in roe  # her own head: not something done to her


def test_role_is_read_through_an_appositive_and_an_epithet() -> None:
    chair = described("The committee chair, Jane Roe, was narrowly outvoted on Tuesday.", True)["Jane Roe"]
    assert ("narrowly outvoted", "action") in chair
    orsan = described("Viktor Orsan won the election again. The strongman angrily rejected the result.", True)
    assert ("strongman", "epithet") in orsan["Viktor Orsan"] and ("angrily rejected", "action") in orsan["Viktor Orsan"]


def test_a_capitalised_first_adjective_is_a_label_not_a_name() -> None:
    # The small model tags this first word as a person; it is an adjective all the same.
    found = described("Blustery conservative talk show host Dana Cole closed a three-day conference on Saturday.")
    assert ("Blustery", "modifier") in found["Dana Cole"]


def test_a_verb_that_only_attributes_words_frames_nothing_but_one_that_judges_them_does() -> None:
    roe = described("Jane Roe noted that the plan was ready. She explained that talks would go on.", True)["Jane Roe"]
    assert [text for text, kind in roe if kind == "action"] == []
    doe = described("John Doe claimed that the vote was rigged.", True)["John Doe"]
    assert ("claimed", "action") in doe
