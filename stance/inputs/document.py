"""The contract between the input stage and the rest: one article and where it came from."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Document:
    """One article's text and what is known about where it came from."""

    text: str
    #: The outlet's name as reports show it (default: the file stem or the site name).
    label: str
    #: The file path or URL it was read from ("-" for standard input; None for text given directly).
    source: str | None = None
    title: str | None = None
    date: str | None = None
    site: str | None = None
    #: ISO 639-1 code of the text's language as detected ("und" when there is nothing to judge by).
    language: str | None = None
