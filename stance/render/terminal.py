"""Terminal output with rich: tables a reader can scan, each number next to its count.

Every string that comes from an article or from the user (sentences, labels, party names,
descriptors, speakers, the model's name) is printed as a :class:`rich.text.Text`, never as
a markup string: ``[sic]`` in a quote stays ``[sic]`` and ``[/]`` cannot break the report.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from stance.result import Comparison, Difference, Party, Summary

#: Rows shown per section before pointing to --details / --json.
TOP = 8


def _fmt(value: float) -> str:
    return f"{value:+.2f}"


def _t(*parts: str | tuple[str, str]) -> Text:
    """Text from plain pieces, each ``str`` or ``(str, style)``; nothing is parsed as markup."""
    return Text.assemble(*parts)


def _summary(s: Summary | None, label: str, judgment=None) -> Text:
    if s is None:
        return Text(f"not mentioned by {label}", style="dim")
    colour = "red" if s.high < 0 and s.n > 1 else "blue" if s.low > 0 and s.n > 1 else ""
    if s.n < 2:
        text = Text(f"{_fmt(s.mean)} (1 sentence, no interval)", style=colour)
    else:
        text = Text(f"{_fmt(s.mean)} [{_fmt(s.low)}, {_fmt(s.high)}] n={s.n}", style=colour)
    if judgment is not None:
        text.append(f"\njudged {judgment.label} {judgment.probs[judgment.label]:.2f}", style="dim")
    return text


def _sentence(result: Comparison, label: str, sid: int) -> str:
    return result.article(label).sentences[sid].text


def render(result: Comparison, details: bool = False, console: Console | None = None) -> None:
    """Print the comparison: parties, descriptors, divergent pairs, one-sided content."""
    con = console or Console()
    labels = result.labels
    title = Text()
    for i, label in enumerate(labels):
        if i:
            title.append(" vs ")
        title.append(label, style="bold")
    path = f", {result.compute_path}" if result.compute_path else ""
    title.append(f"  (model: {result.model}{path})")
    con.print(title)
    for art in result.articles:
        dropped = [s for s in art.sentences if s.dropped]
        kept = len(art.sentences) - len(dropped)
        reasons = sorted({s.dropped for s in dropped if s.dropped})
        note = f"; dropped {len(dropped)} boilerplate piece(s): {', '.join(reasons)}" if dropped else ""
        source = f" ({art.path})" if art.path else ""
        con.print(_t("  ", (art.label, "bold"), source, f": {kept} sentences{note}"))
    con.print(
        "Stance is the model's signed score (−1 negative … +1 positive) averaged over the sentences "
        "mentioning a party, with a 95% bootstrap interval; a verdict is given only when the "
        "interval of the difference excludes 0 and each side has at least two sentences. "
        "'judged' is the article-level reading of the party, with its probability: it weighs the "
        "whole article, and strongly worded sentences about events often leave an article "
        "judged neutral (see the README, How far to trust it).",
        style="dim",
        markup=False,
    )
    _parties(con, result)
    _not_found(con, result)
    _voices(con, result)
    _descriptors(con, result)
    _pairs(con, result)
    _only_in(con, result)
    if details:
        _details(con, result)
    else:
        con.print("Use --details to list the sentences behind every number.", style="dim", markup=False)


def _diff(d: Difference) -> Text:
    if min(d.n_a, d.n_b) < 2:
        return Text(f"{_fmt(d.mean)} (a single sentence: no interval)", style="dim")
    return Text(f"{_fmt(d.mean)} [{_fmt(d.low)}, {_fmt(d.high)}]")


def _parties(con: Console, result: Comparison) -> None:
    labels = result.labels
    two = len(labels) == 2
    table = Table(title=Text("Stance toward each party"), title_justify="left")
    table.add_column("party")
    for label in labels:
        table.add_column(Text(label))
    if two:
        table.add_column(Text(f"{labels[1]} − {labels[0]}"))
    table.add_column("verdict" if two else "each outlet against the others")
    ranked = [p for p in result.parties if p.stance]
    for p in ranked[:TOP]:
        cells = [_summary(p.stance.get(label), label, p.judgment.get(label)) for label in labels]
        if two:
            d = p.difference
            cells.append(_diff(d) if d else Text("—"))
        table.add_row(Text(p.name), *cells, _verdicts(p))
    con.print(table)
    if len(ranked) > TOP:
        con.print(f"  … and {len(ranked) - TOP} more parties (see --json).", style="dim", markup=False)


def _verdicts(party: Party) -> Text:
    """The verdicts on a party, or why there is none."""
    if len(party.stance) < 2:
        return Text("one outlet only", style="dim")
    # Named by two outlets: their pair; by more: each outlet against the pooled others.
    found = [d.verdict for d in ([party.difference] if party.difference else party.versus_others.values())]
    found = [v for v in found if v]
    if found:
        return Text("\n".join(found))
    if party.fewest < 2:
        return Text("too few sentences to tell (a single sentence on one side)", style="dim")
    return Text("no clear difference", style="dim")


def _not_found(con: Console, result: Comparison) -> None:
    missing = [p.name for p in result.parties if not p.stance]
    if missing:
        con.print(_t(("Not found in any article: ", "bold"), "; ".join(missing)))


def _voices(con: Console, result: Comparison) -> None:
    """One column per outlet holding both voices, so five outlets still fit 80 columns."""
    labels = result.labels
    table = Table(title=Text("By voice: the outlet's own words vs quoted or reported speech"), title_justify="left")
    table.add_column("party", overflow="fold")
    for label in labels:
        table.add_column(Text(label), overflow="fold")
    for p in [p for p in result.parties if p.stance][:TOP]:
        cells = []
        for label in labels:
            voices = p.stance_by_voice.get(label, {})
            lines = [f"{voice} {_fmt(s.mean)} n={s.n}" for voice in ("own", "quoted") if (s := voices.get(voice))]
            cells.append(Text("\n".join(lines)) if lines else Text("—", style="dim"))
        table.add_row(Text(p.name), *cells)
    con.print(table)


def _descriptors(con: Console, result: Comparison) -> None:
    labels = result.labels
    rows = [p for p in result.parties if any(p.descriptors_only.get(x) for x in labels)]
    if not rows:
        con.print("No descriptor is used by one outlet only.", markup=False)
        return
    table = Table(title=Text("Words only one outlet uses for a party"), title_justify="left")
    table.add_column("party")
    for label in labels:
        table.add_column(Text(f"only {label}"))
    for p in rows[:TOP]:
        table.add_row(Text(p.name), *(Text("; ".join(p.descriptors_only.get(label, []))) for label in labels))
    con.print(table)


def _pairs(con: Console, result: Comparison) -> None:
    gaps = [(pair, gap) for pair in result.alignment.pairs for gap in pair.gaps]
    gaps.sort(key=lambda pg: abs(pg[1].gap), reverse=True)
    con.print(
        _t(
            ("Shared content:", "bold"),
            f" {len(result.alignment.pairs)} aligned sentence pairs (cosine ≥ {result.alignment.threshold:.2f}).",
        )
    )
    if not gaps:
        return
    table = Table(title=Text("Most divergent aligned pairs (same fact, same party)"), title_justify="left")
    for col in ("party", "one outlet", "the other", "gap"):
        table.add_column(col, overflow="fold")
    for pair, gap in gaps[:5]:
        table.add_row(
            Text(gap.party),
            _t(
                (f"{pair.a}[{pair.a_sentence}] ", "bold"),
                _sentence(result, pair.a, pair.a_sentence),
                f" ({_fmt(gap.score_a)})",
            ),
            _t(
                (f"{pair.b}[{pair.b_sentence}] ", "bold"),
                _sentence(result, pair.b, pair.b_sentence),
                f" ({_fmt(gap.score_b)})",
            ),
            Text(_fmt(gap.gap)),
        )
    con.print(table)


def _only_in(con: Console, result: Comparison) -> None:
    for label, ids in result.alignment.only_in.items():
        if not ids:
            continue
        con.print(_t(("Only in ", "bold"), (label, "bold"), f" ({len(ids)} sentences; most about the parties first):"))
        for sid in ids[:3]:
            con.print(_t(f"  [{sid}] ", _sentence(result, label, sid)))


def _details(con: Console, result: Comparison) -> None:
    for p in result.parties:
        con.rule(Text(f"{p.name}  (aliases: {', '.join(p.aliases) or '—'})"))
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
                con.print(
                    Text(f"  {label} descriptors: " + "; ".join(f"{d.text} ({d.kind}, [{d.sentence}])" for d in ds))
                )
        for label, j in p.judgment.items():
            probs = ", ".join(f"{k} {v:.2f}" for k, v in j.probs.items())
            con.print(Text(f"  {label} judged {j.label} ({probs}); evidence:"))
            for sid in j.evidence:
                con.print(_t(f"    {label}[{sid}] ", _sentence(result, label, sid)))
    for art in result.articles:
        for s in art.sentences:
            if s.dropped:
                con.print(Text(f"{art.label}[{s.id}] dropped ({s.dropped}): {s.text}", style="dim"))


def render_scores(result, console: Console | None = None) -> None:
    """Print `stance score` output: one row per mention."""
    con = console or Console()
    table = Table(title=Text(f"{result.path} (model: {result.model})"), title_justify="left")
    for col in ("sent", "party", "voice", "neg", "neu", "pos", "score", *result.labels, "sentence"):
        table.add_column(Text(col), overflow="fold")
    for m in result.mentions:
        text = Text(m.sentence_text[: m.start])
        text.append(m.text, style="bold underline")
        text.append(m.sentence_text[m.end :])
        table.add_row(
            str(m.sentence),
            Text(m.party),
            Text(m.voice + (f" ({m.speaker})" if m.speaker else "")),
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
    table = Table(title=Text(f"Evaluation: {data.get('dataset', '')}"), title_justify="left", show_header=False)
    table.add_column("metric")
    table.add_column("value")
    for key, value in data.items():
        if isinstance(value, dict):
            continue
        table.add_row(Text(key), Text(f"{value:.4f}" if isinstance(value, float) else str(value)))
    con.print(table)
    confusion = data.get("confusion")
    if confusion:
        labels = list(confusion)
        grid = Table(title="Confusion (rows gold, columns predicted)", title_justify="left")
        grid.add_column("gold")
        for lab in labels:
            grid.add_column(Text(lab))
        for gold in labels:
            grid.add_row(Text(gold), *(str(confusion[gold][p]) for p in labels))
        con.print(grid)
    for key, value in data.items():
        if isinstance(value, dict) and key != "confusion":
            con.print(
                Text(
                    f"{key}: "
                    + ", ".join(f"{k}={v:.4f}" if isinstance(v, float) else f"{k}={v}" for k, v in value.items())
                )
            )
