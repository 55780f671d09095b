"""Sentence stage: spaCy's sentences with its slips undone."""

from stance.sentences import parse


def test_an_editors_bracket_does_not_cut_a_sentence():
    text = (
        "The United States said on Sunday that Khalifa Haftar [sic] must halt his offensive on the capital. "
        "Officials met in Rome. [The minister] said the talks would go on."
    )
    sentences = [s.text for s in parse(text, "a").sentences]
    assert sentences[0].endswith("offensive on the capital.") and "[sic] must halt" in sentences[0]
    assert sentences[-1] == "[The minister] said the talks would go on."
