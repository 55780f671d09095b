"""NewsMTSC (Hamborg & Donnay, EACL 2021): target-dependent sentiment of news sentences.

Each line holds a sentence and its targets; polarity 2.0/4.0/6.0 means negative/neutral/
positive sentiment of the sentence toward that target mention.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from stance.errors import StanceError
from stance.evaluation.jsonlines import read_rows
from stance.evaluation.metrics import ClassReport, classification_report
from stance.nli import STANCE_LABELS, NLIModel
from stance.scoring import Target, score

POLARITY = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}


@dataclass(frozen=True)
class LabelledTarget:
    target: Target
    gold: str


def load(path: str | Path) -> list[LabelledTarget]:
    """Read a NewsMTSC JSON-lines file with ``datasets``' JSON loader.

    Every line is checked as JSON first, so a bad file gets one line naming the first bad
    line instead of ``datasets``' multi-line error.
    """
    file = Path(path)
    read_rows(file, "NewsMTSC")
    import datasets

    datasets.disable_progress_bars()
    datasets.logging.set_verbosity(datasets.logging.CRITICAL)
    try:
        rows = datasets.load_dataset("json", data_files=str(file), split="train")
    except Exception as exc:  # datasets wraps JSON errors in several exception types
        raise StanceError(f"{file}: not NewsMTSC JSON lines ({_first_line(exc)})") from exc
    if "sentence_normalized" not in rows.column_names or "targets" not in rows.column_names:
        raise StanceError(f"{file}: not NewsMTSC data (needs 'sentence_normalized' and 'targets')")
    out = []
    for row in rows:
        sentence = row["sentence_normalized"]
        for t in row["targets"] or []:
            gold = POLARITY.get(t.get("polarity"))
            if gold is None or not isinstance(sentence, str):
                raise StanceError(f"{file}: target with bad polarity or sentence: {t!r}"[:200])
            start, end = t.get("from"), t.get("to")
            if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(sentence)):
                raise StanceError(f"{file}: target offsets outside its sentence: {t!r}"[:200])
            out.append(LabelledTarget(Target(sentence, start, end), gold))
    if not out:
        raise StanceError(f"{file}: no targets found")
    return out


def evaluate(
    model: NLIModel,
    items: list[LabelledTarget],
    chunk: int = 256,
    progress: Callable[[int], None] | None = None,
) -> ClassReport:
    """Predict every target (in chunks, so a progress bar can move) and score against gold."""
    pred: list[str] = []
    for start in range(0, len(items), chunk):
        part = items[start : start + chunk]
        pred.extend(s.label for s in score(model, [it.target for it in part]))
        if progress:
            progress(len(part))
    return classification_report([it.gold for it in items], pred, STANCE_LABELS)


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:160] if text else type(exc).__name__


def report_dict(report: ClassReport) -> dict:
    """The JSON form of a report: fractions in [0, 1], counts as integers."""
    return {
        "n": report.n,
        "f1_macro": round(report.f1_macro, 4),
        "accuracy": round(report.accuracy, 4),
        "f1": {k: round(v, 4) for k, v in report.f1.items()},
        "confusion": report.confusion,
    }
