"""Parties: one party per real-world party across both articles, with all its mentions."""

import pytest

from stance.errors import StanceError
from stance.parties import FoundParty, PartySpec, find_parties
from stance.sentences import ParsedArticle, parse


@pytest.fixture(scope="module")
def seed_parties(parsed_seeds: list[ParsedArticle]) -> list[FoundParty]:
    return find_parties(parsed_seeds)


def party(parties: list[FoundParty], name: str) -> FoundParty:
    """The one party that goes by ``name``; fails if it is split over several."""
    matches = [p for p in parties if name == p.name or name in p.aliases]
    assert len(matches) == 1, [p.name for p in matches]
    return matches[0]


def texts(found: FoundParty, kind: str | None = None) -> list[str]:
    return [m.text for m in found.mentions if kind is None or m.kind == kind]


def single(text: str, *given: PartySpec, only_given: bool = False) -> tuple[ParsedArticle, list[FoundParty]]:
    article = parse(text, "a", None)
    return article, find_parties([article], given, only_given)


# -- the parsed_seeds ---------------------------------------------------------------------------
def test_haftar_is_one_person_across_both_articles(seed_parties: list[FoundParty]) -> None:
    haftar = party(seed_parties, "Haftar")
    assert haftar.name == "Khalifa Haftar"
    assert haftar.entity_type == "PERSON"
    assert {m.article for m in haftar.mentions} == {0, 1}
    assert not [p for p in seed_parties if p is not haftar and "Haftar" in p.name]
    # "Khalifa Haftar's", "Haftar’s", "General Haftar" and the ORG-tagged "Haftar" all count
    names = texts(haftar, "name")
    assert (names.count("Khalifa Haftar"), names.count("Haftar")) == (3, 7)


def test_pompeo_and_the_gna_are_single_parties(seed_parties: list[FoundParty]) -> None:
    pompeo = party(seed_parties, "Pompeo")
    assert pompeo.name == "Mike Pompeo" and {m.article for m in pompeo.mentions} == {0, 1}
    gna = party(seed_parties, "GNA")
    assert gna.name == "Government of National Accord"
    # the "(GNA)" right after the long name defines it and is not a second mention
    assert sum(1 for m in gna.mentions if m.article == 1 and m.sentence == 0) == 1
    assert texts(gna).count("GNA") == 3


def test_title_fragments_and_longer_names_stay_apart(seed_parties: list[FoundParty]) -> None:
    names = {p.name for p in seed_parties}
    assert "State" not in names  # from "Secretary of State"
    lna = party(seed_parties, "LNA")
    assert lna.name == "Libyan National Army"
    libya = party(seed_parties, "Libya")
    assert "Libyan National Army" not in libya.aliases and "Libyan" not in libya.aliases


def test_epithet_and_object_pronoun_resolve_to_haftar(
    parsed_seeds: list[ParsedArticle], seed_parties: list[FoundParty]
) -> None:
    haftar = party(seed_parties, "Haftar")
    last = max(parsed_seeds[1].spans)  # "... Trump ... spoke with the strongman by telephone and praised him."
    refs = [(m.text, m.kind) for m in haftar.mentions if (m.article, m.sentence) == (1, last)]
    assert ("the strongman", "epithet") in refs and ("him", "pronoun") in refs
    trump = party(seed_parties, "Donald Trump")
    assert texts(trump) == ["Donald Trump"]


def test_he_said_resolves_to_the_speaker_not_the_quoted_name(seed_parties: list[FoundParty]) -> None:
    pompeo = party(seed_parties, "Pompeo")
    assert (0, 1, "he", "pronoun") in [(m.article, m.sentence, m.text, m.kind) for m in pompeo.mentions]
    haftar = party(seed_parties, "Haftar")
    assert (0, 1) not in [(m.article, m.sentence) for m in haftar.mentions if m.kind == "pronoun"]


def test_mentions_point_into_their_sentence(parsed_seeds: list[ParsedArticle], seed_parties: list[FoundParty]) -> None:
    for found in seed_parties:
        for m in found.mentions:
            sentence = parsed_seeds[m.article].sentences[m.sentence]
            assert sentence.dropped is None
            assert sentence.text[m.start : m.end] == m.text


def test_parties_sorted_by_mentions(seed_parties: list[FoundParty]) -> None:
    counts = [len(p.mentions) for p in seed_parties]
    assert counts == sorted(counts, reverse=True)


def test_captions_are_not_mined(seed_parties: list[FoundParty]) -> None:
    # "Aguila Saleh" and "Mohamed Ghnouno" appear only in dropped photo captions
    names = " ".join(p.name for p in seed_parties)
    assert "Saleh" not in names and "Ghnouno" not in names


def test_parse_numbers_sentences_and_keeps_their_spans(parsed_seeds: list[ParsedArticle]) -> None:
    for article in parsed_seeds:
        assert [s.id for s in article.sentences] == list(range(len(article.sentences)))
        for s in article.sentences:
            assert (s.id in article.spans) == (s.dropped is None)
            if s.dropped is None:
                span = article.spans[s.id]
                assert span.text == s.text == s.text.strip()
                # the span's doc is the whole paragraph, for context across sentences
                assert span.doc.text == " ".join(t.text for t in article.sentences if t.paragraph == s.paragraph)
    cgtn = parsed_seeds[0]
    first = next(s for s in cgtn.sentences if s.text.startswith('"The United States continues'))
    paragraph = [s.text for s in cgtn.sentences if s.paragraph == first.paragraph]
    assert len(paragraph) == 2 and paragraph[0].endswith("he added.")
    assert cgtn.sentences[-1].dropped == "photo caption"


def test_parse_glues_an_attribution_split_off_a_quote() -> None:
    article = parse('"We will not stop!" he said. "The fight goes on."', "a", None)
    assert [s.text for s in article.sentences] == ['"We will not stop!" he said.', '"The fight goes on."']


# -- invented sentences -----------------------------------------------------------------
def test_parenthesised_acronym_joins_its_name() -> None:
    _, parties = single("The Democratic Alliance for Reform (DAR) won the vote. Later, DAR leaders celebrated.")
    dar = party(parties, "DAR")
    assert dar.name == "Democratic Alliance for Reform"
    assert texts(dar) == ["Democratic Alliance for Reform", "DAR"]


def test_acronym_spelling_initials_joins_its_name() -> None:
    _, parties = single("The National Liberation Front held talks on Friday. The NLF said it would return.")
    assert party(parties, "NLF").name == "National Liberation Front"


def test_surname_and_possessive_join_the_full_name() -> None:
    _, parties = single("Maria Lopez arrived in Paris on Monday. Lopez's aides said Lopez is tired.")
    lopez = party(parties, "Maria Lopez")
    assert texts(lopez) == ["Maria Lopez", "Lopez", "Lopez"]
    assert lopez.aliases == ["Lopez"]


def test_dateline_is_not_a_mention() -> None:
    _, parties = single("BERLIN (Reuters) - Officials in Berlin said Siemens would cut 500 jobs.")
    assert [(p.name, texts(p)) for p in parties] == [("Berlin", ["Berlin"]), ("Siemens", ["Siemens"])]


def test_pronoun_after_a_named_subject() -> None:
    _, parties = single("John Carver met reporters on Tuesday. He said the plan would fail.")
    assert texts(party(parties, "John Carver"), "pronoun") == ["He"]


def test_object_pronoun_skips_the_subject_of_its_clause() -> None:
    _, parties = single("Anna Berg called Tom Ruiz and thanked him.")
    assert texts(party(parties, "Tom Ruiz"), "pronoun") == ["him"]
    assert texts(party(parties, "Anna Berg"), "pronoun") == []


def test_pronoun_in_a_quote_does_not_reach_outside_it() -> None:
    _, parties = single('Lena Park criticised Omar Haddad. "He has failed," she said.')
    assert texts(party(parties, "Omar Haddad"), "pronoun") == []  # "He" is inside the quote
    assert texts(party(parties, "Lena Park"), "pronoun") == ["she"]


def test_epithet_needs_exactly_one_person_nearby() -> None:
    _, parties = single("Viktor Orsan won the election again. Voters cheered as the strongman spoke.")
    assert texts(party(parties, "Viktor Orsan"), "epithet") == ["the strongman"]
    _, parties = single("Viktor Orsan met Pavel Dorn. The general left early.")
    assert all(m.kind == "name" for p in parties for m in p.mentions)


# -- given parties ----------------------------------------------------------------------
def test_party_spec_parse() -> None:
    spec = PartySpec.parse("Khalifa Haftar = Haftar, General Haftar")
    assert spec == PartySpec("Khalifa Haftar", ("Haftar", "General Haftar"))
    assert PartySpec.parse("Wagner Group") == PartySpec("Wagner Group", ())
    for bad in ("", "  ", "=Haftar"):
        with pytest.raises(StanceError):
            PartySpec.parse(bad)


def test_given_spec_renames_adds_aliases_and_restricts() -> None:
    text = "The Northern Coalition seized the town. Rebel leaders celebrated in the town square."
    spec = PartySpec.parse("Northern Coalition Forces=Northern Coalition,Rebel")
    _, parties = single(text, spec, only_given=True)
    assert [p.name for p in parties] == ["Northern Coalition Forces"]
    assert texts(parties[0]) == ["Northern Coalition", "Rebel"]


def test_given_party_that_is_never_mentioned_is_still_listed() -> None:
    _, parties = single("John Carver met reporters on Tuesday.", PartySpec.parse("Wagner Group"))
    assert party(parties, "Wagner Group").mentions == []
    assert party(parties, "John Carver").mentions


def test_a_given_name_finds_the_person_written_another_way():
    article = parse(
        "Robert K. Lindqvist, a senator from Ohio, spoke on Monday. Mr. Lindqvist said he would run again.",
        "a",
        None,
    )
    (party,) = find_parties([article], [PartySpec.parse("Bob Lindqvist")], only_given=True)
    assert party.name == "Bob Lindqvist"
    assert {m.text for m in party.mentions} >= {"Robert K. Lindqvist", "Lindqvist"}


def test_a_pronoun_in_a_verbless_sentence_does_not_hang():
    # The walk up from "her" to a verb ends at a noun root; it once looped forever there.
    article = parse("Maria Lopez won the vote on Tuesday. A big win for her, and for the party.", "a", None)
    (party,) = find_parties([article], [PartySpec.parse("Maria Lopez")], only_given=True)
    assert party.mentions


def test_a_given_name_is_found_whatever_its_case():
    article = parse("Hundreds of protesters gathered outside the court on Wednesday.", "a", None)
    (party,) = find_parties([article], [PartySpec.parse("Protesters")], only_given=True)
    assert [m.text for m in party.mentions] == ["protesters"]


def test_a_title_case_headline_names_no_party_of_its_own():
    article = parse(
        "Sheriff Joe Arpaio Endorses Rick Perry For President\n\n"
        "Sheriff Joe Arpaio endorsed Rick Perry on Tuesday. Arpaio praised the governor.",
        "a",
        None,
    )
    parties = {p.name: p for p in find_parties([article])}
    assert {"Joe Arpaio", "Rick Perry"} <= set(parties)
    assert not any("Endorses" in name or "President" in name for name in parties)
    # The headline still counts as a mention of the parties found in the body.
    assert 0 in {m.sentence for m in parties["Rick Perry"].mentions}


# -- names the user gives, written another way -------------------------------------------------
def test_given_names_match_without_accents_hyphens_or_middle_initials() -> None:
    text = (
        "Representative Raúl R. Labrador of Idaho announced a run for majority leader. "
        "Mr. Labrador said the party needed a change. Wal-Mart said it would appeal. "
        "“That man is Raúl Labrador,” an ally said."
    )
    _, found = single(text, PartySpec("Raul Labrador"), PartySpec("Walmart"), only_given=True)
    assert [p.name for p in found] == ["Raul Labrador", "Walmart"]
    assert texts(found[0], "name") == ["Raúl R. Labrador", "Labrador", "Raúl Labrador"]
    assert texts(found[1]) == ["Wal-Mart"]


def test_a_given_group_name_also_matches_its_head_noun() -> None:
    text = (
        "The Obama administration defended the program on Saturday. "
        "Administration officials said the data had stopped attacks. "
        "Critics said the administration had misled Congress."
    )
    _, found = single(text, PartySpec("Obama administration"), only_given=True)
    assert [m.sentence for m in found[0].mentions] == [0, 1, 2]


def test_a_head_noun_shared_by_two_given_groups_needs_its_qualifier() -> None:
    text = (
        "Republican lawmakers read the Constitution aloud on Thursday. "
        "Democratic lawmakers called the reading a stunt. "
        "The lawmakers then argued for an hour. "
        "Nebraska officials sued over the law."
    )
    given = (PartySpec("Republican lawmakers"), PartySpec("Democratic lawmakers"), PartySpec("Colorado officials"))
    _, found = single(text, *given, only_given=True)
    sentences = {p.name: [m.sentence for m in p.mentions] for p in found if p.mentions}
    assert sentences == {"Republican lawmakers": [0], "Democratic lawmakers": [1]}


def test_a_title_the_articles_give_one_person_stands_for_them_further_on() -> None:
    text = (
        "President Obama signed the order on Monday. "
        "The order covers background checks. "
        "Gun groups said they would sue. "
        "Their lawyers filed papers within hours. "
        "The president said he expected the challenge."
    )
    _, found = single(text)
    obama = party(found, "Obama")
    assert (4, "epithet") in {(m.sentence, m.kind) for m in obama.mentions}


def test_a_nickname_and_the_full_first_name_are_one_person() -> None:
    _, parties = single(
        "Richard Blumenthal spoke on Monday. Dick Blumenthal, as voters know him, won. Blumenthal said so. "
        "Liz Cheney and Mary Cheney disagreed. Elizabeth Cheney left."
    )
    blumenthal = party(parties, "Richard Blumenthal")
    assert texts(blumenthal, "name") == ["Richard Blumenthal", "Dick Blumenthal", "Blumenthal"]
    assert party(parties, "Liz Cheney") is party(parties, "Elizabeth Cheney")
    assert party(parties, "Mary Cheney") is not party(parties, "Elizabeth Cheney")


def test_a_dateline_without_an_agency_is_not_a_mention() -> None:
    _, parties = single("New tax rules.\n\nWASHINGTON -- The U.S. Department of the Treasury announced a rule.")
    names = [p.name for p in parties]
    assert "Treasury" in names and "WASHINGTON" not in names


def test_a_hyphenated_name_the_tagger_cut_short_is_whole() -> None:
    _, parties = single("Protests against Chick-fil-A grew. Haftar-led forces advanced, Khalifa Haftar said.")
    assert {p.name: texts(p) for p in parties} == {
        "Chick-fil-A": ["Chick-fil-A"],
        "Khalifa Haftar": ["Haftar", "Khalifa Haftar"],
    }


def test_a_name_does_not_end_in_the_conjunction_the_tagger_took_with_it() -> None:
    _, parties = single("Coca-Cola and Wal-Mart shares fell on Monday. Coca-Cola said it would recover.")
    assert {p.name: texts(p) for p in parties} == {"Coca-Cola": ["Coca-Cola", "Coca-Cola"], "Wal-Mart": ["Wal-Mart"]}
    _, parties = single("Juventus won Serie A again. Serie A officials agreed.")
    assert texts(party(parties, "Serie A")) == ["Serie A", "Serie A"]


def test_a_title_word_after_a_name_is_part_of_it() -> None:
    # a word that is a title before a name is a surname or part of a brand after one
    text = (
        "Angus Major opened a bakery in Leeds on Monday. Critics said Angus Major had copied a rival. "
        "Major said the recipes were his own."
    )
    _, found = single(text, PartySpec.parse("Angus Major"), only_given=True)
    assert [p.name for p in found] == ["Angus Major"]
    assert len(found[0].mentions) == 3


def test_a_surname_given_alone_joins_the_person_it_ends() -> None:
    # the text writes the full name only: the surname the user gives still finds the person
    text = "Theo Wilson went undercover for a year. Friends of Theo Wilson said the work changed him."
    _, found = single(text, PartySpec.parse("Wilson"), only_given=True)
    assert len(found) == 1 and "Theo Wilson" in [found[0].name, *found[0].aliases]
    assert texts(found[0], "name") == ["Theo Wilson", "Theo Wilson"]


def test_an_organisation_headed_by_a_title_is_a_role_and_only_the_body_is_a_party() -> None:
    _, parties = single(
        "Negotiations mediated by UN Special Representative of the Secretary-General Jane Roe failed. Roe left Geneva."
    )
    assert "UN Special Representative" not in [p.name for p in parties]
    assert texts(party(parties, "UN")) == ["UN"]
    assert len(party(parties, "Jane Roe").mentions) == 2
    _, bodies = single("The Federal Reserve raised rates. The Office of the Special Envoy said it was ready.")
    assert {p.name for p in bodies} == {"Federal Reserve", "Office of the Special Envoy"}
