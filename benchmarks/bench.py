"""Speed figures for `make bench`, as ratios measured in this one process on the same inputs.

1. The CPU (model, the features that decide the compute path) and the path ``auto`` picks.
2. Stance scoring: targets/s (one sentence, one party) of every compute path of
   :mod:`stance.compute`, and of transformers' ``pipeline("zero-shot-classification")`` on
   the same model and targets, with each path's macro-F1 on a fixed NewsMTSC sample and its
   agreement with fp32. The embedded model's stance head needs one pair per target where
   a plain NLI model (and the pipeline) needs one per class; the ``fp32, 3 templates`` row
   asks this model the pipeline's way, so the two gains can be read apart.
3. Cold start: a cold ``stance compare --json`` on the seeds against ``python -c "import
   torch"``, alternated in fresh processes; then one cold process per path broken down by
   stage (imports, reading with language detection, model loads, pipeline stages), with
   the heavy modules it imported (the ONNX Runtime paths import no torch).
4. Study-like throughput: articles/min over a fixed set of BASIL articles, one process,
   with the seconds per article of each stage, for fp32 and for the path ``auto`` picks.
   ``BENCH_EVENTS`` and ``BENCH_REPEATS`` shrink it on a busy machine.
5. Scaling (workers, Ray): ``benchmarks/scaling.py`` prints its own section after this one.

Other work on the same cores slows every figure, and not evenly: runs are repeated and
alternated and the best is kept, so the ratios are what to read. To see what a CPU without
native bf16 gets on one that has it, compare the ``fp32``/``int8``/``onnx-int8`` rows:
``bf16`` is only run where the hardware has it.

Usage: ``python benchmarks/bench.py [cpu] [paths] [cold] [study] [scaling]`` (default: all).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # as the CLI does: waiting threads must not spin

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SAMPLE = ROOT / "tests" / "fixtures" / "newsmtsc_dev_rw_sample.jsonl"
SEEDS = [ROOT / "seeds" / "alarabiya-2020.txt", ROOT / "seeds" / "cgtn-2019.txt"]
#: Labelled data (`make bench DATA=…`; the Makefile's default is ../shared/data).
BASIL = Path(os.environ.get("DATA") or ROOT.parent / "shared" / "data") / "basil"
#: BASIL articles in the study figure: the first events in sorted order, all three outlets.
STUDY_EVENTS = int(os.environ.get("BENCH_EVENTS") or 4)
FLAGS = ("avx2", "fma", "avx512f", "avx512_vnni", "avx_vnni", "avx512_bf16", "amx_bf16", "amx_int8")


def main(sections: list[str]) -> None:
    wanted = set(sections) or {"cpu", "paths", "cold", "study", "scaling"}
    if "cpu" in wanted:
        cpu()
    if "paths" in wanted:
        paths()
    if "cold" in wanted:
        cold_start()
    if "study" in wanted:
        study()
    if "scaling" in wanted:
        scaling()


def _with_path(path: str | None):
    """The embedded model on a forced compute path (``None`` = what ``auto`` picks)."""
    from stance import nli

    if path is None:
        os.environ.pop("STANCE_BACKEND", None)
    else:
        os.environ["STANCE_BACKEND"] = path
    try:
        return nli.load()
    finally:
        os.environ.pop("STANCE_BACKEND", None)


def available_paths() -> list[str]:
    from stance import compute
    from stance.nli import EMBEDDED_DIR
    from stance.onnx_runtime import graph_path

    out = []
    for path in compute.PATHS:
        if path == "bf16" and not compute.native_bf16():
            continue
        if path.startswith("onnx") and not graph_path(EMBEDDED_DIR, path == "onnx-int8").is_file():
            print(f"  ({path}: no graph; `make onnx` builds it)")
            continue
        out.append(path)
    return out


def cpu() -> None:
    import torch

    from stance import compute

    flags = compute.cpu_flags()
    print(f"CPU: {compute.cpu_model()}, {len(os.sched_getaffinity(0))} cores usable")
    print("  features: " + ", ".join(f"{f} {'yes' if f in flags else 'no'}" for f in FLAGS))
    print(f"  torch kernels: {torch.backends.cpu.get_cpu_capability()}, native bf16: {compute.native_bf16()}")
    print(f"  compute path `auto` picks here: {_with_path(None).compute_path}")


def paths(repeats: int = 3) -> None:
    import dataclasses

    from stance.evaluation import newsmtsc
    from stance.evaluation.metrics import classification_report
    from stance.nli import EMBEDDED_DIR, STANCE_LABELS, NLIModel, TransformersBackend
    from stance.scoring import hypothesis, premise, score

    items = newsmtsc.load(SAMPLE)
    targets = [it.target for it in items]
    gold = [it.gold for it in items]
    n = len(targets)
    print(f"\nStance scoring: {n} NewsMTSC dev_rw targets, best of {repeats}")
    models = {path: _with_path(path) for path in available_paths()}
    fp32 = models["fp32"]
    from transformers import pipeline

    reference = TransformersBackend.load(str(EMBEDDED_DIR))
    models["fp32, transformers"] = NLIModel(fp32.name, reference, fp32.config)
    if fp32.stance_ids is not None:
        templated = NLIModel(
            fp32.name, fp32.backend, dataclasses.replace(fp32.config, bias=dict.fromkeys(STANCE_LABELS, 0.0))
        )
        templated.stance_ids = None
        models["fp32, 3 templates"] = templated
    zero_shot = pipeline("zero-shot-classification", model=reference.model, tokenizer=reference.tokenizer, device=-1)
    words = {"negatively": "negative", "neutrally": "neutral", "positively": "positive"}

    def baseline() -> list[str]:
        out = []
        for t in targets:
            template = hypothesis("{mention} is portrayed {{}}.", t.mention)
            r = zero_shot(premise(t, fp32.config.marker), candidate_labels=list(words), hypothesis_template=template)
            out.append(words[r["labels"][0]])
        return out

    runs = {name: (lambda m=m: [s.label for s in score(m, targets)]) for name, m in models.items()}
    runs["zero-shot pipeline"] = baseline
    for fn in runs.values():
        fn()  # warm-up: first calls build the kernels for each shape
    best = dict.fromkeys(runs, float("inf"))
    labels: dict[str, list[str]] = {}
    for _ in range(repeats):  # alternated, so a busy neighbour slows every path alike
        for name, fn in runs.items():
            t0 = time.perf_counter()
            labels[name] = fn()
            best[name] = min(best[name], time.perf_counter() - t0)
    head = f"  {'path':<20} {'pairs':>5} {'targets/s':>9} {'×fp32':>6} {'×pipeline':>9} {'macro-F1':>8}"
    print(head + f" {'same as fp32':>12}")
    for name in runs:
        per = 1 if name in models and models[name].stance_ids is not None else 3  # model inputs per target
        rate = n / best[name]
        f1 = classification_report(gold, labels[name], STANCE_LABELS).f1_macro
        same = sum(a == b for a, b in zip(labels[name], labels["fp32"], strict=True)) / n
        print(
            f"  {name:<20} {per * n:5d} {rate:9.1f} {best['fp32'] / best[name]:6.2f}"
            f" {best['zero-shot pipeline'] / best[name]:9.2f} {f1:8.3f} {same:12.1%}"
        )
    print(
        "  (pairs = model inputs per run; the pipeline and the '3 templates' row ask one 'portrayed …' hypothesis"
        " per class through the NLI head, which this model was not trained to answer that way: their F1 is low,"
        " only their speed is the comparison)"
    )


def cold_start(repeats: int = int(os.environ.get("BENCH_REPEATS") or 3)) -> None:
    """Fresh processes, alternated: ``import torch``, then a cold compare on each path that
    tells something here (fp32: a CPU without bf16 before int8; the int8 path it runs now;
    bf16 where native). Then, per path, one more cold process broken down by stage, with
    the heavy modules it imported."""
    from stance import compute

    compare = [sys.executable, "-m", "stance", "compare", *map(str, SEEDS), "--json"]
    fast = "onnx-int8" if "onnx-int8" in available_paths() else "int8"
    compare_paths = [p for p in ("fp32", fast, "bf16" if compute.native_bf16() else None) if p]
    runs = {"import torch": ([sys.executable, "-c", "import torch"], None)}
    runs.update({f"compare, {path}": (compare, path) for path in compare_paths})
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, (cmd, path) in runs.items():
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT, env=_env(path))
            times[name].append(time.perf_counter() - t0)
    print(f"\nCold start on the seeds, {repeats} alternated fresh processes each (seconds; ratio to import torch):")
    for name, values in times.items():
        ratios = [v / t for v, t in zip(values, times["import torch"], strict=True)]
        print(
            f"  {name:<20} "
            + "  ".join(f"{v:5.2f}" for v in values)
            + ("" if name == "import torch" else f"   median ratio {statistics.median(ratios):.2f}×")
        )
    print("  One more cold process per path, by stage (seconds), and the heavy modules it imported:")
    for path in compare_paths:
        stage_times(path)


#: Runs in a fresh process: a compare's cold start by stage, as the CLI runs it, as JSON.
_STAGES_CHILD = """
import json, sys, time
t0 = time.perf_counter()
from stance import alignment, nli, pipeline, sentences
from stance.inputs import read
t = {"imports": time.perf_counter() - t0}
t0 = time.perf_counter()
documents = [read(p) for p in sys.argv[1:]]
t["read + language"] = time.perf_counter() - t0
for name, load in (("load NLI", nli.load), ("load spaCy", sentences.nlp), ("load embedder", alignment.load_model)):
    t0 = time.perf_counter()
    load()
    t[name] = time.perf_counter() - t0
stages = {}
pipeline.analyse(documents, timings=stages)
heavy = ("torch", "transformers", "onnxruntime", "lingua", "trafilatura", "lxml")
print(json.dumps({"times": t, "stages": stages, "imported": {m: m in sys.modules for m in heavy}}))
"""


def stage_times(path: str) -> None:
    """Where a cold compare's time goes on ``path``: imports, reading (with language
    detection), model loads, then each pipeline stage, and which heavy modules it imported."""
    import json

    run = subprocess.run(
        [sys.executable, "-c", _STAGES_CHILD, *map(str, SEEDS)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_env(path),
    )
    report = json.loads(run.stdout)
    steps = {**report["times"], **report["stages"]}
    print(f"    {path}: " + "  ".join(f"{k} {v:.2f}" for k, v in steps.items()) + f"  = {sum(steps.values()):.2f}")
    print("      imported: " + ", ".join(f"{m} {'yes' if v else 'no'}" for m, v in report["imported"].items()))


def _env(path: str | None) -> dict[str, str]:
    """This process's environment with the compute path forced (``None``: what ``auto`` picks)."""
    env = {k: v for k, v in os.environ.items() if k != "STANCE_BACKEND"}
    if path:
        env["STANCE_BACKEND"] = path
    return env


def study_articles() -> list[str]:
    from stance.evaluation import basil

    articles = basil.load(BASIL, events=STUDY_EVENTS)
    return [a.text for a in articles]


def study(repeats: int = int(os.environ.get("BENCH_REPEATS") or 2)) -> None:
    """One article at a time through the per-article stages a study runs."""
    if not BASIL.is_dir():
        print(f"\nStudy throughput: skipped ({BASIL} not found)")
        return
    from stance import alignment, framing, judgment, sentences
    from stance.parties import find_parties
    from stance.pipeline import score_mentions

    texts = study_articles()
    sentences.nlp()
    words = sum(len(t.split()) for t in texts) / len(texts)
    print(
        f"\nStudy throughput: {len(texts)} BASIL articles ({STUDY_EVENTS} events, mean {words:.0f} words), "
        f"one process, best of {repeats} alternated:"
    )
    from stance import compute

    # fp32 is what a CPU without bf16 ran before int8; the int8 path is what it runs now.
    fast = "onnx-int8" if "onnx-int8" in available_paths() else "int8"
    models = {"fp32": _with_path("fp32"), fast: _with_path(fast)}
    if compute.native_bf16():
        models["bf16"] = _with_path("bf16")
    best: dict[str, dict[str, float]] = {}
    embedder: dict[str, str] = {}
    for _ in range(repeats):
        for name, model in models.items():
            embedder[name] = _embedder_on(model.compute_path)
            stages = dict.fromkeys(("parse", "parties", "stance", "judgment", "alignment", "framing"), 0.0)
            for i, text in enumerate(texts):
                t0 = time.perf_counter()
                article = sentences.parse(text, f"a{i}")
                t1 = time.perf_counter()
                found = find_parties([article])
                t2 = time.perf_counter()
                scored = score_mentions(model, [article], found)
                t3 = time.perf_counter()
                judgment.judge_all(model, article, {p.name: ms for p, ms in zip(found, scored, strict=True)})
                t3b = time.perf_counter()
                alignment.embed([s.text for s in article.sentences if s.dropped is None])
                t4 = time.perf_counter()
                framing.descriptors([article], found)
                t5 = time.perf_counter()
                for stage, sec in zip(stages, (t1 - t0, t2 - t1, t3 - t2, t3b - t3, t4 - t3b, t5 - t4), strict=True):
                    stages[stage] += sec
            if sum(stages.values()) < sum(best.get(name, {"x": float("inf")}).values()):
                best[name] = stages
    for name, stages in best.items():
        total = sum(stages.values())
        print(
            f"  {name:<10} {60 * len(texts) / total:6.1f} articles/min; s/article: "
            + "  ".join(f"{k} {v / len(texts):.3f}" for k, v in stages.items())
            + f"  (embedder: {embedder[name]})"
        )


def _embedder_on(path: str) -> str:
    """Load the sentence embedder a process forced to ``path`` runs (alignment follows the
    NLI model's path, see :func:`stance.compute.embedder_graph`), untimed; its class name."""
    from stance import alignment

    os.environ["STANCE_BACKEND"] = path
    try:
        alignment.load_model.cache_clear()
        return type(alignment.load_model()[1]).__name__
    finally:
        os.environ.pop("STANCE_BACKEND", None)


def scaling() -> None:
    """The workers / Ray section belongs to benchmarks/scaling.py, which `make bench` runs next."""
    print("\n" + "=" * 78)
    if Path(__file__).with_name("scaling.py").is_file():
        print("Scaling (--workers, Ray): benchmarks/scaling.py, run next by `make bench`")
    else:
        print("Scaling (--workers, Ray): benchmarks/scaling.py is not here yet")


if __name__ == "__main__":
    main(sys.argv[1:])
