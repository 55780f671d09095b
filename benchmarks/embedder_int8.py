"""Would an int8 sentence embedder change what alignment finds? Measured on BASIL.

Builds ONNX Runtime's dynamic int8 quantisation of the embedder's fp32 graph (as
``models/export_onnx.py`` builds the NLI model's: int8 weights per output channel,
activations per batch) in a temporary directory, embeds every sentence of every BASIL
article with both graphs, and runs alignment's best-either rule on every pair of articles
of each event. Prints the cosine between the two vectors of each sentence, the aligned
pairs and "only in" sentences that change, their speed, and the alignment a compare
shows for the first events. The embedder ships in fp32 because of these figures (README,
"Speed"); rerun this after changing the embedder or the quantiser.

Usage: ``python benchmarks/embedder_int8.py [--data ../shared/data] [--events N]``
(needs ``make onnx``).
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from stance import alignment  # noqa: E402
from stance.alignment import Embedder, match_embeddings  # noqa: E402
from stance.evaluation import basil  # noqa: E402
from stance.nli import EMBEDDED_DIR  # noqa: E402
from stance.onnx_runtime import EMBEDDER_FILE, ONNX_DIR, OnnxEmbedder  # noqa: E402
from stance.tokenizer import Tokenizer, features  # noqa: E402


def embed(tokenizer: Tokenizer, model: Embedder, texts: list[str]) -> np.ndarray:
    """:func:`stance.alignment.embed` on a given embedder rather than the process's."""
    out = np.zeros((len(texts), alignment.DIMENSIONS), dtype=np.float32)
    encoded = features(tokenizer.encode(texts, alignment.MAX_TOKENS))
    for batch in alignment.batches([len(f["input_ids"]) for f in encoded]):
        out[batch] = model.embed(*tokenizer.pad([encoded[i] for i in batch]))
    return out


def quantised(fp32: Path, out_dir: Path) -> Path:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    path = out_dir / "embedder.int8.onnx"
    logging.disable(logging.WARNING)  # the quantiser suggests a pre-processing step it does not need
    quantize_dynamic(str(fp32), str(path), weight_type=QuantType.QInt8, per_channel=True)
    logging.disable(logging.NOTSET)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--events", type=int, default=None, help="first N events (default: all)")
    parser.add_argument("--show", type=int, default=3, help="events whose alignment is printed")
    args = parser.parse_args()
    fp32_graph = EMBEDDED_DIR / ONNX_DIR / EMBEDDER_FILE
    if not fp32_graph.is_file():
        sys.exit(f"no {fp32_graph}: build it with `make onnx`")
    articles = basil.load(args.data / "basil", events=args.events)
    texts = [[s for p in a.paragraphs for s in p] for a in articles]
    tokenizer, _ = alignment.load_model()
    with tempfile.TemporaryDirectory() as tmp:
        models = {"fp32": OnnxEmbedder(fp32_graph), "int8": OnnxEmbedder(quantised(fp32_graph, Path(tmp)))}
        vectors: dict[str, list[np.ndarray]] = {name: [] for name in models}
        seconds = dict.fromkeys(models, 0.0)
        for sentences in texts:  # alternated, so a busy neighbour slows both alike
            for name, model in models.items():
                t0 = time.perf_counter()
                vectors[name].append(embed(tokenizer, model, sentences))
                seconds[name] += time.perf_counter() - t0
    cosines = np.concatenate([(a * b).sum(axis=1) for a, b in zip(vectors["fp32"], vectors["int8"], strict=True)])
    events: dict[str, list[int]] = {}
    for i, a in enumerate(articles):
        events.setdefault(a.event, []).append(i)
    pairs_fp32 = gained = lost = crossed = only_changed = slots = 0
    changed_events = set()
    shown = []
    for event, members in events.items():
        for i, j in combinations(members, 2):
            (p, oa, ob), (q, qa, qb) = (match_embeddings(vectors[n][i], vectors[n][j]) for n in ("fp32", "int8"))
            before, after = {x[:2] for x in p}, {x[:2] for x in q}
            pairs_fp32 += len(before)
            gained += len(after - before)
            lost += len(before - after)
            # A pair that is a best match under both graphs changed by crossing the threshold; any
            # other change follows a best match that moved to another sentence.
            both = _candidates(vectors["fp32"][i], vectors["fp32"][j]) & _candidates(
                vectors["int8"][i], vectors["int8"][j]
            )
            crossed += len((before ^ after) & both)
            only_changed += len(set(oa) ^ set(qa)) + len(set(ob) ^ set(qb))
            slots += len(texts[i]) + len(texts[j])
            if before != after:
                changed_events.add(event)
            if len(shown) < args.show * 3:
                shown.append((event, articles[i].source, articles[j].source, len(p), len(q), oa, ob, qa, qb))
    n = len(cosines)
    print(f"BASIL: {len(events)} events, {len(articles)} articles, {n} sentences; int8 vs fp32 embedder graph")
    print(f"  cosine of a sentence's two vectors: min {cosines.min():.4f}, mean {cosines.mean():.4f}")
    print(
        f"  aligned pairs: fp32 {pairs_fp32}; int8 gains {gained}, loses {lost}: {(gained + lost) / pairs_fp32:.1%}"
        f" of fp32's pairs ({crossed} cross the threshold, {gained + lost - crossed} follow a best match that moved)"
    )
    print(
        f"  'only in' decisions changed: {only_changed} of {slots} ({only_changed / slots:.1%});"
        f" events with any change: {len(changed_events)} of {len(events)}"
    )
    print(
        f"  embedder time: fp32 {seconds['fp32'] / len(texts):.3f} s/article, int8 {seconds['int8'] / len(texts):.3f}"
        f" ({seconds['fp32'] / seconds['int8']:.2f}× fp32's speed)"
    )
    print("  alignment as a compare shows it (pairs; sentences only in A / only in B), fp32 → int8:")
    for event, a, b, np32, np8, oa, ob, qa, qb in shown:
        print(f"    {event[:8]} {a} vs {b}: pairs {np32} → {np8}; only in {len(oa)}/{len(ob)} → {len(qa)}/{len(qb)}")


def _candidates(a: np.ndarray, b: np.ndarray) -> set[tuple[int, int]]:
    """Each sentence's best match in the other article, whatever its similarity."""
    sim = a @ b.T
    return {(i, int(j)) for i, j in enumerate(sim.argmax(axis=1))} | {
        (int(i), j) for j, i in enumerate(sim.argmax(axis=0))
    }


if __name__ == "__main__":
    main()
