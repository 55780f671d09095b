"""Does what a PerSenT article is about tell the author's sentiment beyond the stance scores?

    python models/content_features.py --data ../shared/data --cache /tmp/judge

PerSenT's labels are the writer's attitude toward the main entity, and some topics come
with an attitude (an award, an indictment). This script measures how much of that a
content model sees: a logistic regression on the mean sentence embedding
(all-MiniLM-L6-v2, the alignment embedder, never fine-tuned) of the paragraphs that name
the target, trained on the PerSenT documents the judgment never sees (dev before the
hold-out and 7/8 of test_fixed, which the NLI model trained on: the embedder did not) and
on the training folds of dev 291-578. It reports the content model alone and stacked
into the judgment's sentence features (its out-of-fold log-probabilities as three more
features), on the same folds as ``models/fit_judge.py`` and on the held-out test_fixed
sample. The judgment's features come from fit_judge's cache (run ``make judge`` first).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "models"))

import fit_judge  # noqa: E402

from stance.alignment import embed  # noqa: E402
from stance.evaluation import persent  # noqa: E402
from stance.judgment import FEATURES  # noqa: E402
from stance.nli import STANCE_LABELS  # noqa: E402

CONTENT = ("content_neg", "content_neu", "content_pos")


def document_vectors(docs: list[persent.PersentDoc]) -> np.ndarray:
    """Mean embedding of each document's paragraphs that name its target (all, if none do)."""
    out = []
    for doc in docs:
        paragraphs = [p for p in doc.published if p.strip()]
        vectors = embed(paragraphs)
        surname = doc.target.split()[-1].casefold()
        naming = np.array([surname in p.casefold() for p in paragraphs])
        out.append(vectors[naming].mean(0) if naming.any() else vectors.mean(0))
    return np.array(out)


def content_model(x: np.ndarray, y: np.ndarray):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=1.0, max_iter=3000, class_weight="balanced").fit(x, y)


def log_probs(model, x: np.ndarray) -> np.ndarray:
    return model.predict_log_proba(x)[:, [list(model.classes_).index(c) for c in STANCE_LABELS]]


def main() -> None:
    from sklearn.model_selection import StratifiedKFold

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/judge"), help="models/fit_judge.py's --cache")
    args = parser.parse_args()
    cache = fit_judge.weights_cache(args.cache)
    if not (cache / "cases-persent-dev.json").exists():
        sys.exit(f"{cache} holds no cases: run `make judge` (models/fit_judge.py) for these weights first")
    stages = ("persent-dev", "persent-test_fixed")
    cases = [c for stage in stages for c in json.loads((cache / f"cases-{stage}.json").read_text())]
    dev = persent.load(args.data / "persent" / "dev.jsonl")
    fixed = persent.load(args.data / "persent" / "test_fixed.jsonl")
    holdout = fit_judge.dev_holdout()
    x_dev, x_fixed = document_vectors(dev), document_vectors(fixed)
    y_dev = np.array([d.label for d in dev])
    y_fixed = np.array([d.label for d in fixed])
    held = np.arange(holdout, len(dev))
    tested = np.arange(0, len(fixed), fit_judge.TEST_EVERY)
    trained = np.setdiff1d(np.arange(len(fixed)), tested)
    assert [c["group"] for c in cases] == [dev[i].id for i in held] + [fixed[i].id for i in tested]

    # out-of-fold content log-probabilities, on fit_judge's folds
    content = np.zeros((len(cases), 3))
    folds = StratifiedKFold(5, shuffle=True, random_state=0).split(held, y_dev[held])
    for train, test in folds:
        x = np.vstack([x_dev[held[train]], x_dev[:holdout], x_fixed[trained]])
        y = np.concatenate([y_dev[held[train]], y_dev[:holdout], y_fixed[trained]])
        content[test] = log_probs(content_model(x, y), x_dev[held[test]])
    model = content_model(np.vstack([x_dev, x_fixed[trained]]), np.concatenate([y_dev, y_fixed[trained]]))
    content[len(held) :] = log_probs(model, x_fixed[tested])

    x, keep = fit_judge._matrix(cases)
    x = np.hstack([x, content[keep]])
    fit_judge.FEATURES = FEATURES + CONTENT  # the variants index their columns by name
    for name, columns in (
        ("sentences", fit_judge.SENTENCES),
        ("content", CONTENT),
        ("probs+content", fit_judge.PROBS + CONTENT),
        ("sentences+content", fit_judge.SENTENCES + CONTENT),
    ):
        for tuned in (False, True):
            label = f"{name} C=0.1{' tuned' if tuned else ''}"
            variant = fit_judge.Variant(label, columns, 0.1, not tuned, False, tuned)
            row, _ = fit_judge.evaluate_variant(variant, cases, x, keep)
            dev, fixed = row["persent-dev"], row["persent-test_fixed"]
            print(f"{label:<30} PerSenT dev CV {dev:.3f}  test_fixed 1/8 {fixed:.3f}")


if __name__ == "__main__":
    main()
