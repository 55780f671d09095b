"""Does what only one outlet reports tell which outlet treats a party more harshly?

    python models/informational_bias.py --data ../shared/data --cache /tmp/judge

BASIL's annotators mark informational bias: facts one outlet chooses to report that cast an
entity in a light. This script asks whether the sentences of an article that no other
outlet on the same event reports (no counterpart at the alignment threshold, as in
``stance compare``'s "only in" lists) carry the outlet's treatment of the party better
than all its sentences do. For every BASIL pair of outlets whose gold feelings toward an
entity differ, it counts how often each signal orders the two the way the annotators did:
the mean score of the party's sentences (today's signal), of its only-in-this-article
sentences, of its shared sentences, their sum, and a mean weighted by how unshared each
sentence is. The party's sentence scores come from ``models/fit_judge.py``'s cache (run
``make judge`` first); the sentences are parsed and embedded here, as the pipeline does.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "models"))

import fit_judge  # noqa: E402

from stance.alignment import THRESHOLD, embed  # noqa: E402
from stance.evaluation import basil  # noqa: E402
from stance.sentences import parse  # noqa: E402

RANK = {"negative": 0, "neutral": 1, "positive": 2}


def sentence_vectors(data: Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per BASIL article ("event:source"), its sentence embeddings and which sentences are kept."""
    out = {}
    for article in basil.load(data / "basil"):
        parsed = parse(article.text, article.label, None)
        vectors = embed([s.text for s in parsed.sentences])
        out[f"{article.event}:{article.source}"] = (vectors, np.array([s.dropped is None for s in parsed.sentences]))
    return out


def signals(case: dict, vectors: dict[str, tuple[np.ndarray, np.ndarray]], threshold: float) -> dict[str, float]:
    """Each candidate signal for one (article, entity) case; empty when the entity was not found."""
    if not case["views"]:
        return {}
    own, _ = vectors[case["article"]]
    event = case["group"] + ":"
    others = [v[kept] for key, (v, kept) in vectors.items() if key.startswith(event) and key != case["article"]]
    best = np.array([(own[v["sentence"]] @ np.vstack(others).T).max() for v in case["views"]])
    score = np.array([v["probs"][2] - v["probs"][0] for v in case["views"]])
    only = best < threshold
    weight = np.clip(1 - best, 1e-6, None)
    return {
        "mean of all its sentences (today)": score.mean(),
        "mean of its only-in-this-article sentences": score[only].mean() if only.any() else 0.0,
        "mean of its shared sentences": score[~only].mean() if (~only).any() else 0.0,
        "sum of its only-in-this-article sentences": score[only].sum(),
        "mean weighted by how unshared": float((score * weight).sum() / weight.sum()),
    }


def pairwise(cases: list[dict], values: dict[int, dict[str, float]], name: str) -> tuple[int, int]:
    """Pairs ordered as the annotators ordered them, out of pairs whose gold feelings differ."""
    by_key: dict[tuple[str, str], list[int]] = {}
    for i, c in enumerate(cases):
        by_key.setdefault((c["group"], c["entity"].casefold()), []).append(i)
    right = total = 0
    for members in by_key.values():
        for a, b in itertools.combinations(members, 2):
            gap = RANK[cases[b]["gold"]] - RANK[cases[a]["gold"]]
            if gap == 0:
                continue
            total += 1
            if values[a] and values[b]:
                right += int(np.sign(values[b][name] - values[a][name]) == np.sign(gap))
    return right, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/judge"), help="models/fit_judge.py's --cache")
    args = parser.parse_args()
    path = fit_judge.weights_cache(args.cache) / "cases-basil.json"
    if not path.exists():
        sys.exit(f"{path} is missing: run `make judge` (models/fit_judge.py) for these weights first")
    cases = json.loads(path.read_text())
    vectors = sentence_vectors(args.data)
    for threshold in (0.5, THRESHOLD, 0.7):
        values = {i: signals(c, vectors, threshold) for i, c in enumerate(cases)}
        print(f"only-in threshold {threshold:.2f}")
        for name in next(v for v in values.values() if v):
            right, total = pairwise(cases, values, name)
            print(f"  {name:<45} {right}/{total} = {right / total:.3f}")


if __name__ == "__main__":
    main()
