"""Classification metrics without extra dependencies: per-class F1, macro-F1, accuracy."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ClassReport:
    """Scores of a classifier against gold labels over a fixed label set."""

    labels: tuple[str, ...]
    n: int
    accuracy: float
    f1_macro: float
    f1: dict[str, float]
    #: ``confusion[gold][predicted]`` counts.
    confusion: dict[str, dict[str, int]]


def classification_report(gold: list[str], pred: list[str], labels: tuple[str, ...]) -> ClassReport:
    if len(gold) != len(pred):
        raise ValueError("gold and pred differ in length")
    confusion = {g: {p: 0 for p in labels} for g in labels}
    for g, p in zip(gold, pred, strict=True):
        confusion[g][p] += 1
    f1 = {}
    for label in labels:
        tp = confusion[label][label]
        fp = sum(confusion[g][label] for g in labels) - tp
        fn = sum(confusion[label].values()) - tp
        f1[label] = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
    n = len(gold)
    correct = sum(confusion[label][label] for label in labels)
    return ClassReport(
        labels=labels,
        n=n,
        accuracy=correct / n if n else 0.0,
        f1_macro=sum(f1.values()) / len(labels),
        f1=f1,
        confusion=confusion,
    )
