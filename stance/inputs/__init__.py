"""Input stage: turn what a user names (a file, a web page, a URL) into a :class:`Document`.

Each input kind is one module behind :func:`read`; every refusal is a one-line
:class:`~stance.errors.StanceError` naming the source.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Document:
    """One article's text and what is known about where it came from."""

    text: str
    #: The outlet's name as reports show it (default: the file stem or the site name).
    label: str
    #: The file path or URL it was read from (None for text given directly).
    source: str | None = None
    title: str | None = None
    date: str | None = None
    site: str | None = None


def read(source: str) -> Document:
    """Read one article from a path (plain text)."""
    from stance.loading import read_text

    path = Path(source)
    return Document(text=read_text(path), label=path.stem, source=source)
