"""BASIL (Fan et al., EMNLP 2019): the same event told by three outlets, with gold stance.

Every BASIL event is one real "compare two outlets" case: three articles (Fox News, New
York Times, HuffPost) on the same event, each annotated with the author's feeling toward
each of its main entities (neg/neu/pos) and with biased spans. The evaluation runs the
real comparison pipeline once per article (through the ``analyse_article`` callable the
CLI passes in) and scores three things users rely on:

* pairwise direction: when two outlets' gold feelings toward an entity differ, does the
  sign of the difference in the article-level judgment (P(positive) − P(negative) of
  :func:`stance.judgment.judge_all`, what ``compare`` reports) agree?
* article-level feeling: the judgment's label against the gold feeling;
* descriptor recall: do the descriptors the tool lists cover the annotated word-choice
  (lexical bias) spans?

Data facts this module relies on, checked on all 150 articles of the 2010–2014 release:
the ``author_feeling_<Name>`` keys are exactly the ``main-entities`` with spaces turned
into underscores, and span ``target`` values use the same form; every lexical span targets
a main entity. Span ``start``/``end`` offsets are relative to one sentence of
``body-paragraphs`` (all 749 body spans match ``sentence[start:end] == txt``; one span,
id ``title``, is in the headline), which is why recall matches span text, not offsets.
Entity names differ in case across one event's articles ("Lois lerner"), so entities are
matched across articles case-insensitively. Source names are lower-cased (``NYT``/``nyt``).
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from stance.errors import StanceError
from stance.evaluation.metrics import ClassReport, classification_report

#: Gold author feelings in their natural order, so differences have a sign.
FEELINGS = ("neg", "neu", "pos")
_RANK = {label: rank for rank, label in enumerate(FEELINGS)}
#: Mean stance below the first value reads as "neg", above the second as "pos": fitted by
#: :func:`fit_thresholds` on all 50 events of ../shared/data/basil with the embedded model
#: (see the README's evaluation section); unseen data is scored with these fixed values.
THRESHOLDS = (-0.30, 0.31)
#: Candidate thresholds for mapping a mean stance to a feeling, 0.01 apart.
GRID = np.round(np.linspace(-1.0, 1.0, 201), 2)
#: Function words ignored when matching a descriptor to a span: "the" or "of" in common
#: must not count as covering the annotated word choice.
STOPWORDS = frozenset(
    "a an the of to in on at for by with from and or but nor as is are was were be been being "
    "that this these those it its he she they him her his hers them their we us our you your i "
    "me my not no do does did has have had will would can could should may might than then "
    "there here who whom which what when where why how also just very so too into over about "
    "after before up out if".split()
)


@dataclass(frozen=True)
class LexSpan:
    """An annotated word-choice span aimed at one main entity of its article."""

    entity: str
    text: str
    quoted: bool


@dataclass(frozen=True)
class BasilArticle:
    event: str
    source: str
    title: str
    paragraphs: list[list[str]]
    #: Main entity (display name) -> gold author feeling, in ``main-entities`` order.
    feeling: dict[str, str]
    spans: list[LexSpan]

    @property
    def entities(self) -> list[str]:
        return list(self.feeling)

    @property
    def label(self) -> str:
        return f"{self.source}-{self.event[:8]}"

    @property
    def text(self) -> str:
        """Headline and body as plain text, paragraphs separated by blank lines, as users
        paste an article: the headline is where an outlet frames a story most strongly."""
        return "\n\n".join(part for part in [self.title, *(" ".join(p) for p in self.paragraphs)] if part)


@dataclass(frozen=True)
class ArticleAnalysis:
    """What the pipeline found in one article, keyed by the entity names it was given."""

    #: Entity -> signed stance score of each sentence that mentions it.
    scores: dict[str, list[float]]
    #: Entity -> descriptor texts the tool extracted for it.
    descriptors: dict[str, list[str]] = field(default_factory=dict)
    #: Entity -> the article-level judgment as (feeling, P(positive) − P(negative)); absent
    #: when the pipeline does not judge (then the mean stands in) or did not find the entity.
    judgments: dict[str, tuple[str, float]] = field(default_factory=dict)

    def mean(self, entity: str) -> float | None:
        values = self.scores.get(entity) or []
        return float(np.mean(values)) if values else None

    def value(self, entity: str) -> float | None:
        """The signed judgment of ``entity`` (the mean stance when no judgment is given)."""
        if entity in self.judgments:
            return self.judgments[entity][1]
        return self.mean(entity)


@dataclass(frozen=True)
class PairCase:
    """One entity whose gold feeling differs between two outlets' articles on an event."""

    event: str
    entity: str
    a: str
    b: str
    gold_a: str
    gold_b: str
    mean_a: float | None
    mean_b: float | None


@dataclass(frozen=True)
class EntityCase:
    """One (article, main entity) with its gold feeling and the pipeline's mean stance."""

    event: str
    gold: str
    mean: float | None
    #: The judgment's feeling, None when the pipeline gave none.
    judged: str | None = None


@dataclass(frozen=True)
class BasilResult:
    dataset: str
    n_events: int
    n_articles: int
    #: Pairwise direction: entity pairs whose gold feeling differs between two outlets.
    n_pairs: int
    pairwise_correct: int
    pairwise_accuracy: float | None
    #: Pairs where one article never mentioned the entity (counted as wrong).
    pairwise_unmentioned: int
    #: The same pairs decided by the plain mean of sentence scores (the earlier rule).
    pairwise_accuracy_mean: float | None
    #: Article-level feeling over (article, main entity) cases.
    n_entities: int
    #: Cases the pipeline never found (mean taken as 0, no lean).
    entities_unmentioned: int
    #: Macro-F1 of the article-level judgment's labels (unfound entities as neu): what a
    #: user of ``stance`` gets; without judgments, of the mean cut at :data:`THRESHOLDS`.
    article_f1_macro: float
    article_report: ClassReport
    #: Macro-F1 of the earlier rule, the mean cut at the shipped thresholds
    #: (:data:`THRESHOLDS`, chosen on the BASIL 2010–2014 release with the embedded model).
    article_f1_macro_mean: float
    thresholds: dict[str, float]
    #: Macro-F1 with thresholds chosen leave-one-event-out on the data given: the honest
    #: figure on the data the shipped thresholds were chosen on (None with one event).
    article_f1_macro_loeo: float | None
    article_report_loeo: ClassReport | None
    #: Thresholds fitted on all the data given, and the (optimistic) macro-F1 they reach.
    thresholds_fitted: dict[str, float]
    article_f1_macro_fitted: float
    article_report_fitted: ClassReport
    #: Macro-F1 of always answering the most common gold feeling, for scale.
    majority_f1_macro: float
    descriptor_spans: int
    descriptor_matched: int
    descriptor_recall: float | None

    def to_dict(self) -> dict:
        return asdict(self)


def load(root: str | Path, events: int | None = None) -> list[BasilArticle]:
    """Read BASIL articles with their annotations, sorted by year, event and article.

    ``events`` keeps only the first that many events in that order.
    """
    base = Path(root)
    if not base.exists():
        raise StanceError(f"{base}: no such directory")
    if not base.is_dir():
        raise StanceError(f"{base}: is a file; give the BASIL directory (with articles/ and annotations/)")
    if events is not None and events < 1:
        raise StanceError(f"events must be at least 1, not {events}")
    paths = sorted((base / "articles").glob("*/*.json"))
    if not paths:
        raise StanceError(f"{base}: no BASIL articles (expected articles/YEAR/EVENT_N.json)")
    articles = [_article(path, base / "annotations" / path.parent.name / f"{path.stem}_ann.json") for path in paths]
    if events is not None:
        keep = set(list(dict.fromkeys(a.event for a in articles))[:events])
        articles = [a for a in articles if a.event in keep]
    return articles


def _article(path: Path, ann_path: Path) -> BasilArticle:
    raw, ann = _read_json(path), _read_json(ann_path)
    try:
        entities = list(raw["main-entities"])
        paragraphs = [[str(s) for s in p] for p in raw["body-paragraphs"]]
        feelings = ann["article-level-annotations"]
        feeling = {e: feelings[f"author_feeling_{_key(e)}"] for e in entities}
        by_key = {_key(e): e for e in entities}
        spans = [
            LexSpan(entity=by_key[s["target"]], text=s["txt"], quoted=s["quote"] == "yes")
            for s in ann["phrase-level-annotations"]
            if s["bias"] == "lex" and s["target"] in by_key
        ]
        article = BasilArticle(
            event=str(raw["triplet-uuid"]),
            source=str(raw["source"]).lower(),
            title=str(raw.get("title") or "").strip(),
            paragraphs=paragraphs,
            feeling=feeling,
            spans=spans,
        )
    except (KeyError, TypeError) as exc:
        raise StanceError(f"{path}: not a BASIL article with annotations (missing or bad {exc})") from exc
    bad = [f for f in feeling.values() if f not in FEELINGS]
    if bad:
        raise StanceError(f"{ann_path}: unknown author feeling {bad[0]!r} (expected neg, neu or pos)")
    return article


def _read_json(path: Path) -> dict:
    if not path.is_file():
        raise StanceError(f"{path}: no such file")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise StanceError(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno})") from exc
    except UnicodeDecodeError as exc:
        raise StanceError(f"{path}: not UTF-8 text") from exc
    if not isinstance(data, dict):
        raise StanceError(f"{path}: not a BASIL JSON object")
    return data


def _key(entity: str) -> str:
    return entity.replace(" ", "_")


def evaluate_basil(
    root: str | Path,
    analyse_article: Callable[[str, str, list[str]], ArticleAnalysis],
    events: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> BasilResult:
    """Run the pipeline once per article and score it against BASIL's gold labels.

    ``analyse_article(text, label, entity_names)`` must run the same code as ``stance
    compare``. ``progress(done, total)`` is called after each article.
    """
    articles = load(root, events)
    analyses = []
    for done, article in enumerate(articles, 1):
        analyses.append(analyse_article(article.text, article.label, article.entities))
        if progress:
            progress(done, len(articles))
    return score(articles, analyses)


def score(
    articles: Sequence[BasilArticle],
    analyses: Sequence[ArticleAnalysis],
    thresholds: tuple[float, float] = THRESHOLDS,
) -> BasilResult:
    """All metrics from articles and what the pipeline found in each (no model needed).

    ``analyses[i]`` belongs to ``articles[i]``; lists of different lengths are an error.
    """
    pairs = pair_cases(articles, analyses)
    correct = sum(direction_correct(c) for c in pairs)
    mean_pairs = pair_cases(articles, analyses, by_mean=True)
    cases = entity_cases(articles, analyses)
    gold = [c.gold for c in cases]
    means = _means(cases)
    shipped = classification_report(gold, predict(means, *thresholds), FEELINGS)
    judged = shipped
    if any(a.judgments for a in analyses):
        judged = classification_report(gold, [c.judged or "neu" for c in cases], FEELINGS)
    low, high = fit_thresholds(means, gold)
    fitted = classification_report(gold, predict(means, low, high), FEELINGS)
    fair = None
    if len({c.event for c in cases}) > 1:
        fair = classification_report(gold, leave_one_event_out(cases), FEELINGS)
    majority = max(FEELINGS, key=gold.count)
    hits = descriptor_hits(articles, analyses)
    return BasilResult(
        dataset="basil",
        n_events=len({a.event for a in articles}),
        n_articles=len(articles),
        n_pairs=len(pairs),
        pairwise_correct=correct,
        pairwise_accuracy=correct / len(pairs) if pairs else None,
        pairwise_unmentioned=sum(c.mean_a is None or c.mean_b is None for c in pairs),
        pairwise_accuracy_mean=sum(map(direction_correct, mean_pairs)) / len(mean_pairs) if mean_pairs else None,
        n_entities=len(cases),
        entities_unmentioned=sum(c.mean is None for c in cases),
        article_f1_macro=judged.f1_macro,
        article_report=judged,
        article_f1_macro_mean=shipped.f1_macro,
        thresholds={"negative_below": thresholds[0], "positive_above": thresholds[1]},
        article_f1_macro_loeo=fair.f1_macro if fair else None,
        article_report_loeo=fair,
        thresholds_fitted={"negative_below": low, "positive_above": high},
        article_f1_macro_fitted=fitted.f1_macro,
        article_report_fitted=fitted,
        majority_f1_macro=classification_report(gold, [majority] * len(gold), FEELINGS).f1_macro,
        descriptor_spans=len(hits),
        descriptor_matched=sum(hits),
        descriptor_recall=sum(hits) / len(hits) if hits else None,
    )


def pair_cases(
    articles: Sequence[BasilArticle], analyses: Sequence[ArticleAnalysis], by_mean: bool = False
) -> list[PairCase]:
    """Every (event, outlet pair, shared main entity) whose gold feelings differ, with each
    side's signed judgment (or plain mean stance with ``by_mean``) as ``mean_a``/``mean_b``."""
    by_event: dict[str, list[tuple[BasilArticle, ArticleAnalysis]]] = {}
    for article, analysis in zip(articles, analyses, strict=True):
        by_event.setdefault(article.event, []).append((article, analysis))
    cases = []
    for event, members in by_event.items():
        for (art_a, an_a), (art_b, an_b) in itertools.combinations(members, 2):
            names_b = {e.casefold(): e for e in art_b.entities}
            for entity_a in art_a.entities:
                entity_b = names_b.get(entity_a.casefold())
                if entity_b is None or art_a.feeling[entity_a] == art_b.feeling[entity_b]:
                    continue
                cases.append(
                    PairCase(
                        event=event,
                        entity=entity_a,
                        a=art_a.source,
                        b=art_b.source,
                        gold_a=art_a.feeling[entity_a],
                        gold_b=art_b.feeling[entity_b],
                        mean_a=an_a.mean(entity_a) if by_mean else an_a.value(entity_a),
                        mean_b=an_b.mean(entity_b) if by_mean else an_b.value(entity_b),
                    )
                )
    return cases


def direction_correct(case: PairCase) -> bool:
    """Whether sign(mean_b − mean_a) equals sign(gold_b − gold_a).

    An entity the pipeline did not find in one article gives no difference, which is
    wrong, since the gold feelings differ.
    """
    if case.mean_a is None or case.mean_b is None:
        return False
    gold = np.sign(_RANK[case.gold_b] - _RANK[case.gold_a])
    return bool(np.sign(case.mean_b - case.mean_a) == gold)


def entity_cases(articles: Sequence[BasilArticle], analyses: Sequence[ArticleAnalysis]) -> list[EntityCase]:
    return [
        EntityCase(
            event=article.event,
            gold=article.feeling[e],
            mean=analysis.mean(e),
            judged=analysis.judgments[e][0] if e in analysis.judgments else None,
        )
        for article, analysis in zip(articles, analyses, strict=True)
        for e in article.entities
    ]


def predict(means: Sequence[float], low: float, high: float) -> list[str]:
    """neg below ``low``, pos above ``high``, neu in between (bounds included)."""
    return ["neg" if m < low else "pos" if m > high else "neu" for m in means]


def fit_thresholds(means: Sequence[float], gold: Sequence[str]) -> tuple[float, float]:
    """The (low, high) pair on :data:`GRID` that maximises macro-F1 of :func:`predict`.

    Counting, per class, how many means fall below and above each grid value gives the
    confusion counts of all pairs at once. Ties go to the pair nearest (0, 0), the
    least tuned choice; with no data that is the plain sign rule.
    """
    m = np.asarray(means, dtype=np.float64)
    g = np.array([_RANK[x] for x in gold], dtype=np.int64)
    total = np.bincount(g, minlength=3)
    below = np.stack([(m[g == c, None] < GRID).sum(axis=0) for c in range(3)])  # (class, low)
    above = np.stack([(m[g == c, None] > GRID).sum(axis=0) for c in range(3)])  # (class, high)
    predicted = [  # predicted[k][c] = how many of gold class c get label k, shape (low, high)
        np.broadcast_to(below[:, :, None], (3, len(GRID), len(GRID))),
        total[:, None, None] - below[:, :, None] - above[:, None, :],
        np.broadcast_to(above[:, None, :], (3, len(GRID), len(GRID))),
    ]
    f1 = sum(_f1(2 * predicted[k][k], predicted[k].sum(axis=0) + total[k]) for k in range(3)) / 3
    f1 = np.where(GRID[:, None] <= GRID[None, :], f1, -1.0)
    best = np.argwhere(f1 >= f1.max() - 1e-12)
    i, j = min(best, key=lambda ij: (abs(GRID[ij[0]]) + abs(GRID[ij[1]]), GRID[ij[0]], GRID[ij[1]]))
    return float(GRID[i]), float(GRID[j])


def _f1(twice_tp: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """2·tp / (2·tp + fp + fn), with 0 where a class is neither gold nor predicted."""
    return np.divide(twice_tp, denominator, out=np.zeros(twice_tp.shape), where=denominator > 0)


def leave_one_event_out(cases: Sequence[EntityCase]) -> list[str]:
    """Predictions for each case with thresholds fitted on the other events only.

    The three articles of an event share entities and wording, so they are held out
    together; the pooled predictions give a macro-F1 free of tuning on the test cases.
    """
    means = _means(cases)
    out = [""] * len(cases)
    for event in dict.fromkeys(c.event for c in cases):
        train = [i for i, c in enumerate(cases) if c.event != event]
        low, high = fit_thresholds([means[i] for i in train], [cases[i].gold for i in train])
        for i, c in enumerate(cases):
            if c.event == event:
                out[i] = predict([means[i]], low, high)[0]
    return out


def _means(cases: Sequence[EntityCase]) -> list[float]:
    """Means with an unmentioned entity as 0: no evidence, no lean."""
    return [0.0 if c.mean is None else c.mean for c in cases]


def descriptor_hits(articles: Sequence[BasilArticle], analyses: Sequence[ArticleAnalysis]) -> list[bool]:
    """For each lexical-bias span, whether a descriptor for its entity covers it."""
    return [
        covers(span.text, analysis.descriptors.get(span.entity, []))
        for article, analysis in zip(articles, analyses, strict=True)
        for span in article.spans
    ]


def covers(span: str, descriptors: Sequence[str]) -> bool:
    """Whether any descriptor shares a content word with the span (case-insensitive)."""
    words = content_words(span)
    return any(words & content_words(d) for d in descriptors)


def content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.casefold()) if w not in STOPWORDS}
