"""Speed figures for `make bench`, all measured in this one process.

1. Seconds per stage of ``stance compare`` on the seeds (imports, model loads, parsing,
   parties, scoring, alignment, framing, aggregation), the whole ``compare()`` with the
   models loaded, and the wall time of a cold ``stance compare`` in a fresh process.
2. Pairs per second of stance's batched, length-sorted scorer on the lean BERT backend
   (``stance/bert.py``, the default for local BERT models), the same scorer on the
   transformers backend (hub ids, other architectures), and transformers'
   ``pipeline("zero-shot-classification")`` on the same model, inputs and hypotheses
   (the baseline a user would otherwise reach for), with their ratios.

Run it on an otherwise idle machine: with another job on the same cores, torch's worker
threads wait for each other and the figures say more about the neighbour than about stance.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "fixtures" / "newsmtsc_dev_rw_sample.jsonl"
SEEDS = [ROOT / "seeds" / "alarabiya-2020.txt", ROOT / "seeds" / "cgtn-2019.txt"]


def main() -> None:
    stage_times()
    scorer_vs_pipeline()


def stage_times() -> None:
    t0 = time.perf_counter()
    import torch  # noqa: F401

    t_torch = time.perf_counter() - t0
    t0 = time.perf_counter()
    import spacy  # noqa: F401

    from stance import alignment, nli, pipeline, sentences

    t_rest = time.perf_counter() - t0
    loads = {}
    for name, fn in (
        ("load NLI model", nli.load),
        ("load spaCy", sentences.nlp),
        ("load embedder", alignment.load_model),
    ):
        t0 = time.perf_counter()
        fn()
        loads[name] = time.perf_counter() - t0
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    pipeline.compare(*texts, label_a="a", label_b="b", timings=timings)
    total = time.perf_counter() - t0
    print("stance compare on the seeds, stage by stage (seconds):")
    print(f"  import torch                  {t_torch:6.2f}")
    print(f"  import spaCy + stance         {t_rest:6.2f}")
    for name, sec in loads.items():
        print(f"  {name:<29} {sec:6.2f}")
    for name, sec in timings.items():
        print(f"  {name:<29} {sec:6.2f}")
    print(f"  {'compare() total (warm models)':<29} {total:6.2f}")
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "stance", "compare", *map(str, SEEDS), "--json"], check=True, capture_output=True
    )
    print(f"  {'cold `stance compare` process':<29} {time.perf_counter() - t0:6.2f}")


def scorer_vs_pipeline(repeats: int = 2) -> None:
    from stance.evaluation import newsmtsc
    from stance.nli import EMBEDDED_DIR, NLIModel, TransformersBackend, load
    from stance.scoring import hypothesis, premise, score

    lean = load()
    t0 = time.perf_counter()
    from transformers import pipeline

    reference = TransformersBackend.load(str(EMBEDDED_DIR))
    t_load = time.perf_counter() - t0
    heavy = NLIModel(lean.name, reference, lean.config)
    items = newsmtsc.load(SAMPLE)
    targets = [it.target for it in items]
    pairs = 3 * len(targets)
    zero_shot = pipeline("zero-shot-classification", model=reference.model, tokenizer=reference.tokenizer, device=-1)
    words = {"negatively": "negative", "neutrally": "neutral", "positively": "positive"}

    def baseline() -> list[str]:
        out = []
        for t in targets:
            template = hypothesis("{mention} is portrayed {{}}.", t.mention)
            r = zero_shot(premise(t, lean.config.marker), candidate_labels=list(words), hypothesis_template=template)
            out.append(words[r["labels"][0]])
        return out

    runs = {
        "scorer, lean BERT": lambda: [s.label for s in score(lean, targets)],
        "scorer, transformers": lambda: [s.label for s in score(heavy, targets)],
        "zero-shot pipeline": baseline,
    }
    for fn in runs.values():
        fn()  # warm-up: first calls build the kernels for each shape
    results = {}
    for name, fn in runs.items():
        best = float("inf")
        for _ in range(repeats):
            t0 = time.perf_counter()
            labels = fn()
            best = min(best, time.perf_counter() - t0)
        results[name] = (pairs / best, labels)

    def agree(a: str, b: str) -> float:
        return sum(x == y for x, y in zip(results[a][1], results[b][1], strict=True)) / len(targets)

    print(f"\nNLI scoring, {len(targets)} NewsMTSC targets × 3 hypotheses = {pairs} pairs (best of {repeats}):")
    print(f"  (import transformers and load its copy of the model: {t_load:.2f} s, off the default path)")
    for name, (rate, _) in results.items():
        print(f"  {name:<22} {rate:8.1f} pairs/s")
    lean_rate, heavy_rate, pipe_rate = (results[name][0] for name in runs)
    print(
        f"  lean vs transformers backend: {lean_rate / heavy_rate:.2f}x, "
        f"same label on {agree('scorer, lean BERT', 'scorer, transformers'):.1%} of targets"
    )
    print(
        f"  scorer vs zero-shot pipeline: {lean_rate / pipe_rate:.2f}x, "
        f"same label on {agree('scorer, lean BERT', 'zero-shot pipeline'):.1%} of targets"
    )


if __name__ == "__main__":
    main()
