"""Plain-text input: a file or standard input, decoded to text or refused with one line.

UTF-8 is the norm (a BOM is allowed); UTF-16 and UTF-32 are decoded when a byte-order
mark says which they are, since Windows tools save "Unicode" text that way. Anything else
is refused rather than guessed at: a wrong guess turns quotes into mojibake silently.
"""

from __future__ import annotations

import codecs
import sys
from pathlib import Path

from stance.clean import MAX_CHARS, too_long
from stance.errors import StanceError
from stance.inputs.document import Document

#: Largest file :func:`read_text` reads at all (data files such as a NewsMTSC split).
MAX_BYTES = 20 * 1024 * 1024
#: An article file larger than this holds more than ``MAX_CHARS`` characters in any encoding
#: read here (at most 4 bytes a character), so it is refused before it is read.
MAX_ARTICLE_BYTES = 4 * MAX_CHARS + 4

#: Byte-order marks, longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
_SNIFF = 8192


def check_file(path: Path, max_bytes: int = MAX_BYTES) -> Path:
    """Fail with one clear line unless ``path`` is a readable, non-empty file of sane size."""
    if not path.exists():
        raise StanceError(f"{path}: no such file")
    if path.is_dir():
        raise StanceError(f"{path}: is a directory, not a file")
    if not path.is_file():  # a pipe or device (the shell's <(...)): its size shows only when read
        return path
    size = path.stat().st_size
    if size == 0:
        raise StanceError(f"{path}: file is empty")
    if size > max_bytes:
        mib = 2**20
        raise StanceError(f"{path}: file is too large ({size / mib:.1f} MiB; the limit is {max_bytes / mib:.1f} MiB)")
    return path


def decode(data: bytes, where: str) -> str:
    """``data`` as text: UTF-8, or UTF-16/32 with a byte-order mark; refuse binary and other encodings."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise StanceError(f"{where}: not valid {name} text (bad bytes at offset {exc.start})") from exc
    head = data[:_SNIFF]
    # Binary formats are full of zero bytes; a stray one in text is shown, not a reason to refuse.
    if head.count(0) > max(1, len(head) // 100):
        if _utf16_without_bom(head):
            raise StanceError(f"{where}: looks like UTF-16 text without a byte-order mark; save it as UTF-8")
        raise StanceError(f"{where}: looks like a binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise StanceError(f"{where}: not UTF-8 text (bad byte at offset {exc.start}); convert it to UTF-8") from exc


def _utf16_without_bom(head: bytes) -> bool:
    """Mostly-ASCII UTF-16 has a zero in every other byte and almost nowhere else."""
    even, odd = head[0::2], head[1::2]
    zeros = sorted((even.count(0) / max(len(even), 1), odd.count(0) / max(len(odd), 1)))
    return zeros[0] < 0.05 and zeros[1] > 0.6


def read_text(path: str | Path, max_bytes: int = MAX_BYTES) -> str:
    """Read a text file (see :func:`decode`), refusing one that holds only whitespace."""
    file = check_file(Path(path), max_bytes)
    try:
        with file.open("rb") as stream:
            data = stream.read(max_bytes + 1)
    except OSError as exc:
        raise StanceError(f"{file}: cannot read ({exc.strerror})") from exc
    if not data:
        raise StanceError(f"{file}: file is empty")
    if len(data) > max_bytes:
        raise StanceError(f"{file}: file is too large (over {max_bytes / 2**20:.1f} MiB)")
    text = decode(data, str(file))
    if not text.strip():
        raise StanceError(f"{file}: contains only whitespace")
    return text


def read_file(path: Path) -> Document:
    """One article from a text file; its label is the file's stem."""
    if path.is_file() and path.stat().st_size > MAX_ARTICLE_BYTES:
        raise StanceError(too_long(str(path), path.stat().st_size, unit="bytes"))
    return _document(read_text(path, MAX_ARTICLE_BYTES), str(path), label=path.stem, source=str(path))


def read_stdin() -> Document:
    """One article piped to standard input; its label is "stdin".

    A terminal is refused rather than read: the run would sit waiting for typing with
    nothing on screen to say so.
    """
    where = "standard input"
    if sys.stdin.isatty():
        raise StanceError(f"{where} is a terminal: pipe an article in (… | stance compare - other.txt), or name a file")
    data = sys.stdin.buffer.read(MAX_ARTICLE_BYTES + 1)
    if not data.strip():
        raise StanceError(f"{where} is empty: pipe an article in, or name a file")
    if len(data) > MAX_ARTICLE_BYTES:
        raise StanceError(too_long(where, len(data), unit="bytes", at_least=True))
    text = decode(data, where)
    if not text.strip():
        raise StanceError(f"{where}: contains only whitespace")
    return _document(text, where, label="stdin", source="-")


def _document(text: str, where: str, label: str, source: str) -> Document:
    """The article in ``text``: the text itself, or the extracted article when it is a whole web page."""
    from stance.inputs import html

    if html.looks_like_html(text):
        return html.extract(text, where, label=label, source=source)
    return Document(text=text, label=label, source=source)
