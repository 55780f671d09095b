"""Input stage: turn what a user names (a file, a web page, a URL, ``-``) into a :class:`Document`.

Each input kind is one module behind :func:`read`: ``text`` (plain-text files and standard
input), ``html`` (saved pages, through trafilatura) and ``url`` (pages fetched over HTTP).
Every refusal is a one-line :class:`~stance.errors.StanceError` naming the source, and
nothing here imports torch or spaCy, so a caller can check every input before loading models.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from stance.clean import check_length, visible_controls
from stance.inputs.document import Document

__all__ = ["Document", "read"]

HTML_SUFFIXES = (".html", ".htm")


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
    elif Path(source).suffix.lower() in HTML_SUFFIXES:
        doc = html.read_file(Path(source))
    else:
        doc = text.read_file(Path(source))
    return finish(doc)


def finish(doc: Document) -> Document:
    """Make every field safe to print, enforce the length limit, and fill in the language."""
    from stance.language import detect

    safe = replace(
        doc,
        text=visible_controls(doc.text),
        label=visible_controls(doc.label),
        title=doc.title and visible_controls(doc.title),
        date=doc.date and visible_controls(doc.date),
        site=doc.site and visible_controls(doc.site),
    )
    check_length(safe.text, _where(doc))
    return replace(safe, language=detect(safe.text)[0])


def _where(doc: Document) -> str:
    return "standard input" if doc.source == "-" else doc.source or doc.label
