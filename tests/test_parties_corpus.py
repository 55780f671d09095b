"""Parties across a corpus: one person in many events is one party with one name."""

from stance.parties.corpus import unify


def test_a_person_written_three_ways_in_three_events_is_one_name() -> None:
    names = unify(
        [
            ("Nadia Kerrow", ["Kerrow"], "PERSON"),
            ("Kerrow", [], "PERSON"),
            ("Senator Kerrow", [], "PERSON"),
            ("Nadia Kerrow", [], "PERSON"),
            ("Nadia B. Kerrow", [], "PERSON"),
        ]
    )
    assert names == ["Nadia Kerrow"] * 5


def test_a_bare_surname_stays_apart_when_two_people_carry_it() -> None:
    names = unify(
        [
            ("Nadia Kerrow", ["Kerrow"], "PERSON"),
            ("Tomas Kerrow", ["Kerrow"], "PERSON"),
            ("Kerrow", [], "PERSON"),
            ("Mr. Kerrow", [], "PERSON"),
        ]
    )
    assert names[0] != names[1]
    assert names[2] == "Kerrow"  # either of them
    assert names[3] == "Tomas Kerrow"  # the one man among them


def test_a_nickname_is_the_same_person_and_a_different_first_name_is_not() -> None:
    names = unify(
        [
            ("Richard Holloway", [], "PERSON"),
            ("Dick Holloway", [], "PERSON"),
            ("Richard Holloway", [], "PERSON"),
            ("Margaret Holloway", [], "PERSON"),
        ]
    )
    assert names[:3] == ["Richard Holloway"] * 3
    assert names[3] == "Margaret Holloway"


def test_a_nickname_of_two_different_names_joins_neither() -> None:
    names = unify([("Alexander Voss", [], "PERSON"), ("Alexandra Voss", [], "PERSON"), ("Alex Voss", [], "PERSON")])
    assert len(set(names)) == 3


def test_different_middle_initials_or_suffixes_are_different_people() -> None:
    names = unify(
        [
            ("George W. Hartley", [], "PERSON"),
            ("George H. W. Hartley", [], "PERSON"),
            ("George Hartley", [], "PERSON"),
            ("Hartley", [], "PERSON"),
            ("Martin Ode Jr.", [], "PERSON"),
            ("Martin Ode Sr.", [], "PERSON"),
        ]
    )
    assert len(set(names)) == 6


def test_a_middle_name_and_its_initial_agree() -> None:
    names = unify(
        [("Hillary Rodham Quist", [], "PERSON"), ("Hillary R. Quist", [], "PERSON"), ("Hillary Quist", [], "PERSON")]
    )
    assert len(set(names)) == 1


def test_organisations_join_by_spelling_and_by_a_defined_acronym() -> None:
    names = unify(
        [
            ("Government of Unity", ["GOU"], "ORG"),
            ("GOU", [], "ORG"),
            ("the Government of Unity", [], "ORG"),
            ("Wal-Mart", [], "ORG"),
            ("Walmart", [], "ORG"),
        ]
    )
    assert names == ["Government of Unity"] * 3 + [names[3]] * 2
    assert names[3] in ("Wal-Mart", "Walmart")


def test_a_place_named_like_a_surname_does_not_join_the_person() -> None:
    names = unify([("Lina Jordan", ["Jordan"], "PERSON"), ("Jordan", [], "GPE"), ("Jordan", [], "GPE")])
    assert names == ["Lina Jordan", "Jordan", "Jordan"]
    assert unify([("Lina Jordan", [], "PERSON"), ("Jordan", [], "PERSON")]) == ["Lina Jordan"] * 2


def test_an_empty_corpus_and_order_preserved() -> None:
    assert unify([]) == []
    assert unify([("Beta Corp", [], "ORG"), ("Alpha Party", [], "ORG")]) == ["Beta Corp", "Alpha Party"]


def test_a_gendered_title_on_a_bare_surname_picks_the_bearer_of_that_gender() -> None:
    names = unify(
        [
            ("Mark Ellison", [], "PERSON"),
            ("Laura Ellison", [], "PERSON"),
            ("Mrs. Ellison", [], "PERSON"),
            ("Ellison", [], "PERSON"),
        ]
    )
    assert names == ["Mark Ellison", "Laura Ellison", "Laura Ellison", "Ellison"]


def test_a_one_word_part_of_an_organisation_alias_links_nothing() -> None:
    names = unify([("Harbor Court", ["Court"], "ORG"), ("Court", [], "ORG"), ("Harbor Court Trust", ["HCT"], "ORG")])
    assert names == ["Harbor Court", "Court", "Harbor Court Trust"]
