"""Stance of a sentence toward one mention of a party, from an NLI model.

The sentence is the premise (with the mention marked when the model was trained that
way). A model with a stance head (the embedded one) takes the party's name as the
hypothesis and gives the three class logits in one pass. Any other NLI model is asked
one hypothesis per class, such as "{mention} is portrayed negatively.", and the three
entailment logits stand in for the class logits. Either way they are soft-maxed, so the
probabilities sum to one; the signed score is P(positive) − P(negative).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stance.nli import STANCE_LABELS, NLIModel, softmax

#: Longest premise (in characters) sent to the model; longer sentences are cut to a
#: window around the mention so truncation never drops the mention itself.
MAX_PREMISE_CHARS = 480


@dataclass(frozen=True)
class Target:
    """One mention of a party in one sentence: ``sentence[start:end]`` is the mention.

    ``name`` is the party's name when the mention is a pronoun or epithet: the premise
    marks "he" where it stands, but the hypothesis asks about "Khalifa Haftar", since
    "The sentence is negative about he." is not a question the model was trained on.
    """

    sentence: str
    start: int
    end: int
    name: str | None = None

    @property
    def mention(self) -> str:
        return self.sentence[self.start : self.end]

    @property
    def subject(self) -> str:
        """Who the hypothesis names."""
        return self.name or self.mention


@dataclass(frozen=True)
class Stance:
    """The model's reading of one target: class probabilities and a signed score in [-1, 1]."""

    probs: dict[str, float]
    score: float

    @property
    def label(self) -> str:
        return max(self.probs, key=self.probs.__getitem__)


def premise(target: Target, marker: tuple[str, str] | None) -> str:
    """The sentence as the model sees it: windowed around the mention, optionally marked."""
    text, start, end = target.sentence, target.start, target.end
    if len(text) > MAX_PREMISE_CHARS:
        half = max(0, (MAX_PREMISE_CHARS - (end - start)) // 2)
        lo = max(0, min(start - half, len(text) - MAX_PREMISE_CHARS))
        hi = min(len(text), max(end + half, lo + MAX_PREMISE_CHARS))
        lo = text.rfind(" ", 0, lo) + 1 if lo else 0
        text, start, end = text[lo:hi], start - lo, end - lo
    if marker is None:
        return text
    return f"{text[:start]}{marker[0]}{text[start:end]}{marker[1]}{text[end:]}"


def hypothesis(template: str, mention: str) -> str:
    """Fill a template, capitalising the first letter when the mention opens it."""
    text = template.format(mention=mention.strip())
    return text[:1].upper() + text[1:]


def class_logits(model: NLIModel, targets: list[Target]) -> np.ndarray:
    """Per target, one logit per stance class, shape ``(len(targets), 3)``, in one batched call."""
    return premise_logits(model, [premise(t, model.config.marker) for t in targets], [t.subject for t in targets])


def premise_logits(model: NLIModel, premises: list[str], subjects: list[str]) -> np.ndarray:
    """Per premise (already marked), one logit per stance class toward ``subjects[i]``.

    With a stance head that is one pair per premise. Without one, every class template is
    a pair of its own; with several templates per class, their entailment logits are averaged.
    """
    if model.stance_ids is not None:
        return model.stance_logits(premises, [hypothesis("{mention}", s) for s in subjects])
    templates = [tpl for label in STANCE_LABELS for tpl in model.config.templates[label]]
    sizes = [len(model.config.templates[label]) for label in STANCE_LABELS]
    hyp_sets = [[hypothesis(tpl, s) for tpl in templates] for s in subjects]
    logits = model.entailment_logits(premises, hyp_sets)
    bounds = np.cumsum([0, *sizes])
    return np.stack([logits[:, lo:hi].mean(axis=1) for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)], 1)


def stances(logits: np.ndarray, bias: dict[str, float]) -> list[Stance]:
    """Class logits (plus the model's per-class bias) to probabilities and signed scores."""
    probs = softmax(logits + np.array([bias[label] for label in STANCE_LABELS]))
    out = []
    for row in probs:
        p = {label: float(v) for label, v in zip(STANCE_LABELS, row, strict=True)}
        out.append(Stance(probs=p, score=p["positive"] - p["negative"]))
    return out


def score(model: NLIModel, targets: list[Target]) -> list[Stance]:
    """The stance toward every target, from one batched model call."""
    if not targets:
        return []
    return stances(class_logits(model, targets), model.config.bias)


def score_passages(model: NLIModel, passages: list[str], subjects: list[str]) -> list[Stance]:
    """The stance of whole passages (premises already marked) toward ``subjects``, one call."""
    if not passages:
        return []
    hypotheses = [hypothesis(model.config.passage_hypothesis, s) for s in subjects]
    return stances(premise_logits(model, passages, hypotheses), model.config.bias)


def score_labels(model: NLIModel, targets: list[Target], labels: list[str]) -> list[dict[str, float]]:
    """P(label applies) for custom labels such as "supports a ceasefire", one call for all.

    A label is turned into the hypothesis "{mention} <label>." unless it contains its own
    ``{mention}`` placeholder. Each label is judged on its own (entailment against
    contradiction), so the values need not sum to one.
    """
    templates = [lab if "{mention}" in lab else "{mention} " + lab.rstrip(".") + "." for lab in labels]
    premises, hyps = [], []
    for t in targets:
        p = premise(t, model.config.marker)
        for tpl in templates:
            premises.append(p)
            hyps.append(hypothesis(tpl, t.subject))
    flat = model.entailment_probability(premises, hyps)
    width = len(labels)
    return [{lab: float(flat[i * width + j]) for j, lab in enumerate(labels)} for i in range(len(targets))]
