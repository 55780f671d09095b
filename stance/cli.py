"""Command line: a thin layer over the library. Every command turns a StanceError into one
line on stderr and exit code 1; typer handles usage errors (exit 2)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from stance.errors import StanceError

# torch's OpenMP threads spin between operations by default. When another process holds a
# core, spinning threads wait on each other: next to one busy neighbour a cold `stance
# compare` took 12.7 s instead of 7.0 s with passive waiting, and on an idle machine both
# took 5.2 s (2-core development machine, medians of 5). It must be set before torch is
# imported, which the commands do lazily; a value the user set wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

app = typer.Typer(
    help="Compare how news outlets treat the same parties, with a zero-shot NLI stance model.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
eval_app = typer.Typer(help="Evaluate on labelled data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")

ModelOption = Annotated[
    str | None,
    typer.Option("--model", help="NLI model: a local directory or a Hugging Face id (default: embedded)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout.")]
PartyOption = Annotated[
    list[str] | None,
    typer.Option("--party", help='A party and its aliases: "Khalifa Haftar=Haftar,General Haftar". Repeatable.'),
]


def _fail(message: str) -> None:
    typer.echo(f"stance: error: {message}", err=True)
    raise typer.Exit(1)


def _emit(result, json_out: bool, show) -> None:
    """One object as JSON on stdout, or through the terminal renderer ``show``."""
    if json_out:
        from stance.render import json as json_render

        json_render.write(result, sys.stdout)
    else:
        show(result)


@app.command()
def compare(
    file_a: Annotated[Path, typer.Argument(help="First article (UTF-8 text).")],
    file_b: Annotated[Path, typer.Argument(help="Second article (UTF-8 text).")],
    label_a: Annotated[
        str | None, typer.Option("--label-a", help="Name of the first outlet (default: file stem).")
    ] = None,
    label_b: Annotated[
        str | None, typer.Option("--label-b", help="Name of the second outlet (default: file stem).")
    ] = None,
    party: PartyOption = None,
    only_given: Annotated[
        bool, typer.Option("--only-given", help="Report only the parties given with --party.")
    ] = False,
    model: ModelOption = None,
    json_out: JsonOption = False,
    details: Annotated[bool, typer.Option("--details", help="List the sentences behind every number.")] = False,
    html: Annotated[Path | None, typer.Option("--html", help="Also write a self-contained HTML report here.")] = None,
    open_report: Annotated[bool, typer.Option("--open", help="Open the HTML report in a browser.")] = False,
) -> None:
    """Compare two articles: stance per party, descriptors, shared and one-sided content."""
    try:
        from stance.loading import read_text
        from stance.parties import PartySpec
        from stance.pipeline import compare as run_compare

        if file_a.resolve() == file_b.resolve():
            _fail(f"{file_a} is given twice; compare two different articles")
        if only_given and not party:
            _fail("--only-given needs at least one --party")
        texts = [read_text(file_a), read_text(file_b)]
        labels = [label_a or file_a.stem, label_b or file_b.stem]
        if labels[0] == labels[1] and not (label_a or label_b):
            labels = [f"{file_a.parent.name}/{file_a.stem}", f"{file_b.parent.name}/{file_b.stem}"]
        result = run_compare(
            *texts,
            label_a=labels[0],
            label_b=labels[1],
            path_a=str(file_a),
            path_b=str(file_b),
            parties=[PartySpec.parse(p) for p in party or []],
            only_given=only_given,
            model=model,
        )
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
    elif open_report:
        _fail("--open needs --html PATH")
    from stance.render import terminal

    _emit(result, json_out, lambda r: terminal.render(r, details=details))


@app.command()
def score(
    file: Annotated[Path, typer.Argument(help="Article (UTF-8 text).")],
    party: Annotated[list[str], typer.Option("--party", help='Party to score, "Name=Alias,…". Repeatable.')],
    label: Annotated[
        list[str] | None,
        typer.Option("--label", help='Custom label, e.g. "supports a ceasefire" (its own hypothesis). Repeatable.'),
    ] = None,
    model: ModelOption = None,
    json_out: JsonOption = False,
) -> None:
    """Score each sentence that mentions a party: stance probabilities and signed score."""
    try:
        from stance.annotate import score_article
        from stance.loading import read_text
        from stance.parties import PartySpec

        result = score_article(
            read_text(file),
            [PartySpec.parse(p) for p in party],
            labels=label or [],
            model=model,
            path=str(file),
        )
    except StanceError as exc:
        _fail(str(exc))
    from stance.render import terminal

    _emit(result, json_out, terminal.render_scores)


@eval_app.command("newsmtsc")
def eval_newsmtsc(
    file: Annotated[Path, typer.Argument(help="NewsMTSC-format JSON-lines file.")],
    model: ModelOption = None,
    json_out: JsonOption = False,
) -> None:
    """Macro-F1, accuracy, per-class F1 and confusion matrix on NewsMTSC targets."""
    from stance.evaluation import newsmtsc
    from stance.nli import load

    try:
        items = newsmtsc.load(file)
        nli = load(model)
        from rich.progress import Progress

        with Progress(console=_stderr_console(), transient=True) as bar:
            task = bar.add_task("scoring", total=len(items))
            report = newsmtsc.evaluate(nli, items, progress=lambda k: bar.advance(task, k))
    except StanceError as exc:
        _fail(str(exc))
    data = {"dataset": f"newsmtsc:{file.name}", "model": nli.name, **newsmtsc.report_dict(report)}
    from stance.render import terminal

    _emit(data, json_out, terminal.render_report)


@eval_app.command("basil")
def eval_basil(
    directory: Annotated[Path, typer.Argument(help="BASIL folder with articles/ and annotations/.")],
    model: ModelOption = None,
    events: Annotated[int | None, typer.Option("--events", help="Use only the first N events.")] = None,
    json_out: JsonOption = False,
) -> None:
    """Pairwise direction accuracy, article-level macro-F1 and descriptor recall on BASIL."""
    try:
        from rich.progress import Progress

        from stance.evaluation import basil
        from stance.evaluation.basil_pipeline import analyse_for_basil

        with Progress(console=_stderr_console(), transient=True) as bar:
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
        from rich.progress import Progress

        from stance.evaluation import persent
        from stance.evaluation.article_pipeline import judge_texts
        from stance.nli import load

        docs = persent.load(file)
        nli = load(model)
        with Progress(console=_stderr_console(), transient=True) as bar:
            task = bar.add_task("documents", total=len(docs))
            result = persent.evaluate(docs, judge_texts(nli), progress=lambda k: bar.advance(task, k))
    except StanceError as exc:
        _fail(str(exc))
    data = {**result.to_dict(), "dataset": f"persent:{file.name}", "model": nli.name}
    from stance.render import terminal

    _emit(data, json_out, terminal.render_report)


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)
