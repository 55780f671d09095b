"""Fit the article-level aggregator (``judge.json``) from human article-level labels.

    python models/fit_judge.py --data ../shared/data --out models/stance-minilm/judge.json

1. Runs the real pipeline (parse, parties with the target given, NLI, voice) over PerSenT
   ``dev.jsonl`` (documents and labelled paragraphs), PerSenT ``test_fixed.jsonl`` (held out:
   never fitted on, reported only) and BASIL, and keeps each party's sentence views
   (:func:`stance.judgment.sentence_views`). NLI outputs are cached under ``--cache`` so a
   re-run takes seconds for the model part.
2. Fits a multinomial logistic regression (scikit-learn, only here) on the features of
   :mod:`stance.judgment`, chooses its regularisation by cross-validation (PerSenT dev:
   5 folds; BASIL: leave one event out), reports every variant tried, and writes the chosen
   one as JSON (coefficients and standardisation; read with numpy at run time).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from stance.evaluation import basil, persent  # noqa: E402
from stance.evaluation.article_pipeline import analyse  # noqa: E402
from stance.evaluation.metrics import classification_report  # noqa: E402
from stance.judgment import (  # noqa: E402
    FEATURES,
    FORMAT,
    ParagraphView,
    SentenceView,
    features,
    paragraph_views,
    sentence_views,
)
from stance.nli import EMBEDDED_DIR, STANCE_LABELS, NLIModel, load  # noqa: E402

#: BASIL is cross-validated by whole events (all three outlets of an event held out together).
BASIL_FOLDS = 5
BASIL_CLASS = {"neg": "negative", "neu": "neutral", "pos": "positive"}


def cached_nli(cache_dir: Path) -> tuple[NLIModel, callable]:
    """The embedded model with its raw logits memoised on disk, keyed by (premise, hypothesis)."""
    nli = load()
    path = cache_dir / "nli.json"
    memo: dict[str, list[float]] = json.loads(path.read_text()) if path.exists() else {}
    raw = nli.logits

    def logits(premises: list[str], hypotheses: list[str], batch_size: int = 64) -> np.ndarray:
        keys = [hashlib.sha1(f"{p}\x00{h}".encode()).hexdigest() for p, h in zip(premises, hypotheses, strict=True)]
        todo = sorted({i for i, k in enumerate(keys) if k not in memo}, key=lambda i: keys[i])
        todo = list({keys[i]: i for i in todo}.values())
        if todo:
            fresh = raw([premises[i] for i in todo], [hypotheses[i] for i in todo], batch_size)
            for i, row in zip(todo, fresh, strict=True):
                memo[keys[i]] = [float(v) for v in row]
        return np.array([memo[k] for k in keys], dtype=np.float32).reshape(len(keys), -1)

    nli.logits = logits  # type: ignore[method-assign]

    def save() -> None:
        path.write_text(json.dumps(memo))

    return nli, save


def _views(nli, text: str, label: str, names: list[str]) -> tuple[dict, int]:
    """Per given name, its sentence and paragraph views (as plain dicts for the cache)."""
    done = analyse(nli, text, label, names, with_judgments=False)
    n = sum(s.dropped is None for s in done.article.sentences)
    paragraphs = paragraph_views(nli, done.article, {name: ms for name, ms in done.mentions.items() if ms})
    return {
        name: {
            "views": [v.__dict__ for v in sentence_views(done.article, ms)],
            "paragraphs": [v.__dict__ for v in paragraphs.get(name, [])],
        }
        for name, ms in done.mentions.items()
    }, n


def weights_cache(cache: Path) -> Path:
    """The folder under ``cache`` for the embedded model's weights: one per weights, so a
    retrained model never reads its predecessor's outputs."""
    return cache / hashlib.sha1((EMBEDDED_DIR / "model.safetensors").read_bytes()).hexdigest()[:12]


def dev_holdout() -> int:
    """PerSenT dev documents before this index trained the shipped model (its
    ``metrics.json`` says so); only the rest may fit or test the aggregator."""
    metrics = json.loads((EMBEDDED_DIR / "metrics.json").read_text())
    return int(metrics["args"].get("persent_dev_holdout", 0))


#: Collection stages in the order they run; each is cached on its own, so a partial run is usable.
STAGES = ("persent-dev", "basil", "persent-test_fixed")
#: test_fixed is only reported (never fitted on); every this-many-th document is used, for time.
TEST_EVERY = 8


def collect(data: Path, cache_dir: Path, stages: tuple[str, ...] = STAGES) -> list[dict]:
    """Sentence views of every labelled (article or paragraph, party) case, cached per stage."""
    nli, save = None, None
    cases = []
    for stage in stages:
        path = next(cache_dir.glob(f"**/cases-{stage}.json"), cache_dir / f"cases-{stage}.json")
        if not path.exists():
            if nli is None:
                nli, save = cached_nli(cache_dir)
            partial = cache_dir / f"partial-{stage}.json"
            done = json.loads(partial.read_text()) if partial.exists() else []

            def checkpoint(got: list[dict], partial: Path = partial, save=save) -> None:
                save()
                partial.write_text(json.dumps(got))

            path.write_text(json.dumps(_collect_stage(nli, checkpoint, data, stage, done)))
        cases.extend(json.loads(path.read_text()))
    return cases


def _collect_stage(nli, checkpoint, data: Path, stage: str, cases: list[dict]) -> list[dict]:
    """The cases of one stage, resuming after the documents ``cases`` already holds and
    handing what it has to ``checkpoint`` every few documents."""
    seen = {c.get("article") or c["group"].split("/")[0] for c in cases}
    if stage == "basil":
        for k, article in enumerate(basil.load(data / "basil")):
            if f"{article.event}:{article.source}" in seen:
                continue
            views, n = _views(nli, article.text, article.label, article.entities)
            for entity in article.entities:
                case = _case("basil", article.event, BASIL_CLASS[article.feeling[entity]], views[entity], n)
                case.update(source=article.source, entity=entity, article=f"{article.event}:{article.source}")
                cases.append(case)
            seen.add(f"{article.event}:{article.source}")
            if k % 5 == 4:
                checkpoint(cases)
        checkpoint(cases)
        return cases
    split = stage.split("-")[1]
    docs = persent.load(data / "persent" / f"{split}.jsonl")
    if split == "test_fixed":
        docs = docs[::TEST_EVERY]
    else:
        docs = docs[dev_holdout() :]
    for i, doc in enumerate(docs):
        if doc.id in seen:
            continue
        if stage.endswith("-para"):
            for k, (para, gold) in enumerate(zip(doc.published, doc.paragraph_labels, strict=True)):
                if gold is not None and para.strip():
                    views, n = _views(nli, para, "p", [doc.target])
                    cases.append(_case(stage, f"{doc.id}/{k}", gold, views[doc.target], n))
        else:
            views, n = _views(nli, doc.text, "doc", [doc.target])
            cases.append(_case(stage, doc.id, doc.label, views[doc.target], n))
        if i % 10 == 9:
            print(f"{stage}: {i + 1}/{len(docs)}", file=sys.stderr, flush=True)
            checkpoint(cases)
    checkpoint(cases)
    return cases


def _case(dataset: str, group: str, gold: str, views: dict, n: int) -> dict:
    return {"dataset": dataset, "group": group, "gold": gold, **views, "n_sentences": n}


def _matrix(cases: list[dict]) -> tuple[np.ndarray, list[int]]:
    """Feature rows of the cases whose party was found, and their indices."""
    rows, keep = [], []
    for i, case in enumerate(cases):
        if case["views"]:
            views = [SentenceView(**{**v, "probs": tuple(v["probs"])}) for v in case["views"]]
            paragraphs = [ParagraphView(**{**v, "probs": tuple(v["probs"])}) for v in case["paragraphs"]]
            rows.append(features(views, paragraphs, case["n_sentences"]))
            keep.append(i)
    return np.array(rows), keep


@dataclass
class Variant:
    """One aggregator tried: which features, how much regularisation, which training data.

    ``tuned``: the class weights are left as the data has them and, after the fit, an offset
    per class (neutral fixed at 0) is added to the logits, chosen on the training data to
    maximise macro-F1, the measure the benchmarks use. Balanced class weights reach for the
    same thing less directly: they move the boundaries toward rare classes whatever that
    costs the others.
    """

    name: str
    columns: tuple[str, ...]
    c: float
    balanced: bool
    with_basil: bool
    tuned: bool = False

    def fit(self, x: np.ndarray, y: list[str], weight: np.ndarray):
        from sklearn.linear_model import LogisticRegression
        from sklearn.preprocessing import StandardScaler

        cols = [FEATURES.index(c) for c in self.columns]
        scaler = StandardScaler().fit(x[:, cols])
        model = LogisticRegression(C=self.c, max_iter=2000, class_weight="balanced" if self.balanced else None)
        model.fit(scaler.transform(x[:, cols]), y, sample_weight=weight)
        offsets = np.zeros(3)
        if self.tuned:
            offsets = _best_offsets(self._logits((cols, scaler, model, offsets), x), y)
        return cols, scaler, model, offsets

    def _logits(self, fitted, x: np.ndarray) -> np.ndarray:
        cols, scaler, model, offsets = fitted
        z = model.decision_function(scaler.transform(x[:, cols]))
        return z[:, [list(model.classes_).index(c) for c in STANCE_LABELS]] + offsets

    def predict(self, fitted, x: np.ndarray) -> np.ndarray:
        """Class probabilities in STANCE_LABELS order."""
        z = self._logits(fitted, x)
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)


def _best_offsets(logits: np.ndarray, y: list[str]) -> np.ndarray:
    """(negative, 0, positive) logit offsets maximising macro-F1, on a 0.1 grid."""
    grid = np.round(np.arange(-3.0, 3.01, 0.1), 2)
    best, chosen = -1.0, np.zeros(3)
    for neg in grid:
        for pos in grid:
            offsets = np.array([neg, 0.0, pos])
            pred = [STANCE_LABELS[k] for k in (logits + offsets).argmax(axis=1)]
            f1 = classification_report(y, pred, STANCE_LABELS).f1_macro
            if f1 > best + 1e-9:
                best, chosen = f1, offsets
    return chosen


def _weights(data: list[str]) -> np.ndarray:
    """Each dataset weighs as much in total as PerSenT dev documents, whatever its size."""
    counts = {d: data.count(d) for d in set(data)}
    base = counts.get("persent-dev", len(data))
    return np.array([base / counts[d] for d in data])


def evaluate_variant(variant: Variant, cases: list[dict], x: np.ndarray, keep: list[int]) -> dict:
    """Cross-validated figures: PerSenT dev 5-fold, BASIL leave-one-event-out, and test_fixed
    (held out) from the fit on all training data."""
    from sklearn.model_selection import StratifiedKFold

    row = {i: r for r, i in enumerate(keep)}
    train_sets = ["persent-dev"] + (["basil"] if variant.with_basil else [])
    probs: dict[int, np.ndarray] = {}

    def fit_on(indices: list[int]):
        idx = [i for i in indices if i in row]
        data = [cases[i]["dataset"] for i in idx]
        return variant.fit(x[[row[i] for i in idx]], [cases[i]["gold"] for i in idx], _weights(data))

    dev = [i for i, c in enumerate(cases) if c["dataset"] == "persent-dev"]
    bas = [i for i, c in enumerate(cases) if c["dataset"] == "basil"]
    folds = StratifiedKFold(5, shuffle=True, random_state=0).split(dev, [cases[i]["gold"] for i in dev])
    for train, test in folds:
        fitted = fit_on([dev[k] for k in train] + (bas if variant.with_basil else []))
        for k in test:
            if dev[k] in row:
                probs[dev[k]] = variant.predict(fitted, x[[row[dev[k]]]])[0]
    events = list(dict.fromkeys(cases[i]["group"] for i in bas))
    for fold in range(BASIL_FOLDS if variant.with_basil else 1):
        held = set(events[fold::BASIL_FOLDS]) if variant.with_basil else set(events)
        fitted = fit_on(dev + [i for i in bas if cases[i]["group"] not in held])
        for i in bas:
            if cases[i]["group"] in held and i in row:
                probs[i] = variant.predict(fitted, x[[row[i]]])[0]
    final = fit_on([i for i, c in enumerate(cases) if c["dataset"] in train_sets])
    for i, c in enumerate(cases):
        if c["dataset"] not in train_sets and i in row:
            probs[i] = variant.predict(final, x[[row[i]]])[0]
    return {"variant": variant.name, **figures(cases, probs)}, final


def figures(cases: list[dict], probs: dict[int, np.ndarray]) -> dict:
    """Macro-F1 per dataset (unfound = neutral) and BASIL pairwise direction."""
    out = {}
    for dataset in dict.fromkeys(c["dataset"] for c in cases):
        idx = [i for i, c in enumerate(cases) if c["dataset"] == dataset]
        pred = [STANCE_LABELS[int(np.argmax(probs[i]))] if i in probs else "neutral" for i in idx]
        out[dataset] = round(classification_report([cases[i]["gold"] for i in idx], pred, STANCE_LABELS).f1_macro, 3)
    signed = {i: float(p[2] - p[0]) for i, p in probs.items()}
    out["basil-pairwise"] = _pairwise(cases, signed)
    return out


def _pairwise(cases: list[dict], signed: dict[int, float]) -> str:
    rank = {c: k for k, c in enumerate(STANCE_LABELS)}
    by_key: dict[tuple[str, str], dict[str, int]] = {}
    for i, c in enumerate(cases):
        if c["dataset"] == "basil":
            by_key.setdefault((c["group"], c["entity"].casefold()), {})[c["source"]] = i
    right = total = 0
    for members in by_key.values():
        for a, b in itertools.combinations(sorted(members.values()), 2):
            ga, gb = rank[cases[a]["gold"]], rank[cases[b]["gold"]]
            if ga == gb:
                continue
            total += 1
            if a in signed and b in signed:
                right += int(np.sign(signed[b] - signed[a]) == np.sign(gb - ga))
    return f"{right}/{total} = {right / max(total, 1):.3f}"


def baseline(cases: list[dict]) -> dict:
    """Today's rule: the mean sentence score cut at two thresholds, chosen to maximise
    macro-F1 on the training folds of PerSenT dev (the same folds as the variants)."""
    from sklearn.model_selection import StratifiedKFold

    feeling = {"negative": "neg", "neutral": "neu", "positive": "pos"}
    mean = {
        i: float(np.mean([v["probs"][2] - v["probs"][0] for v in c["views"]]))
        for i, c in enumerate(cases)
        if c["views"]
    }
    dev = [i for i, c in enumerate(cases) if c["dataset"] == "persent-dev"]

    def thresholds(indices: list[int]) -> tuple[float, float]:
        return basil.fit_thresholds([mean.get(i, 0.0) for i in indices], [feeling[cases[i]["gold"]] for i in indices])

    def one_hot(m: float, low: float, high: float) -> np.ndarray:
        return np.eye(3)[0 if m < low else 2 if m > high else 1]

    probs = {}
    for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(dev, [cases[i]["gold"] for i in dev]):
        low, high = thresholds([dev[k] for k in train])
        probs.update({dev[k]: one_hot(mean[dev[k]], low, high) for k in test if dev[k] in mean})
    low, high = thresholds(dev)
    probs.update({i: one_hot(m, low, high) for i, m in mean.items() if cases[i]["dataset"] != "persent-dev"})
    out = figures(cases, probs)
    out["basil-pairwise"] = _pairwise(cases, mean)
    return {"variant": f"baseline: mean score, thresholds fitted on PerSenT dev ({low}, {high} on all of it)", **out}


def write_judge(path: Path, variant: Variant, fitted, note: dict) -> None:
    """The chosen aggregator as JSON over all FEATURES (unused ones get zero weight)."""
    cols, scaler, model, offsets = fitted
    order = [list(model.classes_).index(c) for c in STANCE_LABELS]
    mean, scale = np.zeros(len(FEATURES)), np.ones(len(FEATURES))
    coef = np.zeros((3, len(FEATURES)))
    mean[cols], scale[cols] = scaler.mean_, scaler.scale_
    coef[:, cols] = model.coef_[order]
    data = {
        "format": FORMAT,
        "version": "1",
        "variant": variant.name,
        "fitted_on": note,
        "features": list(FEATURES),
        "classes": list(STANCE_LABELS),
        "mean": mean.round(6).tolist(),
        "scale": scale.round(6).tolist(),
        "coef": coef.round(6).tolist(),
        "intercept": (model.intercept_[order] + offsets).round(6).tolist(),
    }
    path.write_text(json.dumps(data, indent=1) + "\n")


MEANS_ONLY = ("mean_score",)
PROBS = ("mean_neg", "mean_neu", "mean_pos", "mean_score")
EXTREMES = PROBS + ("min_score", "max_score", "share_strong_neg", "share_strong_pos")
POSITION = EXTREMES + ("lead_score", "has_lead", "weighted_score", "log_sentences", "salience")
SENTENCES = tuple(f for f in FEATURES if not f.startswith("para_"))
PARAGRAPH_MEANS = ("para_neg", "para_neu", "para_pos", "para_score")
PARAGRAPHS = tuple(f for f in FEATURES if f.startswith("para_"))


def variants() -> list[Variant]:
    out = []
    for with_basil in (False, True):
        tag = "+basil" if with_basil else ""
        for name, cols in (
            ("mean", MEANS_ONLY),
            ("probs", PROBS),
            ("extremes", EXTREMES),
            ("position", POSITION),
            ("sentences", SENTENCES),
            ("paragraph means", PARAGRAPH_MEANS),
            ("paragraphs", PARAGRAPHS),
            ("probs+paragraphs", PROBS + PARAGRAPHS),
            ("all", FEATURES),
        ):
            out.append(Variant(f"{name}{tag} C=0.1", cols, 0.1, True, with_basil))
            out.append(Variant(f"{name}{tag} C=0.1 tuned", cols, 0.1, False, with_basil, tuned=True))
        for name, cols in (("paragraphs", PARAGRAPHS), ("all", FEATURES)):
            out.append(Variant(f"{name}{tag} C=1", cols, 1.0, True, with_basil))
            out.append(Variant(f"{name}{tag} C=0.1 unbalanced", cols, 0.1, False, with_basil))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "models" / "stance-minilm" / "judge.json")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/judge"))
    parser.add_argument("--collect-only", action="store_true")
    parser.add_argument("--choose", help="variant to ship instead of the best cross-validated one")
    parser.add_argument("--stages", default=",".join(STAGES), help="collection stages to use, comma-separated")
    args = parser.parse_args()
    args.cache = weights_cache(args.cache)
    args.cache.mkdir(parents=True, exist_ok=True)
    cases = collect(args.data, args.cache, tuple(args.stages.split(",")))
    print(f"{len(cases)} cases", file=sys.stderr)
    if args.collect_only:
        return
    x, keep = _matrix(cases)
    results = [baseline(cases)]
    fits = {}
    for variant in variants():
        figures_, fitted = evaluate_variant(variant, cases, x, keep)
        results.append(figures_)
        fits[variant.name] = (variant, fitted)
        print(json.dumps(figures_), file=sys.stderr, flush=True)
    chosen = args.choose or max(results[1:], key=_selection)["variant"]
    (args.cache / "variants.json").write_text(json.dumps(results, indent=1))
    print(json.dumps(results, indent=1))
    variant, fitted = fits[chosen]
    write_judge(args.out, variant, fitted, {"datasets": ["persent-dev"] + (["basil"] if variant.with_basil else [])})
    print(f"wrote {args.out} ({chosen})", file=sys.stderr)


def _selection(row: dict) -> float:
    """Variants are chosen on cross-validated figures only (never test_fixed): the mean of
    PerSenT dev macro-F1 and BASIL macro-F1 and pairwise accuracy."""
    pairwise = float(row["basil-pairwise"].split("= ")[1])
    return (row["persent-dev"] + row["basil"] + pairwise) / 3


if __name__ == "__main__":
    main()
