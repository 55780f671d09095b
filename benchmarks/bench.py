"""Speed figures for `make bench`, all measured in this one process.

1. Pairs per second of stance's batched, length-sorted scorer against transformers'
   ``pipeline("zero-shot-classification")`` on the same model, inputs and hypotheses,
   and their ratio (the pipeline is the baseline a user would otherwise reach for).
2. Seconds per stage of ``stance compare`` on the seeds (imports, model loads, parsing,
   parties, scoring, alignment, framing, aggregation), then a warm second run, and the
   wall time of a cold ``stance compare`` in a fresh process.
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
    import transformers  # noqa: F401

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
    print(f"  import torch + transformers   {t_torch:6.2f}")
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
    from transformers import pipeline

    from stance.evaluation import newsmtsc
    from stance.nli import load
    from stance.scoring import hypothesis, premise, score

    model = load()
    items = newsmtsc.load(SAMPLE)
    targets = [it.target for it in items]
    pairs = 3 * len(targets)
    zero_shot = pipeline("zero-shot-classification", model=model.model, tokenizer=model.tokenizer, device=-1)
    words = {"negatively": "negative", "neutrally": "neutral", "positively": "positive"}

    def ours() -> list[str]:
        return [s.label for s in score(model, targets)]

    def baseline() -> list[str]:
        out = []
        for t in targets:
            template = hypothesis("{mention} is portrayed {{}}.", t.mention)
            r = zero_shot(premise(t, model.config.marker), candidate_labels=list(words), hypothesis_template=template)
            out.append(words[r["labels"][0]])
        return out

    ours()  # warm-up, both paths share the loaded weights
    results = {}
    for name, fn in (("stance scorer", ours), ("zero-shot pipeline", baseline)):
        best = float("inf")
        for _ in range(repeats):
            t0 = time.perf_counter()
            labels = fn()
            best = min(best, time.perf_counter() - t0)
        results[name] = (pairs / best, labels)
    agree = sum(
        a == b for a, b in zip(results["stance scorer"][1], results["zero-shot pipeline"][1], strict=True)
    ) / len(targets)
    print(f"\nNLI scoring, {len(targets)} NewsMTSC targets × 3 hypotheses = {pairs} pairs (best of {repeats}):")
    for name, (rate, _) in results.items():
        print(f"  {name:<20} {rate:8.1f} pairs/s")
    ratio = results["stance scorer"][0] / results["zero-shot pipeline"][0]
    print(f"  speed-up {ratio:.2f}x; same predicted label on {agree:.1%} of targets")


if __name__ == "__main__":
    main()
