"""The study's Parquet tables: fixed schemas, the corpus-wide ``outlet_parties`` aggregate,
and atomic writes.

Every table has a fixed Arrow schema, so an empty table still has its columns and a
column that happens to be all null keeps its type (the README documents each column).
Rows of all events are concatenated in corpus order, which makes the tables of a resumed
run identical to those of an uninterrupted one.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from stance import aggregate

_S, _I, _F, _B = pa.string(), pa.int64(), pa.float64(), pa.bool_()

SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema(
        [
            ("event", _S),
            ("outlet", _S),
            ("article_id", _S),
            ("kind", _S),
            ("source", _S),
            ("title", _S),
            ("date", _S),
            ("site", _S),
            ("language", _S),
            ("n_sentences", _I),
            ("n_dropped", _I),
            ("n_words", _I),
            ("n_parties", _I),
            ("n_mentions", _I),
        ]
    ),
    "mentions": pa.schema(
        [
            ("event", _S),
            ("outlet", _S),
            ("article_id", _S),
            ("party", _S),
            ("sentence", _I),
            ("sentence_text", _S),
            ("start", _I),
            ("end", _I),
            ("mention", _S),
            ("kind", _S),
            ("voice", _S),
            ("speaker", _S),
            ("p_negative", _F),
            ("p_neutral", _F),
            ("p_positive", _F),
            ("score", _F),
        ]
    ),
    "article_parties": pa.schema(
        [
            ("event", _S),
            ("outlet", _S),
            ("article_id", _S),
            ("party", _S),
            ("entity_type", _S),
            ("n_sentences", _I),
            ("n_mentions", _I),
            ("mean", _F),
            ("low", _F),
            ("high", _F),
            ("mean_own", _F),
            ("n_own", _I),
            ("mean_quoted", _F),
            ("n_quoted", _I),
            ("judgment", _S),
            ("judgment_negative", _F),
            ("judgment_neutral", _F),
            ("judgment_positive", _F),
            ("judgment_evidence", pa.list_(_I)),
            ("vs_others_mean", _F),
            ("vs_others_low", _F),
            ("vs_others_high", _F),
            ("vs_others_verdict", _S),
        ]
    ),
    "descriptors": pa.schema(
        [
            ("event", _S),
            ("outlet", _S),
            ("article_id", _S),
            ("party", _S),
            ("descriptor", _S),
            ("kind", _S),
            ("sentence", _I),
            ("only_this_outlet", _B),
        ]
    ),
    "errors": pa.schema(
        [("event", _S), ("outlet", _S), ("article_id", _S), ("source", _S), ("stage", _S), ("message", _S)]
    ),
    "outlet_parties": pa.schema(
        [
            ("outlet", _S),
            ("party", _S),
            ("entity_type", _S),
            ("n_events", _I),
            ("n_articles", _I),
            ("n_sentences", _I),
            ("n_mentions", _I),
            ("mean", _F),
            ("low", _F),
            ("high", _F),
            ("vs_others_mean", _F),
            ("vs_others_low", _F),
            ("vs_others_high", _F),
            ("vs_others_events", _I),
            ("vs_others_verdict", _S),
        ]
    ),
}
#: Tables each event contributes rows to; ``outlet_parties`` is computed across events.
EVENT_TABLES = ("articles", "mentions", "article_parties", "descriptors", "errors")
#: Fewest events on which an outlet and the others both cover a party before their
#: difference is put into words. A percentile bootstrap over three or four events has only
#: a handful of distinct resamples and gives intervals far too narrow (a finding on three
#: events read -0.36, CI -0.41 to -0.30); five is the least that resamples honestly.
MIN_EVENTS = 5
#: Widest possible interval of a difference of means of scores in [-1, 1].
DIFF_RANGE = (-2.0, 2.0)


def from_rows(name: str, rows: Sequence[dict]) -> pa.Table:
    """Rows as a table with ``name``'s schema (missing keys are nulls)."""
    return pa.Table.from_pylist(list(rows), schema=SCHEMAS[name])


def build(per_event: Sequence[dict[str, list[dict]]], names: dict[tuple[str, str], str]) -> dict[str, pa.Table]:
    """All tables from the events' rows (in corpus order), with each event's party names
    replaced by the corpus-wide name in ``names`` ((event, name in event) -> name)."""
    merged: dict[str, list[dict]] = {name: [] for name in EVENT_TABLES}
    for rows in per_event:
        for name in EVENT_TABLES:
            for row in rows.get(name, []):
                if "party" in row:
                    row = {**row, "party": names.get((row["event"], row["party"]), row["party"])}
                merged[name].append(row)
    out = {name: from_rows(name, merged[name]) for name in EVENT_TABLES}
    out["outlet_parties"] = from_rows("outlet_parties", outlet_parties(merged["article_parties"]))
    return out


def outlet_parties(article_parties: Sequence[dict]) -> list[dict]:
    """Per outlet × party across events, with events as the unit of resampling.

    An outlet's stance toward a party in one event is the mean over its sentences there;
    the corpus figure is the mean of those per-event means with a 95% bootstrap interval
    over events, so one long article cannot outweigh the rest. The difference from the
    other outlets is paired within events (this outlet's mean minus the mean of the other
    outlets' means in the same event, so that what happened in an event cancels out),
    averaged and bootstrapped over the events where both sides cover the party.
    """
    # (party, event) -> outlet -> [sum of scores, sentences, mentions, articles]
    cells: dict[tuple[str, str], dict[str, list[float]]] = defaultdict(dict)
    types: dict[str, str] = {}
    for r in article_parties:
        cell = cells[(r["party"], r["event"])].setdefault(r["outlet"], [0.0, 0, 0, 0])
        cell[0] += r["mean"] * r["n_sentences"]
        cell[1] += r["n_sentences"]
        cell[2] += r["n_mentions"]
        cell[3] += 1
        types.setdefault(r["party"], r["entity_type"] or "")
    per: dict[tuple[str, str], dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for (party, _event), outlets in cells.items():
        means = {o: c[0] / c[1] for o, c in outlets.items()}
        for outlet, c in outlets.items():
            acc = per[(outlet, party)]
            acc["means"].append(means[outlet])
            acc["counts"].append(c[1:])
            others = [m for o, m in means.items() if o != outlet]
            if others:
                acc["diffs"].append(means[outlet] - float(np.mean(others)))
    rows = []
    for (outlet, party), acc in sorted(per.items()):
        summary = aggregate.summarise(acc["means"])
        sentences, mentions, articles = (int(x) for x in np.sum(acc["counts"], axis=0))
        row = {
            "outlet": outlet,
            "party": party,
            "entity_type": types[party],
            "n_events": len(acc["means"]),
            "n_articles": articles,
            "n_sentences": sentences,
            "n_mentions": mentions,
            "mean": summary.mean,
            "low": summary.low,
            "high": summary.high,
            "vs_others_events": len(acc["diffs"]),
        }
        if acc["diffs"]:
            row.update(_versus(outlet, party, acc["diffs"]))
        rows.append(row)
    return rows


def _versus(outlet: str, party: str, diffs: list[float]) -> dict:
    d = aggregate.summarise(diffs)
    low, high = (d.low, d.high) if len(diffs) >= 2 else DIFF_RANGE
    verdict = None
    if len(diffs) >= MIN_EVENTS and (low > 0 or high < 0):
        direction = "negative" if d.mean < 0 else "positive"
        verdict = (
            f"{outlet} is more {direction} toward {party} than the other outlets "
            f"({_num(d.mean)}, 95% CI {_num(low)} to {_num(high)}; {len(diffs)} events)."
        )
    return {"vs_others_mean": d.mean, "vs_others_low": low, "vs_others_high": high, "vs_others_verdict": verdict}


def _num(x: float) -> str:
    """Signed, two decimals, with a typographic minus (as the compare verdicts)."""
    return f"{x:+.2f}".replace("-", "\u2212")


def write(tables: dict[str, pa.Table], out: Path) -> dict[str, Path]:
    """Write each table to ``out/<name>.parquet`` through a temporary file and a rename,
    so a reader (or a killed run) never sees half a table."""
    paths = {}
    for name, table in tables.items():
        path = Path(out) / f"{name}.parquet"
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        pq.write_table(table, tmp)
        os.replace(tmp, path)
        paths[name] = path
    return paths
