"""Which language an article is in, and a refusal for articles the models cannot read.

The embedded NLI model, the sentence embedder and the spaCy pipeline are all English:
fed German, they still return parties ("Der" tagged as a person) and stance numbers,
which look like results and are noise. So non-English text is refused with one line
rather than scored.

The detector is lingua (its models ship inside the wheel, nothing is fetched) in its
low-accuracy mode, chosen by measurement: on 302 English news articles (150 BASIL,
150 PerSenT, the seeds) it, like py3langid, called every one English, and named each of
12 hand-written foreign news paragraphs and 3 English articles quoting a foreign phrase
right; on short English headlines its confidences were far better calibrated than
py3langid's (0.86-1.0 against 0.16-0.98). It takes about 15 ms an article once loaded
(loading costs about a second of CPU). Judged paragraph by paragraph instead of whole,
the same English articles would lose 7 of 6,566 paragraphs to false refusals (link lists,
keyword lines), which is why an article is judged as a whole.
High-accuracy mode needs 1.2 GB and 40 s to load, for no gain on article-length text.

Lingua's first detection loads its models, about 0.8 s of every cold ``stance compare`` on
the 2-core development machine, to confirm what a glance shows for nearly every input. So
text with at least :data:`MIN_MARKERS` words among :data:`ENGLISH_MARKERS` (frequent in
English, and not words of other languages), making at least :data:`PLAINLY_ENGLISH` of
its words, is taken as English without it. English prose has about 13% of them (median of
728 English news articles: 150 BASIL, 578 PerSenT dev; 635 pass, the rest go to lingua as
before); to pass, a text must be about three quarters English and have over a hundred
English words, so a foreign report quoting English sentences is still lingua's to judge
(tested), and no refusal lingua would make is skipped.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from stance.errors import StanceError

if TYPE_CHECKING:
    from lingua import LanguageDetector

#: Code returned when the text holds no letters to judge by (BCP 47 "undetermined").
UNDETERMINED = "und"
#: Detection cost grows with length; a few thousand words settle any article's language.
_SAMPLE_CHARS = 20_000
#: Below this many letters (some 20 English words) the detector's guesses on English are
#: unreliable (a three-word menu line reads as Sesotho), so a text this short is never
#: refused. Letters, not words, so that scripts written without spaces are judged alike.
MIN_LETTERS = 100
#: Words frequent in English prose and absent from other languages' vocabularies (``was``,
#: ``die``, ``in``, ``of``, ``for`` and the like are words elsewhere too, so they are not here).
ENGLISH_MARKERS = frozenset("the and that with which have has been were would said their they this from".split())
#: Share of a text's words that must be markers, and how many at least, for it to be
#: English without lingua.
PLAINLY_ENGLISH = 0.10
MIN_MARKERS = 15
_WORD = re.compile(r"[^\W\d_]+")
#: Refuse only when the detector is this sure of a language other than English: an
#: English article quoting a foreign sentence still comes out English, far above this.
REFUSE_CONFIDENCE = 0.9


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    """Lingua's detector over all its languages, built once per process (about a second)."""
    from lingua import LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


def detect(text: str) -> tuple[str, float]:
    """The ISO 639-1 code of ``text``'s most likely language and the detector's confidence (0-1).

    Text without letters gives ``("und", 0.0)``; plainly English text (see the module)
    gives ``("en", 1.0)`` without running the detector.
    """
    sample = text[:_SAMPLE_CHARS]
    words = _WORD.findall(sample.lower())
    markers = sum(w in ENGLISH_MARKERS for w in words)
    if markers >= MIN_MARKERS and markers >= PLAINLY_ENGLISH * len(words):
        return "en", 1.0
    values = _detector().compute_language_confidence_values(sample)
    if not values or values[0].value <= 0:
        return UNDETERMINED, 0.0
    top = values[0]
    return top.language.iso_code_639_1.name.lower(), float(top.value)


def require_english(text: str, where: str) -> str:
    """Return ``text``'s language code, or refuse clearly non-English text with one line naming ``where``."""
    code, confidence = detect(text)
    if code not in ("en", UNDETERMINED) and confidence >= REFUSE_CONFIDENCE:
        if sum(ch.isalpha() for ch in text[:_SAMPLE_CHARS]) >= MIN_LETTERS:
            raise StanceError(
                f"{where}: the text is in {_name(code)} ({code}), not English; "
                "stance's embedded models read English only"
            )
    return code


def _name(code: str) -> str:
    """The English name of a language code, as lingua spells it ("German")."""
    from lingua import IsoCode639_1, Language

    try:
        return Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())).name.title()
    except (AttributeError, ValueError):
        return code
