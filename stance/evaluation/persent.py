"""PerSenT (Bastan et al., COLING 2020): the author's sentiment toward an article's main entity.

Each line is one news article with its main entity (``target``), the document-level label
(negative / neutral / positive) and the same judgment for most paragraphs. The evaluation
gives the target as the party (as a user would with ``--party``), runs the real pipeline
and scores the article-level judgment (:func:`stance.judgment.judge_all`, what ``compare``
reports) against the document label, and the same judgment made on each labelled paragraph
alone against the paragraph labels.

The released text has its commas stripped ("In 2006  Benjamin Koellmann bought …", "$1 500"),
the target's mentions padded with spaces and its non-ASCII characters garbled. A parser and
the model read such text worse than news as it is published, so :func:`restore_text` puts it
back before the pipeline sees it. This lives here, in evaluation, on purpose: the product
reads ordinary text and is not tuned for the released form. (``models/train.py`` keeps the
cruder repair the shipped model was trained on; see there.)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path

import ftfy

from stance.errors import StanceError
from stance.evaluation.jsonlines import read_rows
from stance.evaluation.metrics import ClassReport, classification_report
from stance.nli import STANCE_LABELS

REQUIRED = ("target", "paragraphs", "label")


@dataclass(frozen=True)
class PersentDoc:
    id: str
    title: str
    target: str
    paragraphs: list[str]
    label: str
    #: Per paragraph, its gold label or None where the annotators gave none.
    paragraph_labels: list[str | None]

    @cached_property
    def published(self) -> list[str]:
        """The paragraphs as published (:func:`restore_text`), repaired once per document."""
        return [restore_text(p, self.target) for p in self.paragraphs]

    @property
    def text(self) -> str:
        """Headline and body as a user would paste them, repaired as published."""
        return "\n\n".join(p for p in [restore_text(self.title, self.target), *self.published] if p.strip())


@dataclass(frozen=True)
class Prediction:
    """The judgment for one document (or paragraph): its label, or None when the party was not found."""

    gold: str
    label: str | None
    #: P(positive) − P(negative) of the judgment, 0 when unfound.
    score: float


@dataclass(frozen=True)
class PersentResult:
    dataset: str
    n: int
    f1_macro: float
    accuracy: float
    f1: dict[str, float]
    confusion: dict[str, dict[str, int]]
    #: Documents where the target was never found (judged neutral: no evidence, no lean).
    unfound: int
    paragraph_n: int
    paragraph_f1_macro: float
    paragraph_accuracy: float
    paragraph_f1: dict[str, float]
    paragraph_unfound: int
    majority_f1_macro: float

    def to_dict(self) -> dict:
        return asdict(self)


#: Pronouns the release pads with spaces like the target's name (it marks the target's mentions).
_PRONOUNS = frozenset("he him his himself she her hers herself myself they them their theirs themselves".split())
#: What follows a word with no space between: a padded mention before it loses its pad only.
_CLOSING = frozenset("'’”\"),.;:!?")


def restore_text(text: str, target: str) -> str:
    """The released text as it was published, as near as it can be told.

    The release has three faults. Its non-ASCII characters are UTF-8 read as Latin-1
    ("Bezosâ\x80\x99"): ftfy undoes that. Its commas are stripped to spaces ("In 2006  X
    bought"). And the target's mentions, pronouns included, are padded with a space on
    each side ("saw  his  net worth", "from  X ’ previous"), which makes a double space
    next to a mention that is not a comma. So a run of spaces counts one pad for each
    neighbour that is a word of the target's name or a pronoun; what is left is a comma
    (two or more spaces), a space (one), or nothing (before closing punctuation). After a
    sentence's end a double space is only a space.
    """
    text = ftfy.fix_text(text)
    text = re.sub(r"(?<=\d) (?=\d{3}\b)", ",", text)
    text = re.sub(r'(?<=\w) " ', '," ', text)
    mention = {w.casefold() for w in re.findall(r"\w+", target)} | _PRONOUNS
    parts = re.split(r"( +)", text.strip())
    out = [parts[0]]
    for k in range(1, len(parts) - 1, 2):
        left, run, right = parts[k - 1], parts[k], parts[k + 1]
        end, start = re.search(r"(\w+)$", left), re.match(r"\w+", right)
        pads = (end is not None and end.group(1).casefold() in mention) + (
            start is not None and start.group(0).casefold() in mention
        )
        rest = len(run) - pads
        if rest >= 2 and left[-1:] not in ".!?:;":
            out.append(", ")
        elif rest >= 1 or right[:1] not in _CLOSING:
            out.append(" ")
        out.append(right)
    return "".join(out)


def load(path: str | Path) -> list[PersentDoc]:
    """Read a PerSenT JSON-lines file, refusing anything that is not one (one clear line)."""
    file = Path(path)
    docs = [_doc(row, file, number) for number, row in read_rows(file, "PerSenT")]
    if not docs:
        raise StanceError(f"{file}: no PerSenT documents")
    return docs


def _doc(row: object, file: Path, number: int) -> PersentDoc:
    if not isinstance(row, dict) or any(key not in row for key in REQUIRED):
        missing = [k for k in REQUIRED if not isinstance(row, dict) or k not in row]
        raise StanceError(f"{file}: line {number} is not a PerSenT document (missing {', '.join(missing)})")
    paragraphs, target = row["paragraphs"], row["target"]
    if not isinstance(paragraphs, list) or not all(isinstance(p, str) for p in paragraphs):
        raise StanceError(f"{file}: line {number}: 'paragraphs' must be a list of strings")
    if not isinstance(target, str) or not target.strip():
        raise StanceError(f"{file}: line {number}: 'target' must be a non-empty string")
    labels = row.get("paragraph_labels") or [None] * len(paragraphs)
    if not isinstance(labels, list):
        raise StanceError(f"{file}: line {number}: 'paragraph_labels' must be a list")
    if len(labels) != len(paragraphs):
        # a few released documents have paragraphs and labels out of step: which label
        # belongs to which paragraph is unknown, so only the document label is used
        labels = [None] * len(paragraphs)
    for label in [row["label"], *labels]:
        if label is not None and label not in STANCE_LABELS:
            raise StanceError(f"{file}: line {number}: label {label!r} is not one of negative, neutral, positive"[:200])
    if row["label"] is None:
        raise StanceError(f"{file}: line {number}: the document has no label")
    return PersentDoc(
        id=str(row.get("id", number)),
        title=str(row.get("title") or ""),
        target=ftfy.fix_text(target).strip(),
        paragraphs=paragraphs,
        label=row["label"],
        paragraph_labels=labels,
    )


#: ``judge_text(text, target)`` → (label, P(pos) − P(neg)) of the article-level judgment of
#: the target, or None when the target is not found.
JudgeText = Callable[[str, str], "tuple[str, float] | None"]


def evaluate(
    docs: Sequence[PersentDoc],
    judge_texts: Callable[[list[tuple[str, str]]], list[tuple[str, float] | None]],
    progress: Callable[[int], None] | None = None,
    chunk: int = 16,
) -> PersentResult:
    """Judge every document and every labelled paragraph with ``judge_texts`` and score them.

    ``judge_texts`` takes (text, target) pairs and returns one judgment per pair, so the
    caller can batch the model across many texts. ``progress(k)`` reports k more documents.
    """
    doc_jobs = [(d.text, d.target) for d in docs]
    para_jobs = [
        (p, d.target, gold)
        for d in docs
        for p, gold in zip(d.published, d.paragraph_labels, strict=True)
        if gold is not None and p.strip()
    ]
    doc_out = _run(judge_texts, doc_jobs, chunk, progress)
    para_out = _run(judge_texts, [(t, g) for t, g, _ in para_jobs], chunk * 6, None)
    return score(
        [_prediction(d.label, j) for d, j in zip(docs, doc_out, strict=True)],
        [_prediction(gold, j) for (_, _, gold), j in zip(para_jobs, para_out, strict=True)],
    )


def _run(judge_texts, jobs: list[tuple[str, str]], chunk: int, progress) -> list[tuple[str, float] | None]:
    out: list[tuple[str, float] | None] = []
    for start in range(0, len(jobs), chunk):
        part = jobs[start : start + chunk]
        out.extend(judge_texts(part))
        if progress:
            progress(len(part))
    return out


def _prediction(gold: str, judged: tuple[str, float] | None) -> Prediction:
    if judged is None:
        return Prediction(gold, None, 0.0)
    return Prediction(gold, judged[0], judged[1])


def score(docs: Sequence[Prediction], paragraphs: Sequence[Prediction], dataset: str = "persent") -> PersentResult:
    """Metrics from predictions: an unfound target counts as neutral (no evidence, no lean)."""
    report = _report(docs)
    para = _report(paragraphs)
    gold = [p.gold for p in docs]
    majority = max(STANCE_LABELS, key=gold.count)
    return PersentResult(
        dataset=dataset,
        n=report.n,
        f1_macro=report.f1_macro,
        accuracy=report.accuracy,
        f1=report.f1,
        confusion=report.confusion,
        unfound=sum(p.label is None for p in docs),
        paragraph_n=para.n,
        paragraph_f1_macro=para.f1_macro,
        paragraph_accuracy=para.accuracy,
        paragraph_f1=para.f1,
        paragraph_unfound=sum(p.label is None for p in paragraphs),
        majority_f1_macro=classification_report(gold, [majority] * len(gold), STANCE_LABELS).f1_macro,
    )


def _report(predictions: Iterable[Prediction]) -> ClassReport:
    items = list(predictions)
    return classification_report([p.gold for p in items], [p.label or "neutral" for p in items], tuple(STANCE_LABELS))
