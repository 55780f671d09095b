"""What a long study shows on stderr: a rich progress bar while it runs, a summary after."""

from __future__ import annotations

import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeRemainingColumn
from rich.text import Text

from stance.studies.event import EventOutput
from stance.studies.run import StudySummary


class _Rate(ProgressColumn):
    """Articles per minute over this run so far (articles are the unit users plan by)."""

    def __init__(self, bar: StudyBar) -> None:
        super().__init__()
        self.bar = bar

    def render(self, task) -> Text:
        elapsed = time.perf_counter() - self.bar.started
        if not self.bar.articles or elapsed <= 0:
            return Text("– articles/min", style="progress.data.speed")
        return Text(f"{self.bar.articles / elapsed * 60:.1f} articles/min", style="progress.data.speed")


class StudyBar:
    """A progress bar over the events this run analyses: events done of total, articles
    per minute, time remaining. Pass :meth:`start` and :meth:`advance` to ``study()``."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(stderr=True)
        self.articles = 0
        self.errors = 0
        self.started = time.perf_counter()
        self.progress = Progress(
            TextColumn("[bold]events"),
            BarColumn(),
            MofNCompleteColumn(),
            _Rate(self),
            TextColumn("{task.fields[errors]} errors"),
            TimeRemainingColumn(),
            console=self.console,
            transient=True,
        )
        self.task = None

    def __enter__(self) -> StudyBar:
        return self

    def __exit__(self, *exc) -> None:
        if self.task is not None:
            self.progress.stop()

    def start(self, todo: int, total: int) -> None:
        """Show the bar once the study knows its work (so that an early error is one line)."""
        if todo < total:
            self.console.print(f"{total - todo} of {total} events already done; analysing {todo}")
        if not todo:
            return
        self.started = time.perf_counter()
        self.task = self.progress.add_task("events", total=todo, errors=0)
        self.progress.start()

    def advance(self, output: EventOutput, done: int, total: int) -> None:
        self.articles += output.n_articles
        self.errors += output.n_errors
        self.progress.update(self.task, completed=done, errors=self.errors)


def summary_lines(s: StudySummary) -> list[str]:
    """The end-of-run summary: what was done, what failed, where the results are."""
    rate = f", {s.articles_per_minute:.1f} articles/min" if s.articles_per_minute else ""
    lines = [
        f"{s.events} events ({s.analysed} analysed now, {s.skipped} already done) in {s.seconds:.0f} s{rate}",
        f"{s.articles} articles analysed, {s.errors} not analysed (errors.parquet), {s.parties} parties",
        f"tables: {s.out}/{{{','.join(s.tables)}}}.parquet",
    ]
    if s.report:
        lines.append(f"report written to {s.report}")
    return lines
