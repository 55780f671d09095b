"""A self-contained HTML report of a :class:`~stance.result.Comparison`.

The page must open offline and be safe with hostile article text, so it loads nothing
(no fonts, scripts or images; a Content-Security-Policy forbids them) and all text goes
through Jinja2's autoescaping. Python turns the result into plain view objects (chart
geometry, article rows, sentence segments); the template only lays them out, so no HTML
is ever built by joining strings of article text.
"""

from __future__ import annotations

import webbrowser
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from stance.render.pages import environment, write_atomic
from stance.result import AlignedPair, Comparison, Mention, Party, Summary

TEMPLATES = Path(__file__).resolve().parent / "templates"

_ENV = environment(TEMPLATES)

#: Colour classes of a signed score with their (exclusive) upper bounds; above the last
#: is ``pos2``. A class is a reading aid; the exact score is in every mention's tooltip.
TONES = (("neg2", -0.5), ("neg1", -0.15), ("neu", 0.15), ("pos1", 0.5))
#: Marker shape of each article's dot in the chart, so the outlets differ without colour
#: (repeated beyond six outlets, where the label beside each value still tells them apart).
SHAPES = ("circle", "square", "diamond", "triangle", "down", "cross")

# Chart geometry in SVG user units; the SVG scales to the page width. Columns: party name,
# the −1..+1 axis, then each outlet's numbers; the verdict runs under the name and axis.
CHART_WIDTH = 1120
AXIS_X0, AXIS_X1 = 250.0, 650.0
VALUES_X = 672
AXIS_TOP = 58
LINE_GAP = 20
ROW_PAD = 12
VERDICT_CHARS = 80


def render(result: Comparison) -> str:
    """The report as one HTML page that needs nothing but itself."""
    labels = result.labels
    shapes = {label: SHAPES[i % len(SHAPES)] for i, label in enumerate(labels)}
    placed, unplaced = _placed_mentions(result)
    chart = _chart(result, shapes)
    two = len(labels) == 2
    return _ENV.get_template("report.html.j2").render(
        result=result,
        labels=labels,
        names=labels[0] + " and " + labels[1] if two else ", ".join(labels[:-1]) + " and " + labels[-1],
        shapes=shapes,
        files={a.label: _source_name(a.path) for a in result.articles if a.path},
        chart=chart,
        findings=[" ".join(row.verdict_lines) for row in chart.rows if row.clear],
        descriptors=_descriptor_rows(result),
        rows=_article_rows(result, placed) if two else [],
        columns=[] if two else _article_columns(result, placed),
        unplaced=unplaced,
        mention_count=sum(len(p.mentions) for p in result.parties),
    )


def _source_name(path: str) -> str:
    """A file's name, or a URL as given: the report never shows a local absolute path."""
    return path if path.startswith(("http://", "https://")) else Path(path).name


def write(result: Comparison, path: Path) -> None:
    """Write the report to ``path`` (UTF-8) atomically: a temporary file in the same folder,
    then a rename, so an interrupted run never leaves half a report or a destroyed file."""
    write_atomic(path, render(result))


def open_in_browser(path: Path) -> bool:
    """Open a written report in the user's browser; False when this machine has none
    (a server or CI), so the caller can say where the file is instead."""
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return False
    return bool(browser.open(Path(path).resolve().as_uri()))


def tone(score: float) -> str:
    """The colour class of a signed score (see :data:`TONES`)."""
    for name, upper in TONES:
        if score < upper:
            return name
    return "pos2"


def signed(value: float) -> str:
    """``+0.12`` / ``−0.40``: a sign always and a true minus, so columns of numbers scan."""
    return f"{value:+.2f}".replace("-", "\u2212")


_ENV.filters["signed"] = signed
_ENV.filters["tone"] = tone


# --- chart -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Dot:
    """One article's mean stance toward a party; ``summary`` None = the article never names it."""

    label: str
    shape: str
    y: float
    summary: Summary | None
    #: x of the mean, the interval's ends (SVG units); None when not mentioned.
    x: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True)
class ChartRow:
    party: Party
    top: float
    height: float
    name_lines: list[str]
    dots: list[Dot]
    verdict_lines: list[str]
    verdict_y: float
    #: True when the verdict says the outlets differ (interval excludes 0, enough sentences).
    clear: bool
    #: A heading drawn above this row, opening a group of rows.
    heading: str | None = None


@dataclass(frozen=True)
class Chart:
    width: int
    height: float
    rows: list[ChartRow]
    ticks: list[tuple[float, float]]
    axis: tuple[float, float, float]
    values_x: int


def _x(value: float) -> float:
    """Chart x of a stance value, clamped to the axis."""
    return round(AXIS_X0 + (max(-1.0, min(1.0, value)) + 1) / 2 * (AXIS_X1 - AXIS_X0), 1)


def _wrap(text: str, width: int, lines: int) -> list[str]:
    """Split text into at most ``lines`` lines of about ``width`` characters: SVG text
    does not wrap by itself. The last line is cut with an ellipsis if still too long."""
    out: list[str] = []
    for word in text.split():
        if out and len(out[-1]) + 1 + len(word) <= width:
            out[-1] += " " + word
        else:
            out.append(word)
    if len(out) > lines:
        out = out[: lines - 1] + [" ".join(out[lines - 1 :])]
    return [line if len(line) <= width else line[: width - 1] + "…" for line in out]


def _verdict(party: Party) -> tuple[str, bool]:
    """The plain-words reading of a party named by two or more outlets, and whether it is a
    clear difference. Named by two outlets, it is the pair's; by more, each outlet against
    the pooled others."""
    differences = [party.difference] if party.difference else list(party.versus_others.values())
    clear = [d.verdict for d in differences if d.verdict]
    if clear:
        return " ".join(clear), True
    if not differences:
        return "no difference computed", False
    if party.fewest < 2:
        return "too few sentences to tell (one outlet names the party in a single sentence)", False
    if all(d.low <= 0 <= d.high for d in differences):
        return "no clear difference (interval includes 0)", False
    return "no verdict", False


def _chart(result: Comparison, shapes: dict[str, str]) -> Chart:
    """Lay out the chart rows top to bottom; rows grow with wrapped names and verdicts.
    Parties only one outlet names, or none (given with ``--party`` but not found), get no
    verdict line (the axis says "not mentioned by") and sit under a heading of their own."""
    labels = list(shapes)
    rows: list[ChartRow] = []
    top, group = float(AXIS_TOP + 6), "compared"
    for party in result.ranked_parties():
        compared = len(party.stance) >= 2
        heading = None
        kind = "compared" if compared else "one" if party.stance else "none"
        if kind != group:
            heading = "Named by one outlet only" if kind == "one" else "Given as a party, not found in any article"
            group = kind
            top += 30
        names = _wrap(party.name, 26, 2)
        dots = []
        for i, label in enumerate(labels):
            s = party.stance.get(label)
            y = top + ROW_PAD + LINE_GAP * (i + 0.5)
            xs = (_x(s.mean), _x(s.low), _x(s.high)) if s else (None, None, None)
            dots.append(Dot(label, shapes[label], y, s, *xs))
        verdict, clear = _verdict(party) if compared else ("", False)
        lines = _wrap(verdict, VERDICT_CHARS, 3 if len(labels) == 2 else 2 + len(labels))
        verdict_y = top + ROW_PAD + LINE_GAP * max(len(labels), len(names)) + (14 if lines else 0)
        height = verdict_y - top + 17 * max(0, len(lines) - 1) + ROW_PAD
        rows.append(ChartRow(party, top, height, names, dots, lines, verdict_y, clear, heading))
        top += height
    ticks = [(v, _x(v)) for v in (-1.0, -0.5, 0.0, 0.5, 1.0)]
    return Chart(CHART_WIDTH, top + 4, rows, ticks, (AXIS_X0, _x(0.0), AXIS_X1), VALUES_X)


# --- descriptors -----------------------------------------------------------------------


@dataclass(frozen=True)
class DescriptorRow:
    party: str
    only: dict[str, list[str]]
    shared: list[str]


def _descriptor_rows(result: Comparison) -> list[DescriptorRow]:
    """Per party with any descriptor: each outlet's own words, and the words more than one
    outlet uses (with two outlets: both)."""
    rows = []
    for party in result.parties:
        texts = [{d.text for d in party.descriptors.get(a.label, [])} for a in result.articles]
        counts = Counter(t for ts in texts for t in ts)
        shared = sorted((t for t, n in counts.items() if n >= 2), key=str.casefold)
        only = {a.label: party.descriptors_only.get(a.label, []) for a in result.articles}
        if shared or any(only.values()):
            rows.append(DescriptorRow(party.name, only, shared))
    return rows


# --- mentions in sentence text ----------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A mention's highlighted range in its sentence; ``end`` may be clipped (see _nest)."""

    start: int
    end: int
    order: int
    party: str
    mention: Mention


@dataclass(frozen=True)
class Mark:
    """A highlighted mention: its own text as child nodes, which may hold nested marks."""

    uid: str
    party: str
    mention: Mention
    tone: str
    clipped: bool
    children: list[str | Mark]


def _placed_mentions(result: Comparison) -> tuple[dict[tuple[str, int], list[Span]], list[Mark]]:
    """Mentions by (article, sentence id). A mention whose sentence or offsets do not fit
    the text is returned apart, so the page still shows it and every mention is counted."""
    texts = {(a.label, s.id): s.text for a in result.articles for s in a.sentences}
    placed: dict[tuple[str, int], list[Span]] = defaultdict(list)
    unplaced: list[Mark] = []
    order = 0
    for party in result.parties:
        for m in party.mentions:
            text = texts.get((m.article, m.sentence))
            if text is not None and 0 <= m.start < m.end <= len(text):
                placed[(m.article, m.sentence)].append(Span(m.start, m.end, order, party.name, m))
            else:
                unplaced.append(Mark(f"m{order}", party.name, m, tone(m.score), False, [m.text]))
            order += 1
    return placed, unplaced


def _nest(text: str, spans: list[Span], lo: int, hi: int) -> list[str | Mark]:
    """Segments of ``text[lo:hi]``: plain strings and marks, one mark per span.

    Overlaps are resolved deterministically into nesting, so that every mention keeps
    exactly one ``<mark>``: spans sort by start, longer first; a span that starts inside
    an earlier one nests in it, and one that also runs past its end is clipped to that
    end (``clipped``; its tooltip still gives the full mention text).
    """
    spans = sorted(spans, key=lambda s: (s.start, -s.end, s.order))
    nodes: list[str | Mark] = []
    pos, i = lo, 0
    while i < len(spans):
        outer = spans[i]
        j = i + 1
        while j < len(spans) and spans[j].start < outer.end:
            j += 1
        inner = [replace(s, end=min(s.end, outer.end)) for s in spans[i + 1 : j]]
        if outer.start > pos:
            nodes.append(text[pos : outer.start])
        m = outer.mention
        clipped = outer.end < m.end
        children = _nest(text, inner, outer.start, outer.end)
        nodes.append(Mark(f"m{outer.order}", outer.party, m, tone(m.score), clipped, children))
        pos, i = outer.end, j
    if pos < hi:
        nodes.append(text[pos:hi])
    return nodes


# --- the two articles, aligned -------------------------------------------------------------


@dataclass
class SentenceView:
    anchor: str
    id: int
    dropped: str | None
    only: bool
    nodes: list[str | Mark]
    #: Aligned sentences on the other side that are not level with this one: (text, anchor).
    notes: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Row:
    """A page row. ``pair`` rows hold one aligned sentence per side, level with each other;
    ``gap`` rows hold the unaligned sentences between two pairs, stacked per side."""

    kind: str
    cells: list[list[SentenceView]]
    pair: AlignedPair | None = None


def _monotone(pairs: list[AlignedPair], pos_a: dict[int, int], pos_b: dict[int, int]) -> list[AlignedPair]:
    """The pairs that can sit level: the chain increasing in both articles' order with the
    largest total similarity (crossing pairs cannot both be level without reordering)."""
    pairs = sorted(pairs, key=lambda p: (pos_a[p.a_sentence], pos_b[p.b_sentence]))
    best = [p.similarity for p in pairs]
    prev = [-1] * len(pairs)
    for i, p in enumerate(pairs):
        for j, q in enumerate(pairs[:i]):
            if (
                pos_a[q.a_sentence] < pos_a[p.a_sentence]
                and pos_b[q.b_sentence] < pos_b[p.b_sentence]
                and best[j] + p.similarity > best[i]
            ):
                best[i], prev[i] = best[j] + p.similarity, j
    chain: list[AlignedPair] = []
    i = max(range(len(pairs)), key=best.__getitem__, default=-1)
    while i >= 0:
        chain.append(pairs[i])
        i = prev[i]
    return chain[::-1]


def _views(
    result: Comparison, placed: dict[tuple[str, int], list[Span]], prefixes: list[str]
) -> list[list[SentenceView]]:
    """Each article's sentences as views, anchored ``{prefix}-{id}``."""
    out = []
    for prefix, art in zip(prefixes, result.articles, strict=True):
        only = set(result.alignment.only_in.get(art.label, []))
        out.append(
            [
                SentenceView(
                    f"{prefix}-{s.id}",
                    s.id,
                    s.dropped,
                    s.id in only,
                    _nest(s.text, placed.get((art.label, s.id), []), 0, len(s.text)),
                )
                for s in art.sentences
            ]
        )
    return out


def _article_rows(result: Comparison, placed: dict[tuple[str, int], list[Span]]) -> list[Row]:
    """Two articles as rows, each keeping its own order: aligned pairs of the monotone
    chain side by side, the sentences between them stacked in a gap row, and every other
    aligned pair noted on its two sentences as a link ("≈ matches")."""
    art_a, art_b = result.articles[0], result.articles[1]
    va, vb = _views(result, placed, ["a", "b"])
    views = {"a": va, "b": vb}
    pos = {side: {v.id: i for i, v in enumerate(vs)} for side, vs in views.items()}
    pairs = [p for p in result.alignment.pairs if p.a_sentence in pos["a"] and p.b_sentence in pos["b"]]
    chain = _monotone(pairs, pos["a"], pos["b"])
    level = {(p.a_sentence, p.b_sentence) for p in chain}
    for p in pairs:
        if (p.a_sentence, p.b_sentence) not in level:
            views["a"][pos["a"][p.a_sentence]].notes.append((f"{art_b.label} #{p.b_sentence}", f"b-{p.b_sentence}"))
            views["b"][pos["b"][p.b_sentence]].notes.append((f"{art_a.label} #{p.a_sentence}", f"a-{p.a_sentence}"))
    rows: list[Row] = []
    ia = ib = 0
    for p in chain:
        ja, jb = pos["a"][p.a_sentence], pos["b"][p.b_sentence]
        if ja > ia or jb > ib:
            rows.append(Row("gap", [views["a"][ia:ja], views["b"][ib:jb]]))
        rows.append(Row("pair", [[views["a"][ja]], [views["b"][jb]]], p))
        ia, ib = ja + 1, jb + 1
    if ia < len(views["a"]) or ib < len(views["b"]):
        rows.append(Row("gap", [views["a"][ia:], views["b"][ib:]]))
    return rows


def _article_columns(result: Comparison, placed: dict[tuple[str, int], list[Span]]) -> list[list[SentenceView]]:
    """Three or more articles, one column each in its own order (rows cannot be level
    across many outlets); each aligned sentence links to its counterparts ("≈ X #id")."""
    prefixes = [f"s{i}" for i in range(len(result.articles))]
    columns = _views(result, placed, prefixes)
    index = {label: i for i, label in enumerate(result.labels)}
    pos = [{v.id: k for k, v in enumerate(col)} for col in columns]
    for p in result.alignment.pairs:
        i, j = index[p.a], index[p.b]
        if p.a_sentence in pos[i] and p.b_sentence in pos[j]:
            columns[i][pos[i][p.a_sentence]].notes.append((f"{p.b} #{p.b_sentence}", f"s{j}-{p.b_sentence}"))
            columns[j][pos[j][p.b_sentence]].notes.append((f"{p.a} #{p.a_sentence}", f"s{i}-{p.a_sentence}"))
    return columns
