"""Command line: a thin layer over the library.

Exit codes: 0 success; 1 a user error (bad input, a refused output path: one line
``stance: error: …``); 2 a usage error (unknown option, missing argument: click's message);
70 an internal error (a bug: one line, the traceback only with ``STANCE_DEBUG=1``).

Arguments, output paths and input files are all checked before torch or spaCy is imported,
so a mistake is reported at once, not after the analysis.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

import stance
from stance.errors import StanceError

# Positional arguments are described in each command's docstring and hidden from typer's
# argument table, which prints Python types ("<list[str]>") beside them whatever the metavar.

#: Exit code of an internal error (BSD's EX_SOFTWARE).
EXIT_INTERNAL = 70

app = typer.Typer(
    help="Compare how news outlets treat the same parties, with a zero-shot NLI stance model.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)
eval_app = typer.Typer(help="Evaluate on labelled data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")

ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model", metavar="PATH|ID", help="NLI model: a local directory or a Hugging Face id (default: embedded)."
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout.")]
PartyOption = Annotated[
    list[str] | None,
    typer.Option(
        "--party",
        metavar="TEXT",
        help='A party and its aliases: "Khalifa Haftar=Haftar,General Haftar". Repeatable.',
    ),
]


def main() -> None:
    """The ``stance`` command: the typer app, with an internal error reduced to one line
    and exit code 70 (the traceback is kept with ``STANCE_DEBUG=1``)."""
    try:
        app()
    except Exception as exc:
        if os.environ.get("STANCE_DEBUG"):
            raise
        first = str(exc).splitlines()[0][:300] if str(exc) else ""
        typer.echo(
            f"stance: internal error: {type(exc).__name__}: {first} (a bug; STANCE_DEBUG=1 shows the traceback)",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"stance {stance.__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Compare how news outlets treat the same parties, with a zero-shot NLI stance model."""


def _fail(message: str, code: int = 1) -> None:
    """One line on stderr and exit ``code``: 1 for bad input, 2 for a command used wrongly."""
    typer.echo(f"stance: error: {message}", err=True)
    raise typer.Exit(code)


def _emit(result, json_out: bool, show) -> None:
    """One object as JSON on stdout, or through the terminal renderer ``show``."""
    if json_out:
        from stance.render import json as json_render

        json_render.write(result, sys.stdout)
    else:
        show(result)


@app.command()
def compare(
    sources: Annotated[
        list[str],
        typer.Argument(metavar="SOURCE", hidden=True, show_default=False),
    ],
    label: Annotated[
        list[str] | None,
        typer.Option(
            "--label", metavar="TEXT", help="Name of an outlet, in the order of the sources (default: file stem)."
        ),
    ] = None,
    label_a: Annotated[
        str | None,
        typer.Option("--label-a", metavar="TEXT", help="Name of the first outlet (same as a first --label)."),
    ] = None,
    label_b: Annotated[str | None, typer.Option("--label-b", metavar="TEXT", help="Name of the second outlet.")] = None,
    party: PartyOption = None,
    only_given: Annotated[
        bool, typer.Option("--only-given", help="Report only the parties given with --party.")
    ] = False,
    model: ModelOption = None,
    json_out: JsonOption = False,
    details: Annotated[bool, typer.Option("--details", help="List the sentences behind every number.")] = False,
    html: Annotated[
        Path | None, typer.Option("--html", metavar="FILE", help="Also write a self-contained HTML report here.")
    ] = None,
    open_report: Annotated[bool, typer.Option("--open", help="Open the HTML report in a browser.")] = False,
) -> None:
    """Compare two or more articles: stance per party, descriptors, shared and one-sided content.

    SOURCE: an article as a text or HTML file, an http(s) URL, or - for standard input
    (once). Give two or more.
    """
    try:
        labels = _labels(sources, label or [], label_a, label_b)
        if open_report and html is None:
            _fail("--open needs --html FILE")
        if only_given and not party:
            _fail("--only-given needs at least one --party NAME")
        if html is not None:
            _check_output(html, sources)
        from stance.parties import PartySpec

        specs = [PartySpec.parse(p) for p in party or []]
        documents = _read(sources, labels)
        from stance.pipeline import analyse

        with _progress() as progress:
            result = analyse(documents, parties=specs, only_given=only_given, model=model, progress=progress)
    except StanceError as exc:
        _fail(str(exc))
    if html is not None:
        from stance.render import html as html_render

        try:
            html_render.write(result, html)
        except OSError as exc:
            _fail(f"cannot write {html}: {exc.strerror}")
        typer.echo(f"report written to {html}", err=True)
        if open_report and not html_render.open_in_browser(html):
            typer.echo("no browser found; open the file yourself", err=True)
    from stance.render import terminal

    _emit(result, json_out, lambda r: terminal.render(r, details=details))


def _labels(sources: Sequence[str], given: list[str], label_a: str | None, label_b: str | None) -> list[str | None]:
    """One label per source (None: the input's default), from --label in order and the
    older --label-a / --label-b."""
    if len(sources) < 2:
        _fail("give at least two articles to compare", code=2)
    if len(given) > len(sources):
        _fail(f"{len(given)} --label options for {len(sources)} articles")
    labels: list[str | None] = [*given, *([None] * (len(sources) - len(given)))]
    for i, extra in ((0, label_a), (1, label_b)):
        if extra is not None:
            if given and labels[i] is not None:
                _fail("give each label once: --label or --label-a/--label-b")
            labels[i] = extra
    if sum(s == "-" for s in sources) > 1:
        _fail("standard input (-) can be read once only")
    return labels


def _local(source: str) -> Path | None:
    """The file a source names, None for an address (a URL) or standard input."""
    from stance.inputs import is_address

    if source == "-" or is_address(source):
        return None
    return Path(source)


def _check_output(html: Path, sources: Sequence[str]) -> None:
    """Refuse an HTML path that cannot be written or would overwrite an input, before any work."""
    if html.is_dir():
        _fail(f"--html {html}: is a directory; give a file name")
    parent = html.parent
    if not parent.is_dir():
        _fail(f"--html {html}: folder {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        _fail(f"--html {html}: cannot write in {parent}")
    target = html.resolve()
    for source in sources:
        path = _local(source)
        if path is not None and (path.resolve() == target or (html.exists() and path.exists() and html.samefile(path))):
            _fail(f"--html {html} is one of the input articles; choose another file for the report")


def _read(sources: Sequence[str], labels: Sequence[str | None]):
    """Every source read (each kind in :mod:`stance.inputs`) and labelled, refusing the
    same file given twice and labels that collide."""
    from dataclasses import replace

    from stance.clean import visible_controls
    from stance.inputs import read
    from stance.inputs.text import check_file

    seen: dict[Path, str] = {}
    for source in sources:
        path = _local(source)
        if path is not None:
            # Missing, empty or folder, for every file before any is read (reading detects the
            # language, which takes a second); the size limits are the input kinds' own.
            check_file(path, max_bytes=sys.maxsize)
            key = path.resolve()
            if key in seen:
                _fail(f"{source} is given twice; compare different articles")
            seen[key] = source
    documents = [read(source) for source in sources]
    # A label is printed like article text, so its control characters are made visible too.
    documents = [
        replace(d, label=visible_controls(lab)) if lab else d for d, lab in zip(documents, labels, strict=True)
    ]
    defaults = [d.label for d in documents]
    for i, d in enumerate(documents):
        path = _local(sources[i])
        if labels[i] is None and defaults.count(d.label) > 1 and path is not None:
            documents[i] = replace(d, label=f"{path.resolve().parent.name}/{d.label}")
    # Default labels that still collide (two pages of one site): numbered in order.
    seen_labels: dict[str, int] = {}
    for i, d in enumerate(documents):
        count = seen_labels[d.label] = seen_labels.get(d.label, 0) + 1
        if labels[i] is None and count > 1:
            documents[i] = replace(d, label=f"{d.label} ({count})")
    return documents


@contextmanager
def _progress() -> Iterator[Callable[[str, int, int], None] | None]:
    """A progress bar on stderr when it is a terminal (a long run shows which stage it is
    in and for how long); otherwise nothing. Yields the pipeline's ``progress`` callback."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=_stderr_console(), transient=True) as shown:
        task = shown.add_task("reading", total=1)

        def update(stage: str, done: int, total: int) -> None:
            shown.update(task, description=stage, completed=done, total=total)

        yield update


@app.command()
def score(
    source: Annotated[str, typer.Argument(metavar="SOURCE", hidden=True, show_default=False)],
    party: Annotated[
        list[str], typer.Option("--party", metavar="TEXT", help='Party to score, "Name=Alias,…". Repeatable.')
    ],
    label: Annotated[
        list[str] | None,
        typer.Option(
            "--label",
            metavar="TEXT",
            help='Custom label, e.g. "supports a ceasefire" (its own hypothesis). Repeatable.',
        ),
    ] = None,
    model: ModelOption = None,
    json_out: JsonOption = False,
) -> None:
    """Score each sentence that mentions a party: stance probabilities and signed score.

    SOURCE: the article, read as compare reads one: a text or HTML file, an http(s) URL,
    or - for standard input.
    """
    if any(not text.strip() for text in label or []):
        _fail('--label needs words, e.g. --label "supports a ceasefire"')
    try:
        from stance.annotate import score_article
        from stance.inputs import read
        from stance.parties import PartySpec

        result = score_article(
            read(source).text,
            [PartySpec.parse(p) for p in party],
            labels=label or [],
            model=model,
            path=source,
        )
    except StanceError as exc:
        _fail(str(exc))
    from stance.render import terminal

    _emit(result, json_out, terminal.render_scores)


@eval_app.command("newsmtsc")
def eval_newsmtsc(
    file: Annotated[Path, typer.Argument(metavar="FILE", hidden=True)],
    model: ModelOption = None,
    json_out: JsonOption = False,
) -> None:
    """Macro-F1, accuracy, per-class F1 and confusion matrix on NewsMTSC targets.

    FILE: a NewsMTSC-format JSON-lines file.
    """
    from stance.evaluation import newsmtsc
    from stance.nli import load

    try:
        items = newsmtsc.load(file)
        nli = load(model)
        with _eval_bar() as bar:
            task = bar.add_task("scoring", total=len(items))
            report = newsmtsc.evaluate(nli, items, progress=lambda k: bar.advance(task, k))
    except StanceError as exc:
        _fail(str(exc))
    from stance.pipeline import shown_path

    data = {"dataset": f"newsmtsc:{file.name}", "model": shown_path(nli.name), **newsmtsc.report_dict(report)}
    from stance.render import terminal

    _emit(data, json_out, terminal.render_report)


@eval_app.command("basil")
def eval_basil(
    directory: Annotated[Path, typer.Argument(metavar="PATH", hidden=True)],
    model: ModelOption = None,
    events: Annotated[int | None, typer.Option("--events", metavar="N", help="Use only the first N events.")] = None,
    json_out: JsonOption = False,
) -> None:
    """Pairwise direction accuracy, article-level macro-F1 and descriptor recall on BASIL.

    PATH: the BASIL folder, with articles/ and annotations/ in it.
    """
    if events is not None and events < 1:
        _fail(f"--events must be at least 1, not {events}")
    try:
        from stance.evaluation import basil
        from stance.evaluation.basil_pipeline import analyse_for_basil

        with _eval_bar() as bar:
            task = bar.add_task("articles", total=None)
            result = basil.evaluate_basil(
                directory,
                analyse_for_basil(model),
                events=events,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
    except StanceError as exc:
        _fail(str(exc))
    data = result.to_dict()
    from stance.render import terminal

    _emit(data, json_out, terminal.render_report)


@eval_app.command("persent")
def eval_persent(
    file: Annotated[Path, typer.Argument(help="PerSenT-format JSON-lines file (target, paragraphs, label).")],
    model: ModelOption = None,
    json_out: JsonOption = False,
) -> None:
    """Article-level judgment against PerSenT's document and paragraph labels: macro-F1, accuracy."""
    try:
        from stance.evaluation import persent
        from stance.evaluation.article_pipeline import judge_texts
        from stance.nli import load

        docs = persent.load(file)
        nli = load(model)
        with _eval_bar() as bar:
            task = bar.add_task("documents", total=len(docs))
            result = persent.evaluate(docs, judge_texts(nli), progress=lambda k: bar.advance(task, k))
    except StanceError as exc:
        _fail(str(exc))
    from stance.pipeline import shown_path

    data = {**result.to_dict(), "dataset": f"persent:{file.name}", "model": shown_path(nli.name)}
    from stance.render import terminal

    _emit(data, json_out, terminal.render_report)


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)


def _eval_bar():
    """An evaluation's progress bar on stderr, shown only on a terminal: elsewhere its
    closing newline would come before a one-line error."""
    from rich.progress import Progress

    return Progress(console=_stderr_console(), transient=True, disable=not sys.stderr.isatty())


@app.command()
def study(
    corpus: Annotated[Path, typer.Argument(metavar="CORPUS", hidden=True, show_default=False)],
    out: Annotated[Path, typer.Option("--out", metavar="DIR", help="Folder for the Parquet tables and report.html.")],
    party: PartyOption = None,
    only_given: Annotated[
        bool, typer.Option("--only-given", help="Report only the parties given with --party.")
    ] = False,
    model: ModelOption = None,
    limit: Annotated[int | None, typer.Option("--limit", metavar="N", help="Analyse only the first N events.")] = None,
    engine: Annotated[
        str | None,
        typer.Option(
            "--engine", metavar="local|workers|ray", help="Where events run (default: workers with --workers N>1)."
        ),
    ] = None,
    workers: Annotated[int | None, typer.Option("--workers", metavar="N", help="Processes on this machine.")] = None,
    address: Annotated[
        str | None, typer.Option("--address", metavar="ADDR", help="Ray cluster address (with --engine ray).")
    ] = None,
) -> None:
    """Analyse a corpus of events told by several outlets into Parquet tables and a report; resumable.

    CORPUS: a CSV, JSON Lines or Parquet table with columns event, outlet and one of
    text/path/url (optional date, title, id), or a folder with one folder per event holding
    one file per outlet. A rerun skips the events already done.
    """
    try:
        from stance.studies import study as run_study
        from stance.studies.progress import StudyBar, summary_lines

        chosen = engine or ("workers" if workers and workers > 1 else "local")
        with StudyBar(_stderr_console()) as bar:
            summary = run_study(
                corpus,
                out,
                parties=party or [],
                only_given=only_given,
                model=model,
                limit=limit,
                engine=chosen,
                workers=workers,
                address=address,
                progress=bar.advance,
                on_start=bar.start,
            )
    except StanceError as exc:
        _fail(str(exc))
    for line in summary_lines(summary):
        typer.echo(line, err=True)
