"""What every HTML page of stance shares: a safe Jinja2 environment and an atomic write.

Both the compare report and the study report put hostile article text on a page, so both
autoescape everything and refuse undefined names; both are written through a temporary
file in the same folder and a rename, so an interrupted run never leaves half a page or a
destroyed file where a good one was.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined


def environment(templates: Path) -> Environment:
    """A Jinja2 environment over ``templates`` that escapes all text."""
    return Environment(
        loader=FileSystemLoader(templates),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def write_atomic(path: Path, page: str) -> None:
    """Write ``page`` to ``path`` (UTF-8, mode 644) through a temporary file and a rename."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(page)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
