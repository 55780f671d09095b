"""Reading a labelled JSON-lines file: one clear line for the first line that is not JSON.

The evaluations read files users hand them, and a bad line must not end in a traceback or
in a loader's multi-line error, so every line is parsed here first.
"""

from __future__ import annotations

import json
from pathlib import Path

from stance.errors import StanceError


def read_rows(file: Path, dataset: str) -> list[tuple[int, object]]:
    """(line number, parsed value) of every non-blank line of ``file``; a line that is not
    JSON is refused as "not <dataset> JSON lines", naming the line."""
    from stance.inputs.text import read_text

    rows = []
    for number, line in enumerate(read_text(file).splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append((number, json.loads(line)))
        except json.JSONDecodeError as exc:
            raise StanceError(f"{file}: not {dataset} JSON lines (line {number}: {exc.msg})") from exc
    return rows
