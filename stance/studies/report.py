"""``DIR/report.html``: the study at a glance, read only from the finished tables.

An outlet × party grid (colour = mean stance, with its counts and interval), then per
party each outlet's distinctive descriptors and its most negative and most positive
sentences, then the events with links to their own comparison pages. Like the compare
report, the page is self-contained (a Content-Security-Policy forbids every fetch) and all
text goes through Jinja2's autoescaping; Python prepares plain view rows, the template
only lays them out.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from stance.render.html import TONES
from stance.render.pages import environment, write_atomic
from stance.studies.tables import MIN_EVENTS

TEMPLATES = Path(__file__).resolve().parent / "templates"
_ENV = environment(TEMPLATES)


def _signed(x: float) -> str:
    """Two decimals with a sign and a typographic minus; a value that rounds to zero has none."""
    text = f"{x:+.2f}"
    return "0.00" if text in ("+0.00", "-0.00") else text.replace("-", "\u2212")


_ENV.filters["signed"] = _signed

#: Parties shown in the grid and in the per-party sections, most covered first.
MAX_PARTIES = 40
#: Distinctive descriptors shown per outlet and party.
MAX_DESCRIPTORS = 8
#: Events listed with errors in the page (all are in the errors table).
MAX_ERRORS = 100


@dataclass(frozen=True)
class EventLink:
    name: str
    #: Relative link to the event's comparison page, None when the event failed.
    href: str | None
    outlets: list[str]
    articles: int
    errors: int


@dataclass(frozen=True)
class Cell:
    mean: float
    low: float
    high: float
    n_sentences: int
    n_events: int
    tone: str


@dataclass(frozen=True)
class Quote:
    """A sentence as (text, is a mention of the party) pieces, with its score and event."""

    pieces: list[tuple[str, bool]]
    score: float
    event: str
    tone: str


@dataclass(frozen=True)
class OutletView:
    outlet: str
    cell: Cell | None
    descriptors: list[tuple[str, int]]
    most_negative: Quote | None
    most_positive: Quote | None


@dataclass(frozen=True)
class PartyView:
    name: str
    anchor: str
    entity_type: str
    sentences: int
    outlets: list[OutletView]
    verdicts: list[str]


def tone(score: float) -> str:
    """The compare report's colour class of a signed score."""
    return next((name for name, bound in TONES if score < bound), "pos2")


def render(tables: dict[str, pa.Table], events: list[EventLink], model: str | None) -> str:
    articles = tables["articles"].to_pylist()
    outlet_parties = tables["outlet_parties"].to_pylist()
    outlets = sorted({r["outlet"] for r in articles}, key=str.casefold)
    coverage: Counter[str] = Counter()
    for r in outlet_parties:
        coverage[r["party"]] += r["n_sentences"]
    ranked = sorted(coverage, key=lambda p: (-coverage[p], p.casefold()))[:MAX_PARTIES]
    cells = {(r["outlet"], r["party"]): r for r in outlet_parties}
    descriptors = _distinctive(tables["descriptors"].to_pylist())
    quotes = _extremes(tables["mentions"].to_pylist())
    parties = []
    for index, party in enumerate(ranked):
        views = []
        for outlet in outlets:
            row = cells.get((outlet, party))
            cell = None
            if row:
                # One event has no interval over events: grey, not the colour of a finding.
                shade = tone(row["mean"]) if row["n_events"] >= 2 else "thin"
                cell = Cell(row["mean"], row["low"], row["high"], row["n_sentences"], row["n_events"], shade)
            low, high = quotes.get((outlet, party), (None, None))
            views.append(OutletView(outlet, cell, descriptors.get((outlet, party), []), low, high))
        verdicts = [cells[(o, party)]["vs_others_verdict"] for o in outlets if (o, party) in cells]
        parties.append(
            PartyView(
                name=party,
                anchor=f"party-{index}",
                entity_type=next(r["entity_type"] for r in outlet_parties if r["party"] == party),
                sentences=coverage[party],
                outlets=views,
                verdicts=[v for v in verdicts if v],
            )
        )
    tested = [r for r in outlet_parties if r["vs_others_events"] >= MIN_EVENTS]
    findings = sorted((r for r in tested if r["vs_others_verdict"]), key=lambda r: -abs(r["vs_others_mean"]))
    return _ENV.get_template("study.html.j2").render(
        findings=[r["vs_others_verdict"] for r in findings],
        tested=len(tested),
        min_events=MIN_EVENTS,
        outlets=outlets,
        parties=parties,
        all_parties=len(coverage),
        events=events,
        n_articles=len(articles),
        errors=tables["errors"].to_pylist()[:MAX_ERRORS],
        n_errors=tables["errors"].num_rows,
        model=model,
    )


def write(out: Path, tables: dict[str, pa.Table], events: list[EventLink], model: str | None) -> Path:
    """Write ``out/report.html`` through a temporary file and a rename."""
    path = Path(out) / "report.html"
    write_atomic(path, render(tables, events, model))
    return path


def _distinctive(rows: list[dict]) -> dict[tuple[str, str], list[tuple[str, int]]]:
    """Per (outlet, party): descriptors no other outlet uses for that party anywhere in the
    corpus (compared case-insensitively), most used first."""
    used: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    outlets_of: dict[tuple[str, str], set[str]] = defaultdict(set)
    written: dict[str, str] = {}
    for r in rows:
        word = r["descriptor"].casefold()
        written.setdefault(word, r["descriptor"])
        used[(r["outlet"], r["party"])][word] += 1
        outlets_of[(r["party"], word)].add(r["outlet"])
    return {
        (outlet, party): sorted(
            ((written[w], n) for w, n in counts.items() if outlets_of[(party, w)] == {outlet}),
            key=lambda wn: (-wn[1], wn[0].casefold()),
        )[:MAX_DESCRIPTORS]
        for (outlet, party), counts in used.items()
    }


def _extremes(rows: list[dict]) -> dict[tuple[str, str], tuple[Quote | None, Quote | None]]:
    """Per (outlet, party): its most negative and most positive sentence (a sentence's
    score is the mean over its mentions of the party), each only when it leans that way."""
    per_sentence: dict[tuple[str, str, str, str, int], list[dict]] = defaultdict(list)
    for r in rows:
        per_sentence[(r["outlet"], r["party"], r["event"], r["article_id"], r["sentence"])].append(r)
    best: dict[tuple[str, str], list[Quote | None]] = defaultdict(lambda: [None, None])
    for key in sorted(per_sentence):
        mentions = per_sentence[key]
        score = sum(m["score"] for m in mentions) / len(mentions)
        quote = Quote(_pieces(mentions), score, key[2], tone(score))
        slot = best[key[:2]]
        if score < 0 and (slot[0] is None or score < slot[0].score):
            slot[0] = quote
        if score > 0 and (slot[1] is None or score > slot[1].score):
            slot[1] = quote
    return {k: (v[0], v[1]) for k, v in best.items()}


def _pieces(mentions: list[dict]) -> list[tuple[str, bool]]:
    """The sentence split around the party's mentions in it (overlaps keep the first)."""
    text, pieces, at = mentions[0]["sentence_text"], [], 0
    for m in sorted(mentions, key=lambda m: m["start"]):
        if m["start"] < at:
            continue
        pieces += [(text[at : m["start"]], False), (text[m["start"] : m["end"]], True)]
        at = m["end"]
    return [p for p in [*pieces, (text[at:], False)] if p[0]]
