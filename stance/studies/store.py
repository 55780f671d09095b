"""The resumable store: each finished event kept on disk under a key of its content.

An event's output is written to a temporary folder and renamed into place in one step, so
after a ``kill -9`` at any moment an event is either wholly there or not at all; the
temporary folder a killed run leaves behind is removed on the next start. The key hashes
everything the output depends on (the articles' content, the options, the model and the
store's format), so a rerun skips exactly the finished events whose inputs are unchanged
and redoes an event whose input changed. Only the study's main process writes here.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
from pathlib import Path

import pyarrow.parquet as pq

from stance.errors import StanceError
from stance.studies import tables
from stance.studies.corpus import Event
from stance.studies.event import EventOutput, PartyRecord

#: Bumped whenever the stored rows change meaning, so old events are redone, not mixed in.
FORMAT = "1"
TMP_PREFIX = ".tmp-"


def key_for(event: Event, parties: tuple[str, ...], only_given: bool, model: str | None) -> str:
    """A readable, content-derived key: the event's name as a slug and a hash of its inputs."""
    from stance import __version__

    digest = hashlib.sha256()
    head = {"format": FORMAT, "stance": __version__, "parties": list(parties), "only_given": only_given}
    digest.update(json.dumps({**head, "model": model, "event": event.name}, sort_keys=True).encode())
    for e in event.entries:
        fields = [e.outlet, e.id, e.kind, e.title, e.date, e.problem, _content(e.kind, e.source)]
        digest.update(json.dumps(fields).encode())
    slug = re.sub(r"[^A-Za-z0-9]+", "-", event.name).strip("-")[:40] or "event"
    return f"{slug}-{digest.hexdigest()[:16]}"


def _content(kind: str, source: str) -> str:
    """What identifies an article's content: its text, its file's bytes, or its URL (a page
    that changes behind the same URL is not refetched; delete its event folder to redo it)."""
    if kind != "path":
        return hashlib.sha256(source.encode()).hexdigest()
    try:
        return hashlib.sha256(Path(source).read_bytes()).hexdigest()
    except OSError as exc:
        return f"unreadable: {exc.strerror}"


class Store:
    """Finished events under ``DIR/events/<key>/``: one Parquet file per table, the
    parties the event found, and its comparison page."""

    def __init__(self, out: Path) -> None:
        self.root = Path(out) / "events"
        self.root.mkdir(parents=True, exist_ok=True)
        # One run per folder: a second one would delete the first one's half-written events.
        # The kernel drops the lock when its holder dies, even by kill -9.
        self._lock = (Path(out) / ".lock").open("w")
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            self._lock.close()
            raise StanceError(f"{out}: another stance study is writing there; wait for it to finish") from exc
        for stale in self.root.glob(TMP_PREFIX + "*"):
            shutil.rmtree(stale, ignore_errors=True)
        # Tables and report a killed run was writing (see tables.write and report.write).
        for stale in Path(out).glob(".*.tmp"):
            stale.unlink(missing_ok=True)

    def close(self) -> None:
        """Let another run use the folder."""
        self._lock.close()

    def has(self, key: str) -> bool:
        return (self.root / key).is_dir()

    def page(self, key: str) -> Path:
        """The event's comparison page (it may be missing when the event failed)."""
        return self.root / key / "comparison.html"

    def put(self, output: EventOutput) -> None:
        """Write one event atomically; a key already present is left as it is."""
        final = self.root / output.key
        if final.exists():
            return
        tmp = self.root / f"{TMP_PREFIX}{output.key}-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        for name, rows in output.rows.items():
            pq.write_table(tables.from_rows(name, rows), tmp / f"{name}.parquet")
        meta = {
            "event": output.event,
            "model": output.model,
            "seconds": output.seconds,
            "parties": [p.__dict__ | {"aliases": list(p.aliases)} for p in output.parties],
        }
        (tmp / "event.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        if output.html is not None:
            (tmp / "comparison.html").write_text(output.html, encoding="utf-8")
        os.rename(tmp, final)

    def get(self, key: str) -> EventOutput:
        folder = self.root / key
        meta = json.loads((folder / "event.json").read_text(encoding="utf-8"))
        rows = {name: pq.read_table(folder / f"{name}.parquet").to_pylist() for name in tables.EVENT_TABLES}
        parties = [PartyRecord(**(p | {"aliases": tuple(p["aliases"])})) for p in meta["parties"]]
        return EventOutput(
            event=meta["event"],
            key=key,
            rows=rows,
            parties=parties,
            html=None,
            model=meta["model"],
            seconds=meta["seconds"],
        )

    def prune(self, keep: set[str]) -> int:
        """Remove finished events no longer in the corpus (or whose input changed)."""
        gone = [p for p in self.root.iterdir() if p.is_dir() and p.name not in keep]
        for folder in gone:
            shutil.rmtree(folder, ignore_errors=True)
        return len(gone)
