"""The study runner: corpus → tasks → engine → store → tables and report.

Only this module knows the order of things. The engine runs :func:`run_event` wherever it
runs it; every output comes back here and is stored at once, so a killed run loses at
most the events in flight. Tables and the report are then rebuilt from the store in
corpus order, with party names merged across the whole corpus.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from stance.errors import StanceError
from stance.studies import corpus as corpus_mod
from stance.studies import engines, report, tables
from stance.studies.event import EventOutput, EventTask, run_event
from stance.studies.store import Store, key_for


@dataclass
class StudySummary:
    """What a study run did, for the end-of-run summary and for API callers."""

    out: Path
    events: int
    #: Events analysed by this run (the rest were already in the store).
    analysed: int
    skipped: int
    articles: int
    errors: int
    parties: int
    seconds: float
    tables: dict[str, Path] = field(default_factory=dict)
    report: Path | None = None
    #: Analysed articles per minute of wall time in this run (None when nothing was analysed).
    articles_per_minute: float | None = None


#: Called after each event analysed by this run: (its output, events done, events in total).
Progress = Callable[[EventOutput, int, int], None]


def study(
    corpus: str | Path,
    out: str | Path,
    *,
    parties: Sequence[str] = (),
    only_given: bool = False,
    model: str | None = None,
    limit: int | None = None,
    engine: str = "local",
    workers: int | None = None,
    address: str | None = None,
    progress: Progress | None = None,
    on_start: Callable[[int, int], None] | None = None,
) -> StudySummary:
    """Analyse every event of ``corpus`` and write the tables and ``report.html`` to ``out``.

    ``parties`` ("Name=Alias,…") apply to every event; ``limit`` takes the first N events.
    Finished events are kept in ``out/events`` and skipped by a rerun with the same inputs
    and options. ``engine`` is ``local`` (this process), ``workers`` (``workers`` processes)
    or ``ray`` (a Ray cluster at ``address``). ``on_start`` gets (events to analyse, events
    in total) before the first one runs.
    """
    if only_given and not parties:
        raise StanceError("--only-given needs at least one --party")
    if limit is not None and limit < 1:
        raise StanceError("--limit must be at least 1")
    if parties:
        from stance.parties import PartySpec

        for text in parties:
            PartySpec.parse(text)  # a malformed --party is one error now, not one per event
    start = time.perf_counter()
    events = corpus_mod.read(corpus)
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise StanceError(f"{out}: exists and is not a directory")
    given = tuple(parties)
    all_tasks = [EventTask(e, given, only_given, model, key_for(e, given, only_given, model)) for e in events]
    store = Store(out)
    try:
        return _run(
            store,
            all_tasks,
            all_tasks[:limit],
            engines.get(engine, workers=workers, address=address),
            progress,
            on_start,
            start,
        )
    finally:
        store.close()


def _run(
    store: Store,
    all_tasks: list[EventTask],
    tasks: list[EventTask],
    runner: engines.Engine,
    progress: Progress | None,
    on_start: Callable[[int, int], None] | None,
    start: float,
) -> StudySummary:
    """Analyse the tasks not yet in the store, then rebuild tables and report from it."""
    out = store.root.parent
    todo = [t for t in tasks if not store.has(t.key)]
    if on_start:
        on_start(len(todo), len(tasks))
    analysed_articles = 0
    try:
        for done, output in enumerate(runner.map_unordered(run_event, todo), 1):
            store.put(output)
            analysed_articles += output.n_articles
            if progress:
                progress(output, done, len(todo))
    finally:
        runner.close()
    run_seconds = time.perf_counter() - start
    outputs = [store.get(t.key) for t in tasks]
    names = corpus_names(outputs)
    built = tables.build([o.rows for o in outputs], names)
    paths = tables.write(built, out)
    store.prune({t.key for t in all_tasks})
    links = [
        report.EventLink(
            name=o.event,
            href=f"events/{o.key}/comparison.html" if store.page(o.key).exists() else None,
            outlets=[e.outlet for e in t.event.entries],
            articles=o.n_articles,
            errors=o.n_errors,
        )
        for t, o in zip(tasks, outputs, strict=True)
    ]
    model_name = next((o.model for o in outputs if o.model), None)
    report_path = report.write(out, built, links, model_name)
    return StudySummary(
        out=out,
        events=len(tasks),
        analysed=len(todo),
        skipped=len(tasks) - len(todo),
        articles=built["articles"].num_rows,
        errors=built["errors"].num_rows,
        parties=len(set(built["outlet_parties"].column("party").to_pylist())),
        seconds=time.perf_counter() - start,
        tables=paths,
        report=report_path,
        articles_per_minute=analysed_articles / run_seconds * 60 if todo else None,
    )


def corpus_names(outputs: Sequence[EventOutput]) -> dict[tuple[str, str], str]:
    """(event, party name in that event) -> the one name of that party across the corpus."""
    from stance.parties.corpus import unify

    found = [(o.event, p) for o in outputs for p in o.parties]
    names = unify([(p.name, p.aliases, p.entity_type) for _, p in found])
    return {(event, p.name): name for (event, p), name in zip(found, names, strict=True)}
