"""Corpus reading: a study's articles grouped into events, from a table or a folder tree.

A corpus is either a table (CSV, JSON Lines or Parquet) with one row per article and the
columns ``event``, ``outlet`` and one of ``text`` / ``path`` / ``url`` (optional ``date``,
``title``, ``id``), or a directory with one folder per event holding one file per outlet
(the file's stem names the outlet). Only the shape of the corpus is checked here; whether
an article can be read is found out per event, so that one bad row becomes one row of the
``errors`` table instead of stopping the study.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from stance.errors import StanceError

#: Columns that carry an article, in the order a row's first non-empty one is taken.
SOURCE_COLUMNS = ("text", "path", "url")
REQUIRED = ("event", "outlet")
TABLE_SUFFIXES = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}


@dataclass(frozen=True)
class Entry:
    """One article of a corpus as the corpus names it; nothing is read yet."""

    event: str
    outlet: str
    #: Unique id of the article in the study (the ``id`` column, else ``event/outlet``).
    id: str
    #: ``text`` (the article itself), ``path`` (a file) or ``url``.
    kind: str
    #: The article's text, its file path (resolved against the corpus's folder) or its URL.
    source: str
    date: str | None = None
    title: str | None = None
    #: Why this row cannot be an article (no source, outlet twice in one event), or None.
    problem: str | None = None


@dataclass(frozen=True)
class Event:
    name: str
    entries: tuple[Entry, ...]


def read(corpus: str | Path) -> list[Event]:
    """The corpus's events in their order of first appearance (folders: sorted by name)."""
    path = Path(corpus)
    if not path.exists():
        raise StanceError(f"{path}: no such file or directory")
    if path.is_dir():
        rows = _directory_rows(path)
    else:
        rows = _table_rows(path)
    return _events(rows, path.parent if path.is_file() else path)


def _table_rows(path: Path) -> list[dict[str, str | None]]:
    kind = TABLE_SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise StanceError(f"{path}: a corpus is a .csv, .jsonl or .parquet table or a directory of event folders")
    try:
        if kind == "csv":
            with path.open(encoding="utf-8-sig", newline="") as fh:
                rows = list(csv.DictReader(fh))
        elif kind == "jsonl":
            rows = _jsonl(path)
        else:
            import pyarrow.parquet as pq

            rows = pq.read_table(path).to_pylist()
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise StanceError(f"{path}: cannot read the corpus ({exc})") from exc
    except Exception as exc:  # pyarrow's own errors (not Parquet, truncated file) share no base class
        if type(exc).__module__.startswith("pyarrow"):
            raise StanceError(f"{path}: not a readable Parquet file ({exc})") from exc
        raise
    if not rows:
        raise StanceError(f"{path}: the corpus has no rows")
    columns = set().union(*(r.keys() for r in rows))
    missing = [c for c in REQUIRED if c not in columns]
    if missing or not columns & set(SOURCE_COLUMNS):
        need = ", ".join(missing + ([] if columns & set(SOURCE_COLUMNS) else ["one of text/path/url"]))
        raise StanceError(f"{path}: the corpus lacks the column(s) {need} (it has: {', '.join(sorted(columns))})")
    return [{k: _clean(v) for k, v in r.items()} for r in rows]


def _jsonl(path: Path) -> list[dict]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise StanceError(f"{path}:{number}: not a JSON object ({exc.msg})") from exc
        if not isinstance(row, dict):
            raise StanceError(f"{path}:{number}: not a JSON object")
        rows.append(row)
    return rows


def _directory_rows(root: Path) -> list[dict[str, str | None]]:
    rows = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for file in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
            rows.append({"event": folder.name, "outlet": file.stem, "path": str(file)})
    if not rows:
        raise StanceError(f"{root}: no event folders with article files in them")
    return rows


def _clean(value: object) -> str | None:
    """Cells as text; empty cells (and JSON/Parquet nulls) as None."""
    if value is None:
        return None
    text = str(value)
    return text if text.strip() else None


def _events(rows: list[dict[str, str | None]], base: Path) -> list[Event]:
    grouped: dict[str, list[Entry]] = {}
    for number, row in enumerate(rows, 1):
        event = (row.get("event") or "").strip() or f"(row {number}: no event)"
        outlet = (row.get("outlet") or "").strip() or f"(row {number}: no outlet)"
        entries = grouped.setdefault(event, [])
        kind = next((c for c in SOURCE_COLUMNS if row.get(c)), None)
        source = row.get(kind) if kind else ""
        if kind == "path" and not Path(source).is_absolute():
            source = str(base / source)
        problem = None
        if kind is None:
            problem = f"row {number} has no text, path or url"
        elif not row.get("event") or not row.get("outlet"):
            problem = f"row {number} has no {'event' if not row.get('event') else 'outlet'}"
        elif any(e.outlet == outlet for e in entries):
            problem = f"outlet {outlet!r} appears twice in event {event!r}; only the first is used"
        entries.append(
            Entry(
                event=event,
                outlet=outlet,
                id=(row.get("id") or f"{event}/{outlet}").strip(),
                kind=kind or "text",
                source=source or "",
                date=row.get("date"),
                title=row.get("title"),
                problem=problem,
            )
        )
    return [Event(name, tuple(entries)) for name, entries in grouped.items()]
