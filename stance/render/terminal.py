"""Terminal output with rich: tables a reader can scan, each number next to its count."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from stance.result import Comparison, Party, Summary

#: Rows shown per section before pointing to --details / --json.
TOP = 8


def _fmt(value: float) -> str:
    return f"{value:+.2f}"


def _summary(s: Summary | None, label: str) -> Text:
    if s is None:
        return Text(f"not mentioned by {label}", style="dim")
    colour = "red" if s.high < 0 else "blue" if s.low > 0 else ""
    return Text(f"{_fmt(s.mean)} [{_fmt(s.low)}, {_fmt(s.high)}] n={s.n}", style=colour)


def _sentence(result: Comparison, label: str, sid: int) -> str:
    return result.article(label).sentences[sid].text


def render(result: Comparison, details: bool = False, console: Console | None = None) -> None:
    """Print the comparison: parties, descriptors, divergent pairs, one-sided content."""
    con = console or Console()
    a, b = (art.label for art in result.articles)
    con.print(f"[bold]{a}[/] vs [bold]{b}[/]  (model: {result.model})")
    for art in result.articles:
        dropped = [s for s in art.sentences if s.dropped]
        kept = len(art.sentences) - len(dropped)
        reasons = sorted({s.dropped for s in dropped if s.dropped})
        note = f"; dropped {len(dropped)} boilerplate piece(s): {', '.join(reasons)}" if dropped else ""
        con.print(f"  {art.label}: {kept} sentences{note}")
    con.print(
        "Stance is the model's signed score (−1 negative … +1 positive) averaged over the sentences "
        "mentioning a party, with a 95% bootstrap interval; a verdict is given only when the "
        "interval of the difference excludes 0.",
        style="dim",
    )
    _parties(con, result, a, b)
    _voices(con, result, a, b)
    _descriptors(con, result, a, b)
    _pairs(con, result, a, b)
    _only_in(con, result)
    if details:
        _details(con, result)
    else:
        con.print("Use --details to list the sentences behind every number.", style="dim")


def _parties(con: Console, result: Comparison, a: str, b: str) -> None:
    table = Table(title="Stance toward each party", title_justify="left")
    for col in ("party", a, b, f"{b} − {a}", "verdict"):
        table.add_column(col)
    ranked = result.ranked_parties()
    for p in ranked[:TOP]:
        d = p.difference
        diff = f"{_fmt(d.mean)} [{_fmt(d.low)}, {_fmt(d.high)}]" if d else "—"
        verdict = d.verdict if d and d.verdict else ("no clear difference" if d else _absence(p))
        table.add_row(p.name, _summary(p.stance.get(a), a), _summary(p.stance.get(b), b), diff, verdict)
    con.print(table)
    if len(ranked) > TOP:
        con.print(f"  … and {len(ranked) - TOP} more parties (see --json).", style="dim")


def _voices(con: Console, result: Comparison, a: str, b: str) -> None:
    table = Table(title="By voice: the outlet's own words vs quoted or reported speech", title_justify="left")
    for col in ("party", f"{a} own", f"{a} quoted", f"{b} own", f"{b} quoted"):
        table.add_column(col)
    for p in result.ranked_parties()[:TOP]:
        cells = []
        for label in (a, b):
            voices = p.stance_by_voice.get(label, {})
            for voice in ("own", "quoted"):
                s = voices.get(voice)
                cells.append(Text(f"{_fmt(s.mean)} n={s.n}") if s else Text("—", style="dim"))
        table.add_row(p.name, *cells)
    con.print(table)


def _absence(party: Party) -> str:
    return "one outlet only" if party.stance else "named by neither"


def _descriptors(con: Console, result: Comparison, a: str, b: str) -> None:
    rows = [p for p in result.parties if any(p.descriptors_only.get(x) for x in (a, b))]
    if not rows:
        con.print("No descriptor is used by one outlet only.")
        return
    table = Table(title="Words only one outlet uses for a party", title_justify="left")
    for col in ("party", f"only {a}", f"only {b}"):
        table.add_column(col)
    for p in rows[:TOP]:
        table.add_row(p.name, "; ".join(p.descriptors_only.get(a, [])), "; ".join(p.descriptors_only.get(b, [])))
    con.print(table)


def _pairs(con: Console, result: Comparison, a: str, b: str) -> None:
    gaps = [(pair, gap) for pair in result.alignment.pairs for gap in pair.gaps]
    gaps.sort(key=lambda pg: abs(pg[1].gap), reverse=True)
    con.print(
        f"[bold]Shared content:[/] {len(result.alignment.pairs)} aligned sentence pairs "
        f"(cosine ≥ {result.alignment.threshold:.2f})."
    )
    if not gaps:
        return
    table = Table(title="Most divergent aligned pairs (same fact, same party)", title_justify="left")
    for col in ("party", a, b, "gap"):
        table.add_column(col, overflow="fold")
    for pair, gap in gaps[:5]:
        table.add_row(
            gap.party,
            f"[{pair.a}] {_sentence(result, a, pair.a)} ({_fmt(gap.score_a)})",
            f"[{pair.b}] {_sentence(result, b, pair.b)} ({_fmt(gap.score_b)})",
            _fmt(gap.gap),
        )
    con.print(table)


def _only_in(con: Console, result: Comparison) -> None:
    for label, ids in result.alignment.only_in.items():
        if not ids:
            continue
        con.print(f"[bold]Only in {label}[/] ({len(ids)} sentences; most about the parties first):")
        for sid in ids[:3]:
            con.print(f"  [{sid}] {_sentence(result, label, sid)}")


def _details(con: Console, result: Comparison) -> None:
    for p in result.ranked_parties():
        con.rule(f"{p.name}  (aliases: {', '.join(p.aliases) or '—'})")
        for m in sorted(p.mentions, key=lambda m: (m.article, m.sentence, m.start)):
            text = _sentence(result, m.article, m.sentence)
            line = Text(f"{m.article}[{m.sentence}] {_fmt(m.score)} {m.voice}")
            if m.speaker:
                line.append(f" ({m.speaker})")
            line.append(": ")
            line.append(text[: m.start])
            line.append(text[m.start : m.end], style="bold underline")
            line.append(text[m.end :])
            con.print(line)
        for label, ds in p.descriptors.items():
            if ds:
                con.print(f"  {label} descriptors: " + "; ".join(f"{d.text} ({d.kind}, [{d.sentence}])" for d in ds))
    for art in result.articles:
        for s in art.sentences:
            if s.dropped:
                con.print(f"{art.label}[{s.id}] dropped ({s.dropped}): {s.text}", style="dim")


def render_scores(result, console: Console | None = None) -> None:
    """Print `stance score` output: one row per mention."""
    con = console or Console()
    table = Table(title=f"{result.path} (model: {result.model})", title_justify="left")
    for col in ("sent", "party", "voice", "neg", "neu", "pos", "score", *result.labels, "sentence"):
        table.add_column(col, overflow="fold")
    for m in result.mentions:
        text = Text(m.sentence_text[: m.start])
        text.append(m.text, style="bold underline")
        text.append(m.sentence_text[m.end :])
        table.add_row(
            str(m.sentence),
            m.party,
            m.voice + (f" ({m.speaker})" if m.speaker else ""),
            f"{m.probs['negative']:.2f}",
            f"{m.probs['neutral']:.2f}",
            f"{m.probs['positive']:.2f}",
            _fmt(m.score),
            *(f"{m.labels[lab]:.2f}" for lab in result.labels),
            text,
        )
    con.print(table)


def render_report(data: dict, console: Console | None = None) -> None:
    """Print an evaluation report (a flat dict of figures, nested dicts as sub-tables)."""
    con = console or Console()
    table = Table(title=f"Evaluation: {data.get('dataset', '')}", title_justify="left", show_header=False)
    table.add_column("metric")
    table.add_column("value")
    for key, value in data.items():
        if isinstance(value, dict):
            continue
        table.add_row(key, f"{value:.4f}" if isinstance(value, float) else str(value))
    con.print(table)
    confusion = data.get("confusion")
    if confusion:
        labels = list(confusion)
        grid = Table(title="Confusion (rows gold, columns predicted)", title_justify="left")
        grid.add_column("gold")
        for lab in labels:
            grid.add_column(lab)
        for gold in labels:
            grid.add_row(gold, *(str(confusion[gold][p]) for p in labels))
        con.print(grid)
    for key, value in data.items():
        if isinstance(value, dict) and key != "confusion":
            con.print(
                f"{key}: " + ", ".join(f"{k}={v:.4f}" if isinstance(v, float) else f"{k}={v}" for k, v in value.items())
            )
