"""Clean stage: split an article into blocks and mark the ones that are not reporting.

Pasted news pages carry boilerplate between paragraphs: "Read more:" link lists, promos
for the outlet's channels, photo captions and credits, update timestamps, wire credits.
Scoring those as if they were the outlet's reporting would skew its stance (a caption
that names a party is not a judgement on it), so each is kept as a block with the reason
it was dropped: nothing is lost and the renderers can still show it, greyed out.

This stage also makes any text safe to print and bounded in size, whichever way it came
in (a file, a page, or a string given to the Python API): see :func:`visible_controls`,
:data:`MAX_CHARS` and :data:`CHUNK_CHARS`.

The rules describe *kinds* of boilerplate (a trailing photo credit, a link header followed
by title-like lines), never the words of particular articles, and they err towards keeping
a line: dropping a real sentence hides reporting, keeping a caption only adds noise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stance.errors import StanceError

#: Longest article accepted, in characters (about 33,000 words). Scoring costs about 48 ms a
#: party mention on this project's 2-core machine, and news text carries a mention every
#: 63 characters (measured on the seeds and 12 BASIL articles), so this many characters are
#: some 3,200 mentions: two to three minutes an article. Real articles, long features
#: included, stay well below; past it is a corpus or a book pasted into one file.
MAX_CHARS = 200_000
#: A paragraph longer than this is cut at sentence ends into pieces about this long, so the
#: parser's memory stays bounded (spaCy refuses a text over 1,000,000 characters outright,
#: and needs memory in proportion to what it is given at once).
CHUNK_CHARS = 10_000


@dataclass(frozen=True)
class Block:
    """A paragraph (or line) of the input; ``dropped`` says why it is not reporting, or is None."""

    text: str
    dropped: str | None


#: News agencies and picture services whose name, in parentheses at the end of a line,
#: credits a photo ("... airbase. (Reuters)", "(AFP/Getty Images)", "(AP Photo/Jane Doe)").
_AGENCIES = (
    r"Reuters|REUTERS|AFP|AP|EPA|EPA-EFE|EFE|Xinhua|XINHUA|Getty|Getty Images|Anadolu|Anadolu Agency"
    r"|AA|DPA|dpa|ANSA|Bloomberg|Shutterstock|Alamy|VCG|IC|CFP|SPA|WAM|KUNA|IRNA|Sputnik|TASS|UPI|PA|Zuma"
    r"|ZUMA|SIPA|Sipa|NurPhoto|Pool|Handout|HANDOUT"
)
_PHOTO = r"(?i:photos?|pictures?|images?|pic|screenshot|screengrab|handout)"
_TRAILING_CREDIT = re.compile(
    rf"\(\s*(?:(?:{_AGENCIES})\s*/\s*[^()]{{1,60}}|[^()]{{0,40}}\b{_PHOTO}\b[^()]{{0,60}})\s*\)[\W\d]*$"
    # A bare agency name only after a finished sentence: "the Associated Press (AP)." defines.
    rf"|(?:^|[.!?\"”’]\s*)\(\s*(?:{_AGENCIES})\s*\)[\W\d]*$"
)
#: "... April 5, 2019. /VCG Photo", "... | Getty Images", "... 2024. REUTERS/Jane Roe".
_SLASH_CREDIT = re.compile(
    rf"(?:^|\s)[/|]\s*[\w .&-]{{0,40}}\b{_PHOTO}\b\s*\)?[\W\d]*$|\b(?:Getty Images|Shutterstock)\s*\)?\W*$"
    rf"|(?:^|[.!?]\s+)(?:{_AGENCIES})\s*/\s*[A-Z][\w.'’ -]{{1,40}}$"
)
#: "Photo: Reuters", "Image credit: ...", "Photos by ...".
_PHOTO_CREDIT = re.compile(rf"^\(?\s*(?:{_PHOTO}(?:\s+(?i:credits?))?|(?i:credits?))\s*(?::|(?i:by)\b)")
#: "(Cover: ...)", "Cover photo: ...", "Top image: ...": a caption announced as such.
_CAPTION_LEAD = re.compile(rf"^\(?\s*(?i:cover|caption|(?:top|main|featured?|header|lead|cover)\s+{_PHOTO})\s*:")
_STAMP_LEAD = re.compile(r"^(?i:(?:last\s+)?(?:updated?|published|posted|modified))\b(?:\s+(?i:on|at))?\s*(:)?")
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b")
_WIRE = re.compile(
    r"^[(\[]\s*(?i:with|reporting|additional reporting|writing|editing|compiled|edited|source)\b"
    r"[^()\[\]]*[)\]]\.?$"
    r"|^(?i:(?:additional\s+)?reporting\s+by|writing\s+by|editing\s+by)\b"
    r"|^[-–—]?\s*(?i:with)\s+(?:agencies|wires|AFP|Reuters|AP)(?:\s+and\s+(?:AFP|Reuters|AP|agencies))?\W*$"
)
_PROMO_VERB = re.compile(
    r"\b(?i:follow\s+(?:us|our)|subscribe\s+to|sign\s+up\s+for|download\s+(?:our|the)|join\s+our|click\s+here)\b"
)
_PROMO_NOUN = re.compile(
    r"\b(?i:channels?|twitter|facebook|instagram|telegram|whatsapp|youtube|tiktok|newsletters?|app|"
    r"podcasts?|google news|click here)\b"
)
#: A header that introduces a list of links to other stories.
_LINK_HEADER = re.compile(
    r"^(?i:(?:read|see|watch|listen)(?:\s+(?:more|also))?|also\s+read|related(?:\s+\w+)?|more\s+on\s+this"
    r"|recommended|further\s+reading|you\s+may\s+also\s+like)\s*:"
)
_STRAY = re.compile(r"^[\W\d_]+$")
_FINAL_PUNCT = ".!?:;\"'”’»"
#: A link title is a headline: short, and without the final punctuation of a sentence.
_MAX_TITLE_WORDS = 25
#: Hard-wrapped prose has lines of at most this width, all but the last near it.
_WRAP_WIDTH = 100
_WRAP_MIN = 45


def too_long(where: str, size: int, unit: str = "characters", at_least: bool = False) -> str:
    """The one-line refusal for an article over :data:`MAX_CHARS`, saying what to do instead."""
    amount = f"{'over ' if at_least else ''}{size:,} {unit}"
    return (
        f"{where}: too long to analyse as one article ({amount}; the limit is {MAX_CHARS:,} characters, "
        f"about {MAX_CHARS // 6:,} words); split it into separate articles, or run `stance study` over them"
    )


def check_length(text: str, where: str) -> None:
    """Refuse ``text`` with one line when it is longer than :data:`MAX_CHARS`."""
    if len(text) > MAX_CHARS:
        raise StanceError(too_long(where, len(text)))


#: Line and page breaks written as control characters: they separate text, so they become newlines.
_BREAKS = {"\r\n": "\n", "\r": "\n", "\v": "\n", "\f": "\n", "\x85": "\n"}
_BREAK = re.compile("|".join(re.escape(b) for b in _BREAKS))
#: C0 controls (but tab and newline) and DEL as their Unicode "control pictures" (U+2400...),
#: C1 controls as the replacement character: no picture exists for them.
#: Characters with no glyph that web pages put inside words and around them: the soft
#: hyphen, zero-width space, non-joiner and joiner, word joiner, a byte-order mark inside
#: the text, and the bidirectional marks, embeddings, overrides and isolates.
INVISIBLE = (0x00AD, 0x061C, *range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x206A), 0xFEFF)
_VISIBLE = str.maketrans(
    {code: chr(0x2400 + code) for code in range(0x20) if chr(code) not in "\t\n"}
    | {0x7F: "\u2421"}
    | {code: "\ufffd" for code in range(0x80, 0xA0)}
    | dict.fromkeys(INVISIBLE)
)


def visible_controls(text: str) -> str:
    """``text`` with every C0/C1 control character but newline and tab shown as a symbol.

    An article can carry terminal escape sequences (ESC ``[2J`` clears the screen, ESC ``]0;``
    retitles the window); printed raw, the terminal obeys them. They are made visible
    rather than stripped: stripping would silently change the quoted text and hide that the
    source carried such bytes, while a printable symbol (ESC becomes "␛") cannot be obeyed
    and keeps every other character where it was. Line and page breaks (CR, CRLF, VT, FF,
    NEL) become newlines, since they only separate text.

    Invisible format characters (:data:`INVISIBLE`) are removed: they have no glyph to
    show, yet a soft hyphen or zero-width joiner inside a name makes it another name to
    every matcher, and bidirectional overrides reorder how a quoted sentence displays.
    """
    return _BREAK.sub(lambda m: _BREAKS[m.group(0)], text).translate(_VISIBLE)


def clean(text: str) -> list[Block]:
    """Split ``text`` into blocks in order, marking boilerplate with the reason it was dropped.

    Control characters are made visible first (:func:`visible_controls`), so text given
    straight to the library is as safe to print as text read from a file.
    """
    blocks: list[Block] = []
    in_links = False
    for paragraph in _paragraphs(visible_controls(text)):
        reason = _boilerplate(paragraph)
        if reason is None and _LINK_HEADER.match(paragraph):
            reason, in_links = "link list", True
        elif reason is None and in_links and _title_like(paragraph):
            reason = "link list"
        elif reason is None:
            in_links = False
        blocks.append(Block(paragraph, reason))
    return blocks


def _paragraphs(text: str) -> list[str]:
    """The article's paragraphs: blank-line separated chunks, split further into lines.

    Pages pasted from a browser put one paragraph per line, with or without blank lines
    between, so every line is a paragraph. Hard-wrapped prose is joined back: a chunk
    whose lines are all short, all but the last near full width and mostly not ending a
    sentence, or a line that continues the previous one in lower case.
    """
    paragraphs: list[str] = []
    for chunk in re.split(r"\n[^\S\n]*\n", text):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        if _wrapped(lines):
            paragraphs.append(" ".join(lines))
            continue
        for i, line in enumerate(lines):
            if i > 0 and line[0].islower():
                paragraphs[-1] = f"{paragraphs[-1]} {line}"
            else:
                paragraphs.append(line)
    return [piece for paragraph in paragraphs for piece in _pieces(paragraph)]


_SENTENCE_END = re.compile(r"[.!?][\"'”’»)\]]*\s+")


def _pieces(paragraph: str) -> list[str]:
    """``paragraph`` cut into pieces of at most :data:`CHUNK_CHARS`, at a sentence end if one
    falls in the second half of the piece, else at a space, else anywhere."""
    pieces: list[str] = []
    while len(paragraph) > CHUNK_CHARS:
        window = paragraph[:CHUNK_CHARS]
        ends = [m.end() for m in _SENTENCE_END.finditer(window, CHUNK_CHARS // 2)]
        cut = ends[-1] if ends else (window.rfind(" ") + 1 or CHUNK_CHARS)
        pieces.append(paragraph[:cut].rstrip())
        paragraph = paragraph[cut:].lstrip()
    return [*pieces, paragraph] if paragraph else pieces


def _wrapped(lines: list[str]) -> bool:
    if len(lines) < 2 or max(len(line) for line in lines) > _WRAP_WIDTH:
        return False
    body = lines[:-1]
    open_ends = sum(line[-1] not in _FINAL_PUNCT for line in body)
    return all(len(line) >= _WRAP_MIN for line in body) and 2 * open_ends >= len(body)


def _boilerplate(line: str) -> str | None:
    """The kind of boilerplate ``line`` is, or None when it may be reporting."""
    words = len(line.split())
    if _STRAY.match(line):
        return "stray text"
    if _CAPTION_LEAD.match(line):
        return "photo caption"
    credit = _PHOTO_CREDIT.match(line)
    if credit and words <= (30 if credit.group(0).rstrip().endswith(":") else 8):
        return "photo credit"
    if _WIRE.match(line) and words <= 20:
        return "wire credit"
    if words <= 20 and _timestamp(line):
        return "timestamp"
    if words <= 40 and _PROMO_VERB.search(line) and _PROMO_NOUN.search(line):
        return "channel promo"
    if words <= 80 and (_TRAILING_CREDIT.search(line) or _SLASH_CREDIT.search(line)):
        # A credit alone on its line credits the photo above; after text, it ends a caption.
        return "photo credit" if words <= 5 else "photo caption"
    return None


def _timestamp(line: str) -> bool:
    """ "Last Update: 21:52 KSA", "Published on: 5 May 2020", or a line of clock times."""
    lead = _STAMP_LEAD.match(line)
    if lead and (lead.group(1) or _CLOCK.search(line)) and re.search(r"\d", line):
        return True
    digit_groups = len(re.findall(r"\d+", line))
    return bool(_CLOCK.search(line)) and digit_groups >= len(re.findall(r"[A-Za-z]{4,}", line))


def _title_like(line: str) -> bool:
    """A headline under a link header: short and not ended like a sentence."""
    return len(line.split()) <= _MAX_TITLE_WORDS and line[-1] not in _FINAL_PUNCT
