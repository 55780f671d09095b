"""`stance study`: corpus formats, the resumable store under a real kill -9, error rows,
and the report in headless Chromium.

The corpus is tests/fixtures/study/corpus.csv: three BASIL events cut to two paragraphs
per outlet (written by ``stance.studies.demo``), plus rows that must end up in ``errors``:
a blank text, a missing file, a URL nothing answers on 127.0.0.1, an article in German,
an event told by one outlet (with markup in its names, which the report must show as
text) and an event whose articles name no party.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from stance.errors import StanceError
from stance.studies import corpus, engines, store, tables
from stance.studies.run import StudySummary, study

pytest_plugins = ["browser"]

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "fixtures" / "study" / "corpus.csv"
TABLES = ("articles", "mentions", "article_parties", "descriptors", "errors", "outlet_parties")


def _rows() -> list[dict[str, str]]:
    with CORPUS.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "120"}


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "stance", "study", *args]


def _read(out: Path) -> dict[str, pa.Table]:
    return {name: pq.read_table(out / f"{name}.parquet") for name in TABLES}


# --- corpus formats (no model) ---------------------------------------------------------


def _shape(events: list[corpus.Event]) -> list[tuple[str, list[tuple[str, str, str]]]]:
    return [(e.name, [(x.outlet, x.kind, x.problem or "") for x in e.entries]) for e in events]


def test_csv_jsonl_and_parquet_give_the_same_events(tmp_path: Path) -> None:
    rows = _rows()
    jsonl = tmp_path / "corpus.jsonl"
    jsonl.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    parquet = tmp_path / "corpus.parquet"
    pq.write_table(pa.Table.from_pylist(rows), parquet)
    from_csv = corpus.read(CORPUS)
    assert [e.name for e in from_csv][-2:] == ["Lonely <b>event</b> & co", "Quiet day"]
    assert len(from_csv) == len({r["event"] for r in rows})
    for other in (jsonl, parquet):
        read = corpus.read(other)
        assert _shape(read) == _shape(from_csv)
        # a relative path resolves against the table's folder, wherever it is
        paths = [x.source for e in read for x in e.entries if x.kind == "path"]
        assert paths == [str(tmp_path / "missing-article.txt")]
        assert [x.source for e in read for x in e.entries if x.kind == "url"] == ["http://127.0.0.1:9/article"]
    texts = {(x.event, x.outlet): x.source for e in from_csv for x in e.entries if x.kind == "text"}
    assert texts[(rows[0]["event"], rows[0]["outlet"])] == rows[0]["text"]
    blank = next(x for e in from_csv for x in e.entries if x.outlet == "Empty Wire")
    assert blank.problem and "no text, path or url" in blank.problem


def test_a_folder_corpus_is_one_folder_per_event_and_one_file_per_outlet(tmp_path: Path) -> None:
    for event, outlets in {"2019 summit": ["wire", "daily"], "budget vote": ["daily", "herald", "wire"]}.items():
        (tmp_path / event).mkdir()
        for outlet in outlets:
            (tmp_path / event / f"{outlet}.txt").write_text(f"{outlet} on {event}.", encoding="utf-8")
    (tmp_path / ".cache").mkdir()
    events = corpus.read(tmp_path)
    assert [(e.name, [x.outlet for x in e.entries]) for e in events] == [
        ("2019 summit", ["daily", "wire"]),
        ("budget vote", ["daily", "herald", "wire"]),
    ]
    assert all(x.kind == "path" and Path(x.source).is_file() for e in events for x in e.entries)


@pytest.mark.parametrize(
    ("content", "suffix", "message"),
    [
        ("event,outlet\nE,A\n", ".csv", "one of text/path/url"),
        ("outlet,text\nA,t\n", ".csv", "event"),
        ("event,outlet,text\n", ".csv", "no rows"),
        ('{"event": "E"\n', ".jsonl", "not a JSON object"),
        ("not parquet", ".parquet", "not a readable Parquet file"),
        ("a", ".xlsx", "a corpus is a .csv"),
    ],
)
def test_a_malformed_corpus_is_one_clear_error(tmp_path: Path, content: str, suffix: str, message: str) -> None:
    path = tmp_path / f"corpus{suffix}"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(StanceError, match=message):
        corpus.read(path)


def test_an_outlet_twice_in_one_event_is_a_problem_row_not_a_second_article(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("event,outlet,text\nE,A,one\nE,A,two\nE,B,three\n", encoding="utf-8")
    (event,) = corpus.read(path)
    assert [x.problem is None for x in event.entries] == [True, False, True]


def test_the_store_key_follows_the_content_and_the_options(tmp_path: Path) -> None:
    file = tmp_path / "a.txt"
    file.write_text("first version", encoding="utf-8")
    entry = corpus.Entry("E", "A", "E/A", "path", str(file))
    event = corpus.Event("E", (entry, corpus.Entry("E", "B", "E/B", "text", "other text")))
    key = store.key_for(event, (), False, None)
    assert key == store.key_for(event, (), False, None)
    assert key != store.key_for(event, ("Smith",), False, None)
    assert key != store.key_for(event, (), False, "some/other-model")
    file.write_text("second version", encoding="utf-8")
    assert key != store.key_for(event, (), False, None)


def test_wire_copy_in_two_outlets_is_set_aside_not_the_whole_event() -> None:
    from stance.studies.event import EventTask, run_event

    text = "The senator from Ohio said on Monday that the bill would pass the chamber this week."
    entries = tuple(corpus.Entry("E", o, f"E/{o}", "text", t) for o, t in (("A", text), ("B", " " + text)))
    out = run_event(EventTask(corpus.Event("E", entries)))
    assert out.rows["articles"] == [] and [(r["outlet"], r["stage"]) for r in out.rows["errors"]] == [
        ("B", "input"),
        ("A", "event"),
    ]
    assert "the same text as A" in out.rows["errors"][0]["message"]


def test_one_run_at_a_time_per_folder(tmp_path: Path) -> None:
    first = store.Store(tmp_path)
    with pytest.raises(StanceError, match="another stance study is writing there"):
        store.Store(tmp_path)
    first.close()
    store.Store(tmp_path).close()


def test_engines_are_picked_by_name_and_the_local_one_never_imports_ray() -> None:
    with pytest.raises(StanceError, match="unknown engine"):
        engines.get("cloud")
    with pytest.raises(StanceError, match="--address is for --engine ray"):
        engines.get("local", address="127.0.0.1:6379")
    assert list(engines.get("local").map_unordered(len, ["ab", "c"])) == [2, 1]
    code = "import sys; from stance.studies import engines; engines.get('local'); print('ray' in sys.modules)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=_env(), check=True)
    assert run.stdout.strip() == "False"


def test_outlet_parties_resample_events_and_pair_differences_within_them() -> None:
    rows = []
    for event, (a, b) in enumerate([(-0.6, 0.2), (-0.4, 0.3), (-0.5, 0.1), (-0.7, 0.2), (-0.55, 0.2)]):
        for outlet, mean in (("A", a), ("B", b)):
            rows.append(
                {"event": str(event), "outlet": outlet, "party": "P", "entity_type": "PERSON"}
                | {"mean": mean, "n_sentences": 2 + event, "n_mentions": 3}
            )
    out = {r["outlet"]: r for r in tables.outlet_parties(rows)}
    assert out["A"]["n_events"] == 5 and out["A"]["n_articles"] == 5 and out["A"]["n_sentences"] == 20
    assert out["A"]["mean"] == pytest.approx(-0.55)
    assert out["A"]["low"] < out["A"]["mean"] < out["A"]["high"]
    assert out["A"]["vs_others_mean"] == pytest.approx(-0.75)
    assert out["A"]["vs_others_high"] < 0 and "A is more negative toward P" in out["A"]["vs_others_verdict"]
    # Fewer than MIN_EVENTS events are not a pattern: no verdict, however clear they look.
    few = {r["outlet"]: r for r in tables.outlet_parties([r for r in rows if r["event"] in "0123"])}
    assert few["A"]["vs_others_verdict"] is None


# --- a real study, killed and resumed ---------------------------------------------------


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, StudySummary]:
    """The corpus studied in one uninterrupted run, through the Python API."""
    out = tmp_path_factory.mktemp("baseline")
    return out, study(CORPUS, out)


def test_every_article_is_in_articles_or_in_errors(baseline: tuple[Path, StudySummary]) -> None:
    out, summary = baseline
    got = _read(out)
    articles = {(r["event"], r["outlet"]) for r in got["articles"].to_pylist()}
    errors = {(r["event"], r["outlet"]): r for r in got["errors"].to_pylist()}
    expected = {(r["event"], r["outlet"]) for r in _rows()}
    assert articles | set(errors) == expected and not articles & set(errors)
    assert errors[(_rows()[0]["event"], "Empty Wire")]["stage"] == "input"
    gone = next(r for k, r in errors.items() if k[1] == "Gone Gazette")
    assert gone["stage"] == "input" and "missing-article.txt" in gone["message"]
    offline = next(r for k, r in errors.items() if k[1] == "Offline Observer")
    assert offline["stage"] == "input" and offline["source"] == "http://127.0.0.1:9/article"
    foreign = next(r for k, r in errors.items() if k[1] == "Berliner Blatt")
    assert foreign["stage"] == "input" and "not English" in foreign["message"]
    assert errors[("Lonely <b>event</b> & co", "<i>Solo</i> & Sons")]["stage"] == "event"
    quiet = [r for k, r in errors.items() if k[0] == "Quiet day"]
    assert [r["stage"] for r in quiet] == ["analyse", "analyse"] and "no parties" in quiet[0]["message"]
    assert summary.articles == len(articles) == 9 and summary.errors == len(errors) == 7


def test_tables_hold_what_the_comparisons_found(baseline: tuple[Path, StudySummary]) -> None:
    out, _ = baseline
    got = {name: t.to_pylist() for name, t in _read(out).items()}
    for name in TABLES:
        assert pq.read_schema(out / f"{name}.parquet").names == tables.SCHEMAS[name].names
    mentions = got["mentions"]
    assert mentions and all(m["sentence_text"][m["start"] : m["end"]] == m["mention"] for m in mentions)
    assert all(abs(m["p_negative"] + m["p_neutral"] + m["p_positive"] - 1) < 1e-4 for m in mentions)
    # Every outlet × party figure is traceable to the mention rows it summarises.
    for row in got["outlet_parties"]:
        own = [m for m in mentions if m["outlet"] == row["outlet"] and m["party"] == row["party"]]
        assert len(own) == row["n_mentions"]
        assert len({(m["event"], m["sentence"]) for m in own}) == row["n_sentences"]
        assert row["low"] <= row["mean"] <= row["high"]
    judged = [r for r in got["article_parties"] if r["judgment"]]
    assert judged and all(r["judgment"] in ("negative", "neutral", "positive") for r in judged)
    # One person in several events is one party with one name across the corpus.
    events_per_party = {}
    for r in got["article_parties"]:
        events_per_party.setdefault(r["party"], set()).add(r["event"])
    assert max(len(v) for v in events_per_party.values()) >= 2


def test_tables_read_back_with_pandas_and_duckdb(baseline: tuple[Path, StudySummary]) -> None:
    import duckdb
    import pandas as pd

    out, _ = baseline
    op = pd.read_parquet(out / "outlet_parties.parquet")
    assert list(op.columns) == tables.SCHEMAS["outlet_parties"].names and len(op) > 0
    path = (out / "mentions.parquet").as_posix()
    per_outlet = dict(duckdb.sql(f"SELECT outlet, count(*) FROM '{path}' GROUP BY outlet").fetchall())
    mentions = pq.read_table(out / "mentions.parquet").to_pylist()
    assert per_outlet == {o: sum(m["outlet"] == o for m in mentions) for o in {m["outlet"] for m in mentions}}


def test_kill_9_mid_run_then_rerun_gives_the_same_tables(baseline, tmp_path: Path) -> None:
    """A real `stance study` process is killed with SIGKILL as soon as its first event is
    stored; the rerun skips that event, and the tables equal the uninterrupted run's."""
    out = tmp_path / "killed"
    proc = subprocess.Popen(_cli(str(CORPUS), "--out", str(out)), env=_env(), stderr=subprocess.PIPE, text=True)
    events = out / "events"
    deadline = time.monotonic() + 300
    while proc.poll() is None and time.monotonic() < deadline:
        if events.is_dir() and any(not p.name.startswith(".") for p in events.iterdir()):
            break
        time.sleep(0.05)
    assert proc.poll() is None, f"the study ended before it could be killed: {proc.stderr.read()}"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    assert not (out / "report.html").exists()
    rerun = subprocess.run(_cli(str(CORPUS), "--out", str(out)), env=_env(), capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert "already done" in rerun.stderr and "report written to" in rerun.stderr
    assert not list(events.glob(store.TMP_PREFIX + "*"))
    expected = _read(baseline[0])
    for name, table in _read(out).items():
        assert table.equals(expected[name]), name
    # A changed article is redone, and only its event.
    rows = _rows()
    rows[0]["text"] = rows[0]["text"] + " The chairman declined to comment further."
    changed = tmp_path / "changed.csv"
    with changed.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    again = study(changed, out)
    assert (again.analysed, again.skipped) == (1, len(corpus.read(CORPUS)) - 1)
    words = {r["outlet"]: r["n_words"] for r in _read(out)["articles"].to_pylist() if r["event"] == rows[0]["event"]}
    assert words[rows[0]["outlet"]] == len(rows[0]["text"].split())
    # --limit takes the first events; what is stored for the others stays for a later run.
    first = study(changed, out, limit=2)
    assert (first.events, first.analysed) == (2, 0)
    assert {r["event"] for r in _read(out)["articles"].to_pylist()} == {r["event"] for r in rows[:8]}
    assert study(changed, out).analysed == 0


def test_a_bad_corpus_is_one_line_and_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "c.csv"
    bad.write_text("event,outlet\nE,A\n", encoding="utf-8")
    run = subprocess.run(_cli(str(bad), "--out", str(tmp_path / "o")), env=_env(), capture_output=True, text=True)
    assert run.returncode == 1
    assert run.stderr.strip().startswith("stance: error:") and len(run.stderr.strip().splitlines()) == 1


# --- the report in Chromium -------------------------------------------------------------


@pytest.mark.browser
def test_study_report_in_chromium(open_page, baseline: tuple[Path, StudySummary], tmp_path: Path) -> None:
    out, _ = baseline
    page, log = open_page(out / "report.html")
    outlets = page.eval_on_selector_all("table.grid thead th", "els => els.slice(1).map(e => e.textContent)")
    assert outlets == ["Fox News", "HuffPost", "New York Times"]
    parties = page.eval_on_selector_all("table.grid tbody th", "els => els.map(e => e.textContent.trim())")
    coverage = {}
    for r in pq.read_table(out / "outlet_parties.parquet").to_pylist():
        coverage[r["party"]] = coverage.get(r["party"], 0) + r["n_sentences"]
    assert [coverage[p] for p in parties] == sorted(coverage.values(), reverse=True)[: len(parties)]
    assert page.locator("table.grid td.cell").count() > 0
    text = page.inner_text("body")
    assert "Lonely <b>event</b> & co" in text and "<i>Solo</i> & Sons" in text  # markup shown as text
    assert page.locator("b:text('event'), i:text('Solo')").count() == 0
    page.screenshot(path=str(tmp_path / "study.png"), full_page=True)
    assert (tmp_path / "study.png").stat().st_size > 10_000
    assert log.errors == [] and log.dialogs == [] and log.requests == []
    links = page.eval_on_selector_all("table.events a", "els => els.map(e => e.getAttribute('href'))")
    assert len(links) == 3  # the events that failed have no comparison page
    event_page, event_log = open_page(out / links[0])
    assert event_page.locator("mark.mention").count() > 0
    assert event_log.errors == [] and event_log.requests == []
