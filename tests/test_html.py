"""The HTML report: safe with hostile text, offline, and faithful to the result.

The fast tests render small hand-built results, so they pin the renderer's own rules
(escaping, one highlight per mention, level rows for crossing alignments) without a
model. The browser tests render the real pipeline on the seeds and look at the page as
a reader's browser shows it.
"""

from __future__ import annotations

import json
import re
import webbrowser
from dataclasses import replace
from html import unescape
from pathlib import Path

import pytest

from stance.render import html
from stance.result import (
    AlignedPair,
    Alignment,
    Article,
    Comparison,
    Difference,
    Mention,
    Party,
    Sentence,
    Summary,
)

#: Fixtures ``chromium`` and ``open_page``: Debian's browser driven by Playwright.
pytest_plugins = ["browser"]

HOSTILE_MARKUP = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
)
#: A paragraph naming real parties around live markup, appended to a seed article.
HOSTILE_PARAGRAPH = "\n\nTurkey said Khalifa Haftar posted {} and {} with {} to his followers.\n".format(
    *HOSTILE_MARKUP
)
#: A src/href attribute that would make the browser fetch or run something.
LIVE_URL = re.compile(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:|//|javascript:)""", re.IGNORECASE)


def _mention(
    article: str, sentence: int, start: int, end: int, text: str, score: float = 0.0, voice: str = "own"
) -> Mention:
    probs = {"negative": max(0.0, -score), "neutral": 1 - abs(score), "positive": max(0.0, score)}
    return Mention(article, sentence, start, end, text[start:end], "name", voice, None, probs, score)


def _party(
    name: str, mentions: list[Mention], stance: dict[str, Summary], difference: Difference | None = None
) -> Party:
    """A party of a two-article result: the pair's difference, and each outlet against the other."""
    pairs = [difference] if difference else []
    versus = {}
    if difference:
        flipped = Difference("others", difference.a, -difference.mean, -difference.high, -difference.low, None, 3, 3)
        versus = {difference.b: replace(difference, a="others"), difference.a: flipped}
    return Party(name, [name], "", stance, {}, {}, pairs, versus, {}, {}, mentions)


def _tiny(
    a_texts: list[str],
    b_texts: list[str],
    parties: list[Party],
    pairs: list[AlignedPair] = (),
    label_a: str = "A",
    model: str = "test-model",
) -> Comparison:
    articles = [
        Article(label_a, None, [Sentence(i, t) for i, t in enumerate(a_texts)]),
        Article("B", None, [Sentence(i, t) for i, t in enumerate(b_texts)]),
    ]
    return Comparison(articles, parties, Alignment(list(pairs), {label_a: [], "B": []}, 0.6), model)


def _mark_count(page_html: str) -> int:
    return len(re.findall(r'<mark class="mention\b', page_html))


# --- fast: the renderer's own rules -----------------------------------------------------


def test_hostile_text_is_escaped_and_nothing_is_fetched() -> None:
    text = "Haftar wrote " + " ".join(HOSTILE_MARKUP) + " and left."
    label = '<b onmouseover="alert(2)">A</b>'
    mentions = [_mention(label, 0, 0, 6, text), _mention("B", 0, 0, 6, "Haftar")]
    party = _party("Haftar <script>alert(3)</script>", mentions, {})
    model = "model <script>alert(4)</script>"
    result = _tiny([text], ["Haftar said nothing."], [party], label_a=label, model=model)
    page = html.render(result)
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img" not in page and "<b onmouseover" not in page
    assert not LIVE_URL.search(page), LIVE_URL.search(page)
    assert "url(http" not in page and "@import" not in page
    assert _mark_count(page) == len(mentions)


def test_every_mention_gets_exactly_one_mark_whatever_the_overlaps() -> None:
    text = "Khalifa Haftar's forces met the GNA today."
    ms = [
        _mention("A", 0, 0, 14, text, -0.6),  # Khalifa Haftar
        _mention("A", 0, 0, 23, text, 0.3),  # Khalifa Haftar's forces (contains it)
        _mention("A", 0, 8, 14, text, 0.1),  # Haftar (inside both)
        _mention("A", 0, 8, 14, text, 0.1, "quoted"),  # the same span again
        _mention("A", 0, 17, 35, text),  # crosses the end of "…forces"
        _mention("A", 0, 40, 99, text),  # runs past the sentence: not placeable
        _mention("A", 7, 0, 3, text),  # no such sentence
    ]
    result = _tiny([text], ["Nothing here."], [_party("Haftar", ms, {})])
    page = html.render(result)
    assert _mark_count(page) == len(ms)
    sentence = re.search(r'<p class="sent" id="a-0">(.*?)</p>', page, re.S).group(1)
    visible = re.sub(r'<span class="tip".*?</span></mark>', "", sentence, flags=re.S)
    assert unescape(re.sub(r"<[^>]+>", "", visible)).endswith(text)  # the text itself is untouched
    assert "Mentions not placed in the text" in page


def test_crossing_alignments_keep_a_monotone_chain_level() -> None:
    a = ["A zero.", "A one.", "A two."]
    b = ["B zero.", "B one.", "B two."]
    pairs = [AlignedPair("A", 0, "B", 1, 0.9), AlignedPair("A", 1, "B", 0, 0.7), AlignedPair("A", 2, "B", 2, 0.8)]
    rows = html._article_rows(_tiny(a, b, [], pairs), {})
    level = [(r.cells[0][0].id, r.cells[1][0].id) for r in rows if r.kind == "pair"]
    assert level == [(0, 1), (2, 2)]
    order_a = [v.id for r in rows for v in r.cells[0]]
    order_b = [v.id for r in rows for v in r.cells[1]]
    assert order_a == [0, 1, 2] and order_b == [0, 1, 2]
    a1 = next(v for r in rows for v in r.cells[0] if v.id == 1)
    assert a1.notes == [("B #0", "b-0")]


def test_chart_sorts_by_difference_and_names_missing_outlets() -> None:
    s = Summary(0.1, -0.2, 0.4, 3)
    parties = [
        _party("Small", [], {"A": s, "B": s}, Difference("A", "B", 0.05, -0.3, 0.4, None, 3, 3)),
        _party("OnlyA", [], {"A": s}),
        _party("Big", [], {"A": s, "B": s}, Difference("A", "B", -0.6, -0.9, -0.2, "B is more negative", 3, 3)),
    ]
    chart = html._chart(_tiny(["x"], ["y"], parties), {"A": "circle", "B": "square"})
    assert [r.party.name for r in chart.rows] == ["Big", "Small", "OnlyA"]
    page = html.render(_tiny(["x"], ["y"], parties))
    assert "not mentioned by B" in page and "no clear difference (interval includes 0)" in page
    assert "B is more negative" in page


def test_a_given_party_neither_outlet_names_gets_its_own_heading() -> None:
    s = Summary(0.1, -0.2, 0.4, 3)
    parties = [_party("Nobody", [], {}), _party("OnlyA", [], {"A": s})]
    chart = html._chart(_tiny(["x"], ["y"], parties), {"A": "circle", "B": "square"})
    assert [(r.party.name, r.heading) for r in chart.rows] == [
        ("OnlyA", "Named by one outlet only"),
        ("Nobody", "Given as a party, not found in any article"),
    ]


def test_a_party_in_one_sentence_shows_no_interval() -> None:
    one, three = Summary(0.4, -1.0, 1.0, 1), Summary(0.1, -0.2, 0.4, 3)
    wide = Difference("A", "B", -0.3, -2.0, 2.0, None, 1, 3)
    page = html.render(_tiny(["x"], ["y"], [_party("Once", [], {"A": one, "B": three}, wide)]))
    assert "(1 sentence, no interval)" in page
    assert page.count('class="whisker"') == 3  # the three-sentence outlet only: one line and two ends
    assert "too few sentences to tell" in page and "(a single sentence: no interval)" in page
    assert "2.00" not in page  # the whole-range interval of a one-sentence difference is not drawn


def test_write_is_atomic_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text("an older report")
    html.write(_tiny(["x"], ["y"], []), target)
    assert target.read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_open_in_browser_reports_no_browser(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def no_browser(*_args: object) -> None:
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "get", no_browser)
    assert html.open_in_browser(tmp_path / "report.html") is False


# --- browser: the real pipeline's report in headless Chromium ---------------------------


def _compare(seeds: dict[str, Path], extra_a: str = "") -> Comparison:
    from stance.pipeline import compare  # the pipeline; imported here so its absence fails clearly

    a, b = seeds["alarabiya-2020"], seeds["cgtn-2019"]
    return compare(
        a.read_text(encoding="utf-8") + extra_a,
        b.read_text(encoding="utf-8"),
        label_a="Al Arabiya",
        label_b="CGTN",
        path_a=str(a),
        path_b=str(b),
    )


@pytest.fixture(scope="module")
def seed_result(seeds: dict[str, Path]) -> Comparison:
    return _compare(seeds)


@pytest.fixture(scope="module")
def hostile_result(seeds: dict[str, Path]) -> Comparison:
    return _compare(seeds, HOSTILE_PARAGRAPH)


@pytest.mark.browser
def test_seed_report_in_chromium(open_page, seed_result: Comparison, tmp_path: Path) -> None:
    data = seed_result.to_dict()
    html.write(seed_result, tmp_path / "report.html")
    page, log = open_page(tmp_path / "report.html")
    rows = page.eval_on_selector_all("g.party-row", "els => els.map(e => e.dataset.party)")
    assert sorted(rows) == sorted(p["name"] for p in data["parties"])
    assert page.locator("mark.mention").count() == sum(len(p["mentions"]) for p in data["parties"])
    first = page.locator("mark.mention").first
    first.focus()
    assert first.locator(".tip").is_visible()  # the tooltip works from the keyboard
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    assert (tmp_path / "report.png").stat().st_size > 10_000
    assert log.errors == [] and log.dialogs == [] and log.requests == []


@pytest.mark.browser
def test_hostile_article_shows_markup_as_text(open_page, hostile_result: Comparison, tmp_path: Path) -> None:
    html.write(hostile_result, tmp_path / "hostile.html")
    page, log = open_page(tmp_path / "hostile.html")
    text = page.inner_text("body")
    for markup in HOSTILE_MARKUP:
        assert markup in text
    assert page.locator("script, img, a[href^='javascript']").count() == 0
    page.screenshot(path=str(tmp_path / "hostile.png"), full_page=True)
    assert log.dialogs == [] and log.errors == [] and log.requests == []


@pytest.mark.browser
def test_five_outlets_each_get_a_column_and_a_readable_page(open_page, seeds: dict[str, Path], tmp_path: Path) -> None:
    from conftest import FIXTURES

    from stance.inputs import Document
    from stance.pipeline import analyse

    docs = []
    for path in sorted((FIXTURES / "basil" / "articles" / "2014").glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        text = raw["title"] + "\n\n" + "\n\n".join(" ".join(p) for p in raw["body-paragraphs"])
        docs.append(Document(text, raw["source"], str(path)))
    docs += [Document(seeds[name].read_text(encoding="utf-8"), name, str(seeds[name])) for name in sorted(seeds)]
    result = analyse(docs)
    html.write(result, tmp_path / "five.html")
    page, log = open_page(tmp_path / "five.html")
    heads = page.eval_on_selector_all(".columns .colhead", "els => els.map(e => e.textContent)")
    assert heads == result.labels and len(heads) == 5
    assert page.locator(".columns > .cell").count() == 5
    boxes = [page.locator(".columns > .cell").nth(i).bounding_box() for i in range(5)]
    assert all(b["width"] >= 180 for b in boxes), boxes  # readable: no column squeezed to a sliver
    assert page.locator("mark.mention").count() == sum(len(p.mentions) for p in result.parties)
    assert page.locator("a.xref").count() == 2 * len(result.alignment.pairs)
    page.screenshot(path=str(tmp_path / "five.png"), full_page=True)
    assert log.errors == [] and log.dialogs == [] and log.requests == []
