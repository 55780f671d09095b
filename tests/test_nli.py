"""The NLI scorer: loading by label names, batching that keeps order, stance semantics."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from safetensors.torch import load_file, save_file

from stance.errors import StanceError
from stance.nli import EMBEDDED_DIR, NLIModel, TransformersBackend, load
from stance.scoring import Target, premise, score, score_labels


def _target(sentence: str, mention: str) -> Target:
    start = sentence.index(mention)
    return Target(sentence, start, start + len(mention))


def test_embedded_model_is_three_way_nli_with_a_stance_head(nli):
    assert nli.backend.id2label[nli.entailment_id] == "entailment"
    assert nli.contradiction_id is not None
    assert [nli.backend.id2label[i] for i in nli.stance_ids] == ["stance-negative", "stance-neutral", "stance-positive"]
    assert nli.config.marker is not None
    assert set(nli.config.templates) == {"negative", "neutral", "positive"}


def test_stance_head_asks_one_pair_per_target_and_templates_three(nli):
    """Models without a stance head (hub NLI models) are asked one hypothesis per class."""
    import dataclasses

    asked = []

    class Counting(NLIModel):
        def logits(self, premises, hypotheses, batch_size=64):
            asked.append(list(hypotheses))
            return super().logits(premises, hypotheses, batch_size)

    targets = [_target("Critics accused the mayor of corruption.", "mayor")]
    head = Counting(nli.name, nli.backend, nli.config, nli.compute_path)
    templated = Counting(nli.name, nli.backend, dataclasses.replace(nli.config), nli.compute_path)
    templated.stance_ids = None
    (one,) = score(head, targets)
    (three,) = score(templated, targets)
    assert asked[0] == ["Mayor"]
    assert len(asked[1]) == 3 and all(h.startswith("Mayor ") for h in asked[1])
    assert sum(one.probs.values()) == pytest.approx(1.0, abs=1e-5)
    assert sum(three.probs.values()) == pytest.approx(1.0, abs=1e-5)


def test_a_passage_is_asked_with_the_models_passage_hypothesis(nli, tmp_path):
    """The judgment's paragraph pass names the party as the model was trained to read passages."""
    import dataclasses

    from stance.nli import StanceConfig
    from stance.scoring import score_passages

    asked = []

    class Counting(NLIModel):
        def logits(self, premises, hypotheses, batch_size=64):
            asked.append(list(hypotheses))
            return super().logits(premises, hypotheses, batch_size)

    config = dataclasses.replace(nli.config, passage_hypothesis="The writer on {mention}")
    config.write(tmp_path)
    assert StanceConfig.read(tmp_path) == config
    passage = "«Mayor Lee» won the vote. Critics said «Lee» had lied."
    score_passages(Counting(nli.name, nli.backend, config, nli.compute_path), [passage], ["Mayor Lee"])
    score_passages(Counting(nli.name, nli.backend, nli.config, nli.compute_path), [passage], ["Mayor Lee"])
    assert asked == [["The writer on Mayor Lee"], ["Mayor Lee"]]


def test_batched_scores_equal_one_at_a_time_and_keep_input_order(nli):
    sentences = [
        "The senator was praised by colleagues for her tireless work on the bill.",
        "Critics accused the mayor of corruption.",
        "The minister arrived in Paris on Tuesday for talks that are expected to last two days "
        "and cover trade, migration and the war.",
    ]
    targets = [_target(sentences[0], "senator"), _target(sentences[1], "mayor"), _target(sentences[2], "minister")]
    together = score(nli, targets)
    alone = [score(nli, [t])[0] for t in targets]
    # bf16 rounds to 8 significant bits, and its kernels block by batch shape; the int8 paths
    # quantise activations per batch, so a batch's other pairs move a score a little.
    tolerance = {"fp32": 1e-4, "onnx": 1e-4, "bf16": 2e-3}.get(nli.compute_path, 0.05)
    for a, b in zip(together, alone, strict=True):
        assert a.score == pytest.approx(b.score, abs=tolerance)
        assert sum(a.probs.values()) == pytest.approx(1.0, abs=1e-5)


def test_stance_direction_follows_the_sentence(nli):
    good, bad = score(
        nli,
        [
            _target("Volunteers thanked Maria Lopez for her generous and brave rescue work.", "Maria Lopez"),
            _target("Prosecutors say Maria Lopez lied to investigators and stole from the charity.", "Maria Lopez"),
        ],
    )
    assert good.label == "positive" and bad.label == "negative"
    assert -1.0 <= bad.score < 0 < good.score <= 1.0


def test_stance_is_toward_the_marked_target_not_the_sentence(nli):
    sentence = "Rebels loyal to Smith ambushed a convoy, and Jones condemned the brutal attack."
    smith, jones = score(nli, [_target(sentence, "Smith"), _target(sentence, "Jones")])
    assert smith.score < jones.score


def test_long_sentences_keep_the_mention_inside_the_window():
    filler = "word " * 200
    sentence = filler + "the Governor said " + filler
    t = _target(sentence, "Governor")
    p = premise(t, ("«", "»"))
    assert "«Governor»" in p and len(p) < len(sentence)


def test_custom_labels_are_independent_probabilities(nli):
    t = _target("Pompeo urged an immediate ceasefire and a return to talks.", "Pompeo")
    (probs,) = score_labels(nli, [t], ["supports a ceasefire", "opposes a ceasefire"])
    assert probs["supports a ceasefire"] > probs["opposes a ceasefire"]
    assert all(0.0 <= v <= 1.0 for v in probs.values())


def test_transformers_backend_scores_like_the_lean_one(monkeypatch):
    """Hub ids and other architectures go through transformers; on the embedded model both
    backends must agree in fp32, through the same batching."""
    monkeypatch.setenv("STANCE_BACKEND", "fp32")
    nli = load()
    other = NLIModel(nli.name, TransformersBackend.load(str(EMBEDDED_DIR)), nli.config, "fp32")
    assert other.backend.id2label == nli.backend.id2label and not other.bf16 and not nli.bf16
    premises = ["Critics accused the «mayor» of corruption.", "Volunteers thanked «Maria Lopez» for her rescue work."]
    hypotheses = ["The sentence is negative about mayor.", "The sentence is positive about Maria Lopez."]
    assert np.abs(other.logits(premises, hypotheses) - nli.logits(premises, hypotheses)).max() <= 1e-4


def test_default_models_load_without_importing_transformers():
    """Importing transformers' model classes cost about 1.9 s of every cold start."""
    code = (
        "import sys; from stance import alignment, nli; nli.load(); alignment.embed(['One sentence.']); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('transformers', 'sentence_transformers')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def _copy_with_labels(tmp_path, order: list[str]):
    """A three-way model directory with another label order: the embedded weights with the
    classifier rows permuted, so a correct loader must give identical stance scores."""
    src = EMBEDDED_DIR
    out = tmp_path / "reordered"
    out.mkdir()
    config = json.loads((src / "config.json").read_text())
    old = {v: int(k) for k, v in config["id2label"].items()}
    config["id2label"] = {str(i): lab for i, lab in enumerate(order)}
    config["label2id"] = {lab: i for i, lab in enumerate(order)}
    (out / "config.json").write_text(json.dumps(config))
    weights = load_file(str(src / "model.safetensors"))
    rows = [old[lab] for lab in order]
    weights["classifier.weight"] = weights["classifier.weight"][rows].contiguous()
    weights["classifier.bias"] = weights["classifier.bias"][rows].contiguous()
    save_file(weights, str(out / "model.safetensors"), metadata={"format": "pt"})
    for name in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt"):
        if (src / name).exists():
            (out / name).write_bytes((src / name).read_bytes())
    return out


def test_loads_a_local_three_way_model_by_label_names(tmp_path, monkeypatch):
    monkeypatch.setenv("STANCE_BACKEND", "fp32")  # both models on one path, so logits must match
    nli = load()
    directory = _copy_with_labels(tmp_path, ["contradiction", "neutral", "entailment"])
    other = load(str(directory))
    assert other.entailment_id == 2 and other.contradiction_id == 0
    # No stance.json: generic-model defaults (no target marker), as for hub models.
    assert other.config.marker is None
    t = [_target("Critics accused the mayor of corruption.", "mayor")]
    plain = np.array(other.logits(["Critics accused the mayor of corruption."], ["The mayor is portrayed negatively."]))
    same = np.array(nli.logits(["Critics accused the mayor of corruption."], ["The mayor is portrayed negatively."]))
    assert plain[0, 2] == pytest.approx(same[0, nli.entailment_id], abs=1e-4)
    # a plain NLI model: no stance head, so stance is asked one template per class
    assert other.stance_ids is None
    assert sum(score(other, t)[0].probs.values()) == pytest.approx(1.0, abs=1e-5)
    premise_ = ["Critics accused the mayor of corruption."]
    (yes,) = other.entailment_probability(premise_, ["The mayor was accused."])
    (no,) = other.entailment_probability(premise_, ["Nobody accused the mayor."])
    assert yes > 0.5 > no


def test_model_without_entailment_label_is_refused(tmp_path):
    directory = _copy_with_labels(tmp_path, ["entailment", "neutral", "contradiction"])
    config = json.loads((directory / "config.json").read_text())
    config["id2label"] = {"0": "negative", "1": "neutral", "2": "positive"}
    config["label2id"] = {"negative": 0, "neutral": 1, "positive": 2}
    (directory / "config.json").write_text(json.dumps(config))
    with pytest.raises(StanceError, match="not an NLI model"):
        load(str(directory))


def test_pickle_weights_are_refused(tmp_path):
    directory = _copy_with_labels(tmp_path, ["entailment", "neutral", "contradiction"])
    (directory / "model.safetensors").rename(directory / "pytorch_model.bin")
    with pytest.raises(StanceError, match="cannot load model"):
        load(str(directory))


@pytest.mark.parametrize("name", ["./no/such/dir", "not-a-hub-id"])
def test_unknown_model_names_fail_clearly(name):
    with pytest.raises(StanceError):
        load(name)


def test_a_hub_id_loads_from_a_filled_cache_without_network(tmp_path):
    """`--model org/name` works offline once the model is in the Hugging Face cache: the
    cache is laid out as huggingface_hub lays it out, and the id goes through transformers."""
    snapshot = tmp_path / "hub" / "models--someorg--nli-model" / "snapshots" / "0123abc"
    snapshot.parent.mkdir(parents=True)
    _copy_with_labels(tmp_path, ["entailment", "neutral", "contradiction"]).rename(snapshot)
    refs = snapshot.parent.parent / "refs"
    refs.mkdir()
    (refs / "main").write_text("0123abc")
    code = (
        "from stance.nli import load; m = load('someorg/nli-model'); "
        "print(type(m.backend).__name__, m.backend.id2label[m.entailment_id])"
    )
    env = {**os.environ, "HF_HUB_CACHE": str(tmp_path / "hub")}
    env.pop("HF_HUB_OFFLINE", None)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["TransformersBackend", "entailment"]


def test_an_uncached_hub_id_fails_with_one_clear_line(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path))
    with pytest.raises(StanceError, match="cannot load model 'someorg/not-cached' as a hub id") as err:
        load("someorg/not-cached")
    assert "\n" not in str(err.value)
