"""Voice: a mention is the outlet's own words unless quoted or reported, with its speaker."""

from stance.sentences import ParsedArticle, parse
from stance.voice import voice_of


def voice(article: ParsedArticle, needle: str, nth: int = 0) -> tuple[str, str | None]:
    """The voice of the ``nth`` occurrence of ``needle`` in the article's kept sentences."""
    hits = [
        (s.id, i)
        for s in article.sentences
        if s.dropped is None
        for i in range(len(s.text))
        if s.text.startswith(needle, i)
    ]
    sid, start = hits[nth]
    return voice_of(article, sid, start, start + len(needle))


def test_quoted_name_is_attributed_to_the_resolved_he(parsed_seeds: list[ParsedArticle]) -> None:
    # "We have made clear that we oppose ... Khalifa Haftar's forces ...," he said in a statement.
    assert voice(parsed_seeds[0], "Khalifa Haftar", 1) == ("quoted", "Mike Pompeo")


def test_name_before_a_trailing_attribution_is_reported(parsed_seeds: list[ParsedArticle]) -> None:
    # "... the forces of Khalifa Haftar, Secretary of State Mike Pompeo said on Sunday."
    assert voice(parsed_seeds[0], "Khalifa Haftar", 0) == ("quoted", "Mike Pompeo")
    assert voice(parsed_seeds[0], "Mike Pompeo") == ("own", None)


def test_quote_continuing_in_the_next_sentence_keeps_its_speaker(parsed_seeds: list[ParsedArticle]) -> None:
    # '"The United States continues ...," he added. "A political solution ... for all Libyans."'
    sentence = next(s for s in parsed_seeds[0].sentences if s.text.startswith('"A political solution'))
    start = sentence.text.index("Libyans")
    assert voice_of(parsed_seeds[0], sentence.id, start, start + 7) == ("quoted", "Pompeo")


def test_statement_and_department_are_speakers(parsed_seeds: list[ParsedArticle]) -> None:
    # Pompeo and Sarraj “emphasized ...,” a statement said.
    assert voice(parsed_seeds[1], "Sarraj", 1) == ("quoted", "a statement")
    # Pompeo placed a phone call to ... Sarraj to “reiterate ...,” the State Department said.
    assert voice(parsed_seeds[1], "Pompeo", 1) == ("quoted", "State Department")


def test_plain_reporting_is_own_voice(parsed_seeds: list[ParsedArticle]) -> None:
    assert voice(parsed_seeds[1], "The United States officially backs") == ("own", None)
    assert voice(parsed_seeds[1], "strongman") == ("own", None)


def test_that_clause_of_a_reporting_verb() -> None:
    article = parse("The minister said that the rebels had lost the town.", "a", None)
    assert voice(article, "rebels") == ("quoted", "The minister")
    assert voice(article, "minister") == ("own", None)


def test_according_to_attributes_the_clause() -> None:
    article = parse("The army shelled the city overnight, according to the ministry.", "a", None)
    assert voice(article, "army") == ("quoted", "the ministry")
    assert voice(article, "ministry") == ("own", None)


def test_curly_quote_spanning_sentences_is_quoted_throughout() -> None:
    article = parse("“We will fight. We will win,” Pavel Dorn said on Monday.", "a", None)
    assert voice(article, "fight") == ("quoted", "Pavel Dorn")
    assert voice(article, "win") == ("quoted", "Pavel Dorn")
    assert voice(article, "Monday") == ("own", None)


def test_no_attribution_means_own_voice() -> None:
    article = parse("Rebels seized the northern town of Kufra on Sunday.", "a", None)
    assert voice(article, "Rebels") == ("own", None)


def test_a_named_source_judging_the_party_relays_its_stance() -> None:
    article = parse("Senator Jane Roe denounced John Smith on Monday for his remarks.", "a", None)
    assert voice(article, "John Smith") == ("quoted", "Jane Roe")
    # the one who judges holds the attitude: her own mention stays the outlet's words
    assert voice(article, "Jane Roe") == ("own", None)


def test_the_party_judging_someone_else_is_not_relayed() -> None:
    article = parse("John Smith criticized the board for the delay.", "a", None)
    assert voice(article, "John Smith") == ("own", None)
    assert voice(article, "board") == ("quoted", "John Smith")
