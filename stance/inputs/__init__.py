"""Input stage: turn what a user names (a file, a web page, a URL, ``-``) into a :class:`Document`.

Each input kind is one module behind :func:`read`: ``text`` (plain-text files and standard
input), ``html`` (saved pages, through trafilatura) and ``url`` (pages fetched over HTTP).
Every refusal is a one-line :class:`~stance.errors.StanceError` naming the source, and
nothing here imports torch or spaCy, so a caller can check every input before loading models.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from stance.clean import check_length, visible_controls
from stance.errors import StanceError
from stance.inputs.document import Document

__all__ = ["Document", "is_address", "read"]

HTML_SUFFIXES = (".html", ".htm")
#: An address of another kind (ftp://, file://): refused as such, not looked for as a file.
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://")


def read(source: str) -> Document:
    """Read one article from a path, an ``http(s)://`` URL, or ``-`` (standard input).

    The text comes back with control characters made visible (see
    :func:`stance.clean.visible_controls`), within the length limit, and with its language
    detected; refusing a non-English article is the caller's choice
    (:func:`stance.language.require_english`).
    """
    from stance.inputs import html, text, url

    if source == "-":
        doc = text.read_stdin()
    elif source.lower().startswith(("http://", "https://")):
        doc = url.read_url(source)
    elif is_address(source):
        raise StanceError(f"{source}: only http:// and https:// addresses can be read")
    elif Path(source).suffix.lower() in HTML_SUFFIXES:
        doc = html.read_file(Path(source))
    else:
        doc = text.read_file(Path(source))
    return finish(doc)


def is_address(source: str) -> bool:
    """Whether ``source`` is an address (``scheme://…``) rather than a path to a file."""
    return bool(_SCHEME.match(source))


def finish(doc: Document) -> Document:
    """Make every field safe to print, enforce the length limit, and fill in the language.

    Text that was UTF-8 once decoded as Latin-1 or Windows-1252 ("itâ€™s", common in
    scraped pages and corpora) is repaired first (:func:`_repair_encoding`).
    """
    from stance.language import detect

    safe = replace(
        doc,
        text=visible_controls(_repair_encoding(doc.text)),
        label=visible_controls(doc.label),
        title=doc.title and visible_controls(_repair_encoding(doc.title)),
        date=doc.date and visible_controls(doc.date),
        site=doc.site and visible_controls(doc.site),
    )
    check_length(safe.text, _where(doc))
    return replace(safe, language=detect(safe.text)[0])


#: A UTF-8 lead byte read as a Latin-1 or Windows-1252 character, then a continuation byte
#: read the same way: the mark of mis-decoded text, rare in text decoded right.
_MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]"
)


def _repair_encoding(text: str) -> str:
    """``text`` with mis-decoded UTF-8 repaired by ftfy, which changes nothing else (quotes
    and dashes stay as published). ftfy is imported only when the text shows the mark, so
    ordinary input does not pay its import time."""
    if not _MOJIBAKE.search(text):
        return text
    from ftfy import fix_encoding

    return fix_encoding(text)


def _where(doc: Document) -> str:
    return "standard input" if doc.source == "-" else doc.source or doc.label
