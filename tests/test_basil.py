"""BASIL evaluation: loading real files, and each metric on data with known answers."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest

from stance.errors import StanceError
from stance.evaluation import basil
from stance.evaluation.basil import ArticleAnalysis, EntityCase, PairCase
from stance.evaluation.metrics import classification_report

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "basil"
TRUMP, BRALEY = "97566c74", "22b6e900"
#: A pipeline that gets every feeling right: its mean stance is the gold rank.
PERFECT = {"neg": [-0.6, -0.4], "neu": [0.0], "pos": [0.5]}


def perfect(article: basil.BasilArticle) -> ArticleAnalysis:
    return ArticleAnalysis(scores={e: PERFECT[g] for e, g in article.feeling.items()})


def test_fixture_loads_with_gold_feelings_and_lexical_spans() -> None:
    articles = basil.load(FIXTURE)
    assert [a.label for a in articles] == [
        f"nyt-{TRUMP}",
        f"fox-{TRUMP}",
        f"hpo-{TRUMP}",
        f"hpo-{BRALEY}",
        f"nyt-{BRALEY}",
        f"fox-{BRALEY}",
    ]
    assert [a.feeling for a in articles[:3]] == [
        {"Donald Trump": "neg"},
        {"Donald Trump": "neu"},
        {"Donald Trump": "neg"},
    ]
    fox = articles[5]
    assert fox.feeling == {"Bruce Braley": "neg", "Chuck Grassley": "pos"}
    assert fox.entities == ["Bruce Braley", "Chuck Grassley"]
    assert [(s.entity, s.text, s.quoted) for s in fox.spans] == [
        ("Bruce Braley", "mocking", False),
        ("Bruce Braley", "\u201crespects\u201d", False),
    ]
    assert articles[3].spans == []
    assert fox.text.startswith(fox.title + "\n\nIowa Democratic Rep. Bruce Braley is under fire")
    assert "\n\n" in fox.text


def test_events_limit_keeps_whole_events_in_order() -> None:
    articles = basil.load(FIXTURE, events=1)
    assert {a.event[:8] for a in articles} == {TRUMP}
    assert len(articles) == 3


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda root: root / "missing", "no such directory"),
        (lambda root: root, "no BASIL articles"),
    ],
)
def test_missing_or_empty_directory_is_a_user_error(tmp_path: Path, setup, message: str) -> None:
    with pytest.raises(StanceError, match=message):
        basil.load(setup(tmp_path))


def test_malformed_json_and_missing_annotation_are_user_errors(tmp_path: Path) -> None:
    root = tmp_path / "basil"
    shutil.copytree(FIXTURE, root)
    article = sorted((root / "articles").glob("*/*.json"))[0]  # NYT on Trump: feeling neg
    ann = root / "annotations" / article.parent.name / f"{article.stem}_ann.json"
    ann.write_text(ann.read_text(encoding="utf-8").replace('": "neg"', '": "str-neg"'), encoding="utf-8")
    with pytest.raises(StanceError, match="unknown author feeling 'str-neg'"):
        basil.load(root)
    ann.write_text('{"article-level-annotations": ', encoding="utf-8")
    with pytest.raises(StanceError, match=r"_ann\.json: not valid JSON"):
        basil.load(root)
    ann.unlink()
    with pytest.raises(StanceError, match=r"_ann\.json: no such file"):
        basil.load(root)


def test_pair_cases_are_the_entities_whose_gold_differs() -> None:
    articles = basil.load(FIXTURE)
    cases = basil.pair_cases(articles, [perfect(a) for a in articles])
    found = {(c.event[:8], c.entity, c.a, c.b, c.gold_a, c.gold_b) for c in cases}
    assert found == {
        (TRUMP, "Donald Trump", "nyt", "fox", "neg", "neu"),
        (TRUMP, "Donald Trump", "fox", "hpo", "neu", "neg"),
        (BRALEY, "Bruce Braley", "hpo", "fox", "neu", "neg"),
        (BRALEY, "Chuck Grassley", "hpo", "fox", "neu", "pos"),
        (BRALEY, "Bruce Braley", "nyt", "fox", "neu", "neg"),
        (BRALEY, "Chuck Grassley", "nyt", "fox", "neu", "pos"),
    }
    assert all(basil.direction_correct(c) for c in cases)


def case(gold_a: str, gold_b: str, mean_a: float | None, mean_b: float | None) -> PairCase:
    return PairCase("e", "X", "a", "b", gold_a, gold_b, mean_a, mean_b)


def test_direction_needs_the_right_sign_and_both_mentions() -> None:
    assert basil.direction_correct(case("neu", "neg", 0.1, -0.2))
    assert basil.direction_correct(case("pos", "neu", 0.3, 0.2))
    assert not basil.direction_correct(case("neu", "pos", 0.3, 0.2))
    assert not basil.direction_correct(case("neg", "pos", 0.2, 0.2))
    assert not basil.direction_correct(case("neg", "neu", None, 0.2))


def test_fit_thresholds_separates_clean_data_with_the_least_tuned_bounds() -> None:
    means = [-0.8, -0.6, -0.1, 0.0, 0.1, 0.7, 0.9]
    gold = ["neg", "neg", "neu", "neu", "neu", "pos", "pos"]
    low, high = basil.fit_thresholds(means, gold)
    assert (low, high) == (-0.1, 0.1)
    assert basil.predict(means, low, high) == gold


def test_fit_thresholds_finds_the_best_macro_f1_of_a_brute_force_search() -> None:
    rng = __import__("numpy").random.default_rng(5)
    gold = list(rng.choice(["neg", "neu", "neu", "neu", "pos"], size=40))
    shift = {"neg": -0.3, "neu": 0.0, "pos": 0.25}
    means = [float(shift[g] + rng.normal(0, 0.25)) for g in gold]
    low, high = basil.fit_thresholds(means, gold)

    def f1(lo: float, hi: float) -> float:
        return classification_report(gold, basil.predict(means, lo, hi), basil.FEELINGS).f1_macro

    coarse = [x / 20 for x in range(-20, 21)]
    brute = max(f1(lo, hi) for lo, hi in itertools.product(coarse, coarse) if lo <= hi)
    assert low <= high
    assert f1(low, high) >= brute > 0.5


def test_leave_one_event_out_uses_thresholds_from_the_other_events() -> None:
    cases = [
        EntityCase("e1", "neu", -0.3),
        EntityCase("e1", "neg", -0.6),
        EntityCase("e2", "neu", -0.7),
        EntityCase("e2", "neg", -0.9),
    ]
    # e2 alone puts the neg bound at -0.7, which calls e1's -0.6 neutral; e1 alone puts it
    # at -0.3, which calls e2's -0.7 negative.
    assert basil.leave_one_event_out(cases) == ["neu", "neu", "neg", "neg"]


def test_descriptor_cover_is_content_word_overlap_ignoring_case() -> None:
    assert basil.covers("exclamation-point laden", ["his laden rant"])
    assert basil.covers("Mocking", ["mocking"])
    assert basil.covers("\u201crespects\u201d", ["said he respects"])
    assert not basil.covers("his own", ["his", "the senator"])
    assert not basil.covers("threats", [])


def test_score_on_the_fixture_with_a_perfect_and_an_absent_pipeline() -> None:
    articles = basil.load(FIXTURE)
    good = basil.score(articles, [perfect(a) for a in articles])
    assert (good.n_events, good.n_articles, good.n_pairs, good.n_entities) == (2, 6, 6, 9)
    assert good.pairwise_accuracy == 1.0
    assert good.article_f1_macro_fitted == 1.0
    assert good.descriptor_spans == 10 and good.descriptor_recall == 0.0

    blind = basil.score(articles, [ArticleAnalysis(scores={}) for _ in articles])
    assert (blind.pairwise_accuracy, blind.pairwise_unmentioned) == (0.0, 6)
    assert blind.entities_unmentioned == 9
    assert blind.article_f1_macro_fitted == pytest.approx(blind.majority_f1_macro)

    data = good.to_dict()
    required = {"dataset", "n_pairs", "pairwise_accuracy", "n_articles", "article_f1_macro"}
    assert required | {"descriptor_recall", "thresholds"} <= set(data)
    assert set(data["article_report"]["f1"]) == {"neg", "neu", "pos"}


def test_evaluate_runs_the_pipeline_once_per_article() -> None:
    calls: list[tuple[str, list[str]]] = []
    ticks: list[tuple[int, int]] = []

    def analyse(text: str, label: str, entities: list[str]) -> ArticleAnalysis:
        calls.append((label, entities))
        words = text.casefold()
        return ArticleAnalysis(
            scores={e: [-0.5] for e in entities},
            descriptors={e: ["mocking", "threats"] for e in entities if "mock" in words or "threat" in words},
        )

    result = basil.evaluate_basil(FIXTURE, analyse, progress=lambda done, total: ticks.append((done, total)))
    assert len(calls) == 6 and len(set(label for label, _ in calls)) == 6
    assert ("fox-" + BRALEY, ["Bruce Braley", "Chuck Grassley"]) in calls
    assert ticks[-1] == (6, 6)
    # Equal means everywhere: no direction is ever right.
    assert result.pairwise_accuracy == 0.0
    assert result.descriptor_matched == 2  # "threats" (nyt) and "mocking" (fox)


def test_judgments_decide_direction_and_feeling_when_given() -> None:
    articles = basil.load(FIXTURE)
    signed = {"neg": -0.7, "neu": 0.0, "pos": 0.6}
    # means point the wrong way everywhere; the judgments are right
    judged = [
        ArticleAnalysis(
            scores={e: [-signed[g]] for e, g in a.feeling.items()},
            judgments={e: (g, signed[g]) for e, g in a.feeling.items()},
        )
        for a in articles
    ]
    result = basil.score(articles, judged)
    assert result.pairwise_accuracy == 1.0
    assert result.pairwise_accuracy_mean == 0.0
    assert result.article_f1_macro == 1.0
    assert result.article_f1_macro_mean < 1.0
