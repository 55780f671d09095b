"""Is a plain factual sentence scored near 0? A check of sentence-level calibration.

    python models/calibration.py [--model DIR] [--data ../shared/data]

Two readings, both on data the model never trained on:

* NewsMTSC dev_rw + dev_mt: per gold class, the mean signed score, the share scored
  beyond ±0.5, and the share labelled with the gold class.
* BASIL (all events): every body sentence that names a main entity (its last name), scored
  toward that entity, grouped by what the annotators marked in that sentence: no biased
  span at all ("span-free": should sit near 0), a negative span aimed at the entity, a
  positive one. Also the AUC with which the score ranks negative-span sentences below
  span-free ones.

Prints a table; the model card quotes it for the shipped model and its predecessor.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from stance.evaluation import newsmtsc  # noqa: E402
from stance.nli import load  # noqa: E402
from stance.scoring import Target, score  # noqa: E402

STRONG = 0.5


def newsmtsc_rows(nli, data: Path) -> list[str]:
    items = [it for name in ("dev_rw", "dev_mt") for it in newsmtsc.load(data / "newsmtsc" / f"{name}.jsonl")]
    stances = score(nli, [it.target for it in items])
    rows = []
    for gold in ("negative", "neutral", "positive"):
        s = np.array([st.score for it, st in zip(items, stances, strict=True) if it.gold == gold])
        hit = np.mean([st.label == gold for it, st in zip(items, stances, strict=True) if it.gold == gold])
        rows.append(_row(f"NewsMTSC dev, gold {gold}", s) + f"  labelled {gold} {hit:.0%}")
    return rows


def basil_groups(nli, data: Path) -> dict[str, np.ndarray]:
    targets, groups = [], []
    for path in sorted((data / "basil" / "articles").glob("*/*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        ann = json.loads((data / "basil" / "annotations" / path.parent.name / f"{path.stem}_ann.json").read_text())
        spans = ann["phrase-level-annotations"]
        for sentence in (s for p in raw["body-paragraphs"] for s in p):
            inside = [sp for sp in spans if sentence[sp["start"] : sp["end"]] == sp["txt"]]
            for entity in raw["main-entities"]:
                last = entity.split()[-1]
                at = sentence.find(last)
                if at < 0 or len(last) < 3:
                    continue
                aimed = {sp["polarity"] for sp in inside if sp["target"].replace("_", " ").lower() == entity.lower()}
                group = "span-free" if not inside else "neg span" if "neg" in aimed else "pos span" if aimed else None
                if group:
                    targets.append(Target(sentence, at, at + len(last), entity))
                    groups.append(group)
    stances = score(nli, targets)
    by_group: dict[str, list[float]] = defaultdict(list)
    for g, st in zip(groups, stances, strict=True):
        by_group[g].append(st.score)
    return {g: np.array(v) for g, v in by_group.items()}


def _row(name: str, s: np.ndarray) -> str:
    return (
        f"{name:<28} n {len(s):5d}  mean {s.mean():+.2f}  |score|>{STRONG} {np.mean(np.abs(s) > STRONG):4.0%}"
        f"  < -{STRONG} {np.mean(s < -STRONG):4.0%}  > {STRONG} {np.mean(s > STRONG):4.0%}"
    )


def auc(low: np.ndarray, rest: np.ndarray) -> float:
    """P(a random ``low`` score < a random ``rest`` score), ties counting half."""
    diff = rest[None, :] - low[:, None]
    return float((diff > 0).mean() + 0.5 * (diff == 0).mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default=None, help="model directory (default: the embedded model)")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    nli = load(args.model)
    print(f"model {nli.name} ({'stance head' if nli.stance_ids else 'templates'}, path {nli.compute_path})")
    for row in newsmtsc_rows(nli, args.data):
        print(row)
    groups = basil_groups(nli, args.data)
    for name in ("span-free", "neg span", "pos span"):
        print(_row(f"BASIL {name}", groups[name]))
    print(f"BASIL AUC neg span below span-free: {auc(groups['neg span'], groups['span-free']):.3f}")


if __name__ == "__main__":
    main()
