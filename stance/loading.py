"""Load stage: read a user's file as UTF-8 text, refusing what is not an article.

Every refusal is a :class:`StanceError` with one line that names the file and the problem.
"""

from __future__ import annotations

from pathlib import Path

from stance.errors import StanceError

#: Largest input accepted. News articles are kilobytes; 20 MiB is a whole corpus pasted
#: into one file by mistake, which would take hours to score.
MAX_BYTES = 20 * 1024 * 1024


def check_file(path: Path, max_bytes: int = MAX_BYTES) -> Path:
    """Fail with one clear line unless ``path`` is a readable, non-empty file of sane size."""
    if not path.exists():
        raise StanceError(f"{path}: no such file")
    if path.is_dir():
        raise StanceError(f"{path}: is a directory, not a file")
    size = path.stat().st_size
    if size == 0:
        raise StanceError(f"{path}: file is empty")
    if size > max_bytes:
        mib = 2**20
        raise StanceError(f"{path}: file is too large ({size / mib:.0f} MiB; the limit is {max_bytes / mib:.0f} MiB)")
    return path


def read_text(path: str | Path, max_bytes: int = MAX_BYTES) -> str:
    """Read a text file as UTF-8 (a BOM is allowed), rejecting binary and other encodings."""
    file = check_file(Path(path), max_bytes)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise StanceError(f"{file}: cannot read ({exc.strerror})") from exc
    if b"\x00" in data[:8192]:
        raise StanceError(f"{file}: looks like a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StanceError(f"{file}: not UTF-8 text (bad byte at offset {exc.start}); convert it to UTF-8") from exc
    if not text.strip():
        raise StanceError(f"{file}: contains only whitespace")
    return text
