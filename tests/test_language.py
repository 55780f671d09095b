"""Language detection: English articles pass, clearly non-English ones are refused with one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from stance.errors import StanceError
from stance.inputs import read
from stance.language import detect, require_english

SEEDS = Path(__file__).parent.parent / "seeds"

# Written for these tests: short news reports in the manner of each language's press.
FOREIGN = {
    "de": (
        "Die Landesregierung hat am Dienstag ein neues Gesetz zum Schutz der Wälder vorgestellt. "
        "Der Umweltminister sagte, man wolle die Zahl der gefällten Bäume in den nächsten Jahren halbieren. "
        "Die Opposition kritisierte den Entwurf als zu schwach und verlangte strengere Strafen für Verstöße."
    ),
    "fr": (
        "La mairie a annoncé lundi la fermeture provisoire de trois écoles après les inondations du week-end. "
        "Selon le maire, les travaux de réparation dureront au moins deux semaines. Les parents d'élèves "
        "ont réclamé des solutions de remplacement pour les enfants concernés."
    ),
    "es": (
        "El ayuntamiento aprobó el martes un nuevo plan para reducir el tráfico en el centro de la ciudad. "
        "La alcaldesa explicó que las obras comenzarán en primavera y que los autobuses serán gratuitos "
        "durante los primeros seis meses. Los comerciantes temen perder clientes."
    ),
}


@pytest.mark.parametrize("code", sorted(FOREIGN))
def test_non_english_article_is_refused_with_one_line(code: str) -> None:
    with pytest.raises(StanceError) as caught:
        require_english(FOREIGN[code], "story.txt")
    message = str(caught.value)
    assert "\n" not in message and message.startswith("story.txt: ")
    assert f"({code})" in message and "English" in message


def test_language_name_in_the_refusal() -> None:
    with pytest.raises(StanceError, match="German"):
        require_english(FOREIGN["de"], "a")


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.stem)
def test_english_articles_pass(path: Path) -> None:
    assert require_english(path.read_text(encoding="utf-8"), path.name) == "en"


def test_english_article_quoting_a_foreign_sentence_passes() -> None:
    text = (
        "The minister arrived in Paris on Monday for talks on the trade agreement. At a news conference she "
        "quoted the French president directly: « Nous ne signerons pas un accord qui sacrifie nos agriculteurs. » "
        "Officials on both sides said they expected the negotiations to continue into next year, and farmers' "
        "groups welcomed the remarks. The opposition accused the government of giving away too much too early."
    )
    assert require_english(text, "mixed.txt") == "en"


def test_a_text_too_short_to_judge_is_not_refused() -> None:
    assert require_english("Regierung stürzt.", "headline.txt") == "de"


def test_text_without_letters_is_undetermined() -> None:
    assert detect("12 345 — 67.8 %") == ("und", 0.0)
    assert require_english("12 345 — 67.8 %", "numbers.txt") == "und"


def test_read_fills_in_the_language(tmp_path: Path) -> None:
    path = tmp_path / "bericht.txt"
    path.write_text(FOREIGN["de"], encoding="utf-8")
    assert read(str(path)).language == "de"
    assert read(str(SEEDS / "cgtn-2019.txt")).language == "en"


def test_plainly_english_text_needs_no_detector_and_a_foreign_one_with_an_english_quote_still_does() -> None:
    """The marker-word shortcut spares lingua's model load on English articles; a German
    report quoting an English sentence is still judged by lingua, and is German."""
    from stance import language

    language._detector.cache_clear()
    for path in sorted(SEEDS.glob("*.txt")):
        assert detect(path.read_text(encoding="utf-8")) == ("en", 1.0)
    assert language._detector.cache_info().currsize == 0
    quoting = FOREIGN["de"] + ' Der Minister zitierte: "We have said that this would be the end of it."'
    assert detect(quoting)[0] == "de"
    assert language._detector.cache_info().currsize == 1
