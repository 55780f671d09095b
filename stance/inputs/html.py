"""Web-page input: a saved ``.html``/``.htm`` file (or page bytes from :mod:`stance.inputs.url`).

trafilatura finds the article's main text and drops the page around it (menus, related
links, footers); it also reads the title, date and site name from the page's metadata.
Its output keeps one paragraph per line, which is what :mod:`stance.clean` expects, so the
boilerplate report still applies to whatever survives extraction.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from stance.errors import StanceError
from stance.inputs.document import Document
from stance.inputs.text import check_file

#: Largest page read. News pages carry scripts and inline data around a few kilobytes of
#: text and rarely pass 3 MB; a page several times that is not one article.
MAX_PAGE_BYTES = 10 * 1024 * 1024
#: Extraction that yields fewer characters than this in paragraph-length lines found no
#: article (a sign-in page, a section front): its lines are menu items and buttons. Counted
#: in characters, not words, so text in a script without spaces is judged the same way.
MIN_PROSE_CHARS = 200
#: A line at least this long is a paragraph, not a menu item or a button.
PROSE_LINE_CHARS = 40
_HTML_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)

# trafilatura and its helpers log their misgivings about odd pages as warnings; a page
# they cannot use is reported here as one line, so their logs would only be noise.
for _name in ("trafilatura", "htmldate", "courlan"):
    logging.getLogger(_name).addHandler(logging.NullHandler())
    logging.getLogger(_name).propagate = False


def looks_like_html(text: str) -> bool:
    """Whether ``text`` starts as an HTML document does: a page saved as ``.txt`` or piped in."""
    return bool(_HTML_START.match(text[:4096]))


def read_file(path: Path) -> Document:
    """One article from a saved web page; its label is the file's stem."""
    file = check_file(path, MAX_PAGE_BYTES)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise StanceError(f"{file}: cannot read ({exc.strerror})") from exc
    return extract(decode(data), str(file), label=file.stem)


def decode(data: bytes, charset: str | None = None) -> str:
    """The page as text: the charset the server or the page declares, else UTF-8, else a guess."""
    declared = _META_CHARSET.search(data[:4096])
    for encoding in (charset, declared and declared.group(1).decode("ascii"), "utf-8-sig"):
        if encoding:
            try:
                return data.decode(encoding)
            except (LookupError, UnicodeDecodeError):
                continue
    from trafilatura.utils import decode_file

    return decode_file(data)


def extract(
    page: str, where: str, label: str | None = None, url: str | None = None, source: str | None = None
) -> Document:
    """The article in ``page``, with its metadata; ``label`` defaults to the site name.

    ``url`` is where the page was fetched from (it helps find the site name); ``source``
    defaults to it, or to ``where``.
    """
    import trafilatura

    found = trafilatura.bare_extraction(
        page, url=url, with_metadata=True, include_comments=False, include_tables=False, include_images=False
    )
    text = (found.text or "") if found else ""
    lines = (line.strip() for line in text.splitlines())
    if sum(len(line) for line in lines if len(line) >= PROSE_LINE_CHARS) < MIN_PROSE_CHARS:
        raise StanceError(f"{where}: no article text found in the page")
    site = found.sitename or found.hostname or None
    return Document(
        text=text,
        label=label or site or where,
        source=source or url or where,
        title=found.title or None,
        date=found.date or None,
        site=site,
    )
