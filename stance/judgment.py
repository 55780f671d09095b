"""Article-level judgment: how one article treats one party, from its scored mentions.

This is the step media-bias readers care about ("how does this outlet treat X?"). The mean
of sentence scores does not answer it well: plain factual sentences score as extreme and
cancel, a rival's attack reads as the outlet's own, and the headline counts as much as a
passing mention. So the judgment is a small learned aggregator: a multinomial logistic
regression over a handful of summaries of the party's sentences (class-probability means
and extremes, shares of strongly negative / positive sentences, the headline and lead,
the outlet's own voice apart from relayed speech, sentences where the party is the
grammatical subject, i.e. holds rather than receives the sentiment, salience) and, when
the fitted aggregator weighs them, of its paragraphs, each scored whole with every mention
marked (the shipped one does not: that extra pass bought nothing measurable, see
``models/README.md``). It was fitted
by ``models/fit_judge.py`` (``make judge``) on human article-level labels and ships as the
versioned ``judge.json`` beside the NLI model; only numpy reads it (no pickle, no
scikit-learn at run time). Every feature is traceable to sentences, and the evidence is the
sentences that push hardest toward the label.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from stance.nli import EMBEDDED_DIR, STANCE_LABELS, NLIModel
from stance.result import Judgment, Mention
from stance.scoring import score_passages
from stance.sentences import ParsedArticle

#: The aggregator shipped with the embedded model.
JUDGE_FILE = Path(EMBEDDED_DIR) / "judge.json"
#: Version of the judge file format this code reads.
FORMAT = 2
#: How many sentences are kept as evidence.
EVIDENCE = 3
#: A sentence beyond this signed score counts as strongly negative / positive.
STRONG = 0.5
#: Longest paragraph premise (in characters); a longer one is cut, from the sentence of
#: its first mention on, so the model (192 tokens) still sees the mention.
MAX_PARAGRAPH_CHARS = 900
#: Dependencies that make a mention the one doing or saying something in its clause.
_SUBJECT_DEPS = frozenset({"nsubj", "csubj", "agent"})


@dataclass(frozen=True)
class SentenceView:
    """What the aggregator knows about one sentence that mentions the party."""

    sentence: int
    #: Mean class probabilities of the party's mentions in it (negative, neutral, positive).
    probs: tuple[float, float, float]
    #: The sentence is in the outlet's own words (no mention in quoted or reported speech).
    own: bool
    #: The party is the grammatical subject there: it acts or speaks, it is not acted upon.
    subject: bool
    #: The sentence is in the first kept block (the headline, when the text has one) or the lead.
    lead: bool

    @property
    def score(self) -> float:
        return self.probs[2] - self.probs[0]


def sentence_views(article: ParsedArticle, mentions: Sequence[Mention]) -> list[SentenceView]:
    """One view per sentence of ``article`` that mentions the party, in reading order."""
    by_sentence: dict[int, list[Mention]] = defaultdict(list)
    for m in mentions:
        if m.article == article.label:
            by_sentence[m.sentence].append(m)
    kept = [s for s in article.sentences if s.dropped is None]
    lead_paragraphs = sorted({s.paragraph for s in kept})[:2]
    views = []
    for sid in sorted(by_sentence):
        ms = by_sentence[sid]
        probs = tuple(float(np.mean([m.probs[c] for m in ms])) for c in STANCE_LABELS)
        views.append(
            SentenceView(
                sentence=sid,
                probs=probs,  # type: ignore[arg-type]
                own=all(m.voice == "own" for m in ms),
                subject=any(_is_subject(article, m) for m in ms),
                lead=article.sentences[sid].paragraph in lead_paragraphs,
            )
        )
    return views


@dataclass(frozen=True)
class ParagraphView:
    """The model's reading of one whole paragraph that mentions the party."""

    paragraph: int
    probs: tuple[float, float, float]
    #: The paragraph is the first or second kept block (headline and lead).
    lead: bool

    @property
    def score(self) -> float:
        return self.probs[2] - self.probs[0]


def paragraph_passages(
    article: ParsedArticle, mentions: Sequence[Mention], marker: tuple[str, str] | None
) -> list[tuple[int, str]]:
    """(paragraph id, premise) for each kept paragraph of ``article`` that mentions the
    party: its sentences joined, every mention of the party marked."""
    by_paragraph: dict[int, list[Mention]] = defaultdict(list)
    for m in mentions:
        if m.article == article.label:
            by_paragraph[article.sentences[m.sentence].paragraph].append(m)
    out = []
    for par, ms in sorted(by_paragraph.items()):
        offsets, pieces, pos = {}, [], 0
        for sid, sent in enumerate(article.sentences):
            if sent.paragraph == par and sent.dropped is None:
                offsets[sid] = pos
                pieces.append(sent.text)
                pos += len(sent.text) + 1
        text = " ".join(pieces)
        spans = sorted({(offsets[m.sentence] + m.start, offsets[m.sentence] + m.end) for m in ms})
        lo = 0
        if len(text) > MAX_PARAGRAPH_CHARS:
            lo = max(o for o in offsets.values() if o <= spans[0][0])
            text = text[lo : lo + MAX_PARAGRAPH_CHARS]
            spans = [(a - lo, b - lo) for a, b in spans if b - lo <= len(text)]
        if marker is not None:
            for a, b in reversed(spans):
                text = f"{text[:a]}{marker[0]}{text[a:b]}{marker[1]}{text[b:]}"
        out.append((par, text))
    return out


def paragraph_views(
    nli: NLIModel, article: ParsedArticle, mentions_by_party: dict[str, Sequence[Mention]]
) -> dict[str, list[ParagraphView]]:
    """Every party's paragraphs in ``article`` scored whole, in one batched model call."""
    kept = sorted({s.paragraph for s in article.sentences if s.dropped is None})[:2]
    jobs = [
        (party, par, text)
        for party, ms in mentions_by_party.items()
        for par, text in paragraph_passages(article, ms, nli.config.marker)
    ]
    scored = score_passages(nli, [text for _, _, text in jobs], [party for party, _, _ in jobs])
    out: dict[str, list[ParagraphView]] = {party: [] for party in mentions_by_party}
    for (party, par, _), st in zip(jobs, scored, strict=True):
        probs = tuple(st.probs[c] for c in STANCE_LABELS)
        out[party].append(ParagraphView(par, probs, par in kept))  # type: ignore[arg-type]
    return out


def _is_subject(article: ParsedArticle, mention: Mention) -> bool:
    span = article.spans.get(mention.sentence)
    if span is None:
        return False
    start = span.start_char + mention.start
    end = span.start_char + mention.end
    tokens = [t for t in span if start <= t.idx < end]
    if not tokens:
        return False
    root = min(tokens, key=lambda t: len(list(t.ancestors)))
    return root.dep_ in _SUBJECT_DEPS


#: Feature names, in the order of the vector and of the judge file's coefficients.
FEATURES = (
    "mean_neg",
    "mean_neu",
    "mean_pos",
    "mean_score",
    "min_score",
    "max_score",
    "share_strong_neg",
    "share_strong_pos",
    "lead_score",
    "has_lead",
    "own_score",
    "own_share",
    "quoted_score",
    "subject_score",
    "object_score",
    "log_sentences",
    "salience",
    "weighted_score",
    "para_neg",
    "para_neu",
    "para_pos",
    "para_score",
    "para_min",
    "para_max",
    "para_lead_score",
    "para_strong_neg",
    "para_strong_pos",
)


def features(views: Sequence[SentenceView], paragraphs: Sequence[ParagraphView], n_sentences: int) -> np.ndarray:
    """The aggregator's inputs for one party in one article (see :data:`FEATURES`).

    A subset that is empty (no own-voice sentence, no lead) contributes 0, with its share or
    indicator telling the model it was absent.
    """
    probs = np.array([v.probs for v in views], dtype=np.float64)
    scores = probs[:, 2] - probs[:, 0]

    def mean_of(mask: list[bool]) -> float:
        chosen = scores[np.array(mask, dtype=bool)]
        return float(chosen.mean()) if chosen.size else 0.0

    para = np.array([v.probs for v in paragraphs], dtype=np.float64).reshape(-1, 3)
    para_scores = para[:, 2] - para[:, 0]
    lead_paras = para_scores[np.array([v.lead for v in paragraphs], dtype=bool)]
    # earlier sentences weigh more: readers and writers put the judgment up front
    weights = 1.0 / np.sqrt(1.0 + np.arange(len(views)))
    values = {
        "mean_neg": probs[:, 0].mean(),
        "mean_neu": probs[:, 1].mean(),
        "mean_pos": probs[:, 2].mean(),
        "mean_score": scores.mean(),
        "min_score": scores.min(),
        "max_score": scores.max(),
        "share_strong_neg": float((scores < -STRONG).mean()),
        "share_strong_pos": float((scores > STRONG).mean()),
        "lead_score": mean_of([v.lead for v in views]),
        "has_lead": float(any(v.lead for v in views)),
        "own_score": mean_of([v.own for v in views]),
        "own_share": float(np.mean([v.own for v in views])),
        "quoted_score": mean_of([not v.own for v in views]),
        "subject_score": mean_of([v.subject for v in views]),
        "object_score": mean_of([not v.subject for v in views]),
        "log_sentences": math.log1p(len(views)),
        "salience": len(views) / max(n_sentences, 1),
        "weighted_score": float((weights * scores).sum() / weights.sum()),
        "para_neg": float(para[:, 0].mean()) if len(para) else 0.0,
        "para_neu": float(para[:, 1].mean()) if len(para) else 1.0,
        "para_pos": float(para[:, 2].mean()) if len(para) else 0.0,
        "para_score": float(para_scores.mean()) if len(para) else 0.0,
        "para_min": float(para_scores.min()) if len(para) else 0.0,
        "para_max": float(para_scores.max()) if len(para) else 0.0,
        "para_lead_score": float(lead_paras.mean()) if lead_paras.size else 0.0,
        "para_strong_neg": float((para_scores < -STRONG).mean()) if len(para) else 0.0,
        "para_strong_pos": float((para_scores > STRONG).mean()) if len(para) else 0.0,
    }
    return np.array([values[name] for name in FEATURES], dtype=np.float64)


@dataclass(frozen=True)
class Aggregator:
    """A fitted multinomial logistic regression over :data:`FEATURES` (standardised)."""

    classes: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray

    @classmethod
    def read(cls, path: str | Path = JUDGE_FILE) -> Aggregator:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or tuple(data.get("features", ())) != FEATURES:
            raise ValueError(f"{path}: judge file of another format or feature set; refit with `make judge`")
        return cls(
            classes=tuple(data["classes"]),
            mean=np.array(data["mean"], dtype=np.float64),
            scale=np.array(data["scale"], dtype=np.float64),
            coef=np.array(data["coef"], dtype=np.float64),
            intercept=np.array(data["intercept"], dtype=np.float64),
        )

    @property
    def uses_paragraphs(self) -> bool:
        """Whether any paragraph feature carries weight: if not, the paragraph pass (as
        costly as scoring the sentences) is skipped."""
        columns = [k for k, name in enumerate(FEATURES) if name.startswith("para_")]
        return bool(np.any(self.coef[:, columns] != 0))

    def probabilities(self, x: np.ndarray) -> dict[str, float]:
        z = self.coef @ ((x - self.mean) / self.scale) + self.intercept
        p = np.exp(z - z.max())
        p /= p.sum()
        return {c: float(v) for c, v in zip(self.classes, p, strict=True)}


@lru_cache(maxsize=4)
def aggregator(path: str = str(JUDGE_FILE)) -> Aggregator:
    """The shipped aggregator, read once per process."""
    return Aggregator.read(path)


def judge_views(
    views: Sequence[SentenceView],
    paragraphs: Sequence[ParagraphView],
    n_sentences: int,
    model: Aggregator | None = None,
) -> Judgment:
    """The judgment from sentence and paragraph views (the part of :func:`judge_all` that
    needs no parse and no model)."""
    model = model or aggregator()
    probs = model.probabilities(features(views, paragraphs, n_sentences))
    label = max(probs, key=probs.__getitem__)
    # evidence: the sentences whose own reading most supports the label, strongest first
    k = STANCE_LABELS.index(label)
    ranked = sorted(views, key=lambda v: (-v.probs[k], v.sentence))
    return Judgment(probs=probs, label=label, evidence=[v.sentence for v in ranked[:EVIDENCE]])


def judge_all(
    nli: NLIModel, article: ParsedArticle, mentions_by_party: dict[str, Sequence[Mention]]
) -> dict[str, Judgment]:
    """How ``article`` treats each party, from its scored mentions and, when the shipped
    aggregator weighs them, one batched model call over its paragraphs; parties without
    mentions here are left out."""
    present = {party: ms for party, ms in mentions_by_party.items() if any(m.article == article.label for m in ms)}
    if aggregator().uses_paragraphs:
        paragraphs = paragraph_views(nli, article, present)
    else:
        paragraphs = {party: [] for party in present}
    n_sentences = sum(s.dropped is None for s in article.sentences)
    return {
        party: judge_views(sentence_views(article, ms), paragraphs[party], n_sentences) for party, ms in present.items()
    }
