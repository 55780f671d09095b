"""Compute paths (stance.compute): forced by STANCE_BACKEND, picked from the CPU, and the fast
paths agreeing with fp32 on real NewsMTSC sentences; and model directories that are broken."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import FIXTURES, ROOT

from stance import compute
from stance.errors import StanceError
from stance.evaluation import newsmtsc
from stance.evaluation.metrics import classification_report
from stance.nli import EMBEDDED_DIR, STANCE_LABELS, load
from stance.onnx_runtime import EMBEDDER_FILE, graph_path
from stance.scoring import score

#: Least share of the sample's 150 targets on which a path must give fp32's label, and most
#: macro-F1 it may lose there (one flipped target moves it by about 1 pt). Measured: onnx 100%,
#: onnx-int8 98%, torch int8 94-98% (its activations are quantised to 7 bits per batch, so the
#: batch around a pair matters). On all 1,034 test_mt targets both int8 paths score within
#: 0.5 pt of fp32 (README, "Speed"), which is the criterion; this guards against a broken path.
MIN_AGREEMENT = {"int8": 0.92, "onnx": 0.99, "onnx-int8": 0.95}
MAX_F1_LOSS = 0.05


@pytest.fixture(scope="module")
def sample():
    return newsmtsc.load(FIXTURES / "newsmtsc_dev_rw_sample.jsonl")


def _load_on(path: str, monkeypatch, name: str | None = None):
    monkeypatch.setenv(compute.ENV, path)
    return load(name)


@pytest.fixture(scope="module")
def fp32_labels(sample):
    with pytest.MonkeyPatch.context() as mp:
        model = _load_on("fp32", mp)
    assert model.compute_path == "fp32" and not model.bf16
    return [s.label for s in score(model, [it.target for it in sample])]


def _fast_paths() -> list[str]:
    paths = ["int8"]
    paths += [p for p in ("onnx", "onnx-int8") if graph_path(EMBEDDED_DIR, p == "onnx-int8").is_file()]
    return paths


@pytest.mark.parametrize("path", _fast_paths())
def test_fast_paths_agree_with_fp32_on_newsmtsc(path, sample, fp32_labels, monkeypatch):
    model = _load_on(path, monkeypatch)
    assert model.compute_path == path
    labels = [s.label for s in score(model, [it.target for it in sample])]
    agreement = sum(a == b for a, b in zip(labels, fp32_labels, strict=True)) / len(sample)
    assert agreement >= MIN_AGREEMENT[path]
    gold = [it.gold for it in sample]
    f1 = classification_report(gold, labels, STANCE_LABELS).f1_macro
    assert f1 >= classification_report(gold, fp32_labels, STANCE_LABELS).f1_macro - MAX_F1_LOSS


def test_the_onnx_graph_build_step_is_reproducible(tmp_path):
    """`make onnx` runs this script; it must build both graphs from the committed weights."""
    pytest.importorskip("onnx")
    out = tmp_path / "onnx"
    subprocess.run(
        [sys.executable, str(ROOT / "models" / "export_onnx.py"), "--out", str(out)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    assert (out / "model.onnx").stat().st_size > (out / "model.int8.onnx").stat().st_size > 1_000_000
    assert (out / EMBEDDER_FILE).is_file() and (out / f"{EMBEDDER_FILE}.data").stat().st_size > 1_000_000


def test_a_cpu_whose_flags_lack_bf16_is_told_so_without_torch(monkeypatch):
    """The flags decide "no" alone (so the ONNX paths need no torch); a "yes" is oneDNN's to confirm."""
    monkeypatch.setattr(compute, "cpu_flags", lambda: frozenset({"avx2", "fma", "avx512f"}))
    monkeypatch.setitem(sys.modules, "torch", None)  # `import torch` would now fail
    compute.native_bf16.cache_clear()
    try:
        assert compute.native_bf16() is False
    finally:
        compute.native_bf16.cache_clear()


@pytest.mark.skipif(
    not (graph_path(EMBEDDED_DIR, int8=True).is_file() and (EMBEDDED_DIR / "onnx" / EMBEDDER_FILE).is_file()),
    reason="needs `make onnx`",
)
def test_a_compare_on_onnx_int8_never_imports_torch(tmp_path):
    """The path a CPU without native bf16 runs: tokenizer, NLI model, sentence embedder and
    spaCy all without torch, whose import alone is a third of a cold start there."""
    code = (
        "import sys\n"
        "from stance.cli import main\n"
        "try:\n    main()\n"
        "finally:\n    print('torch' in sys.modules, 'transformers' in sys.modules, file=sys.stderr)\n"
    )
    articles = []
    for name in ("alarabiya-2020", "cgtn-2019"):  # their first paragraphs: enough to compare, and quick
        paragraphs = (ROOT / "seeds" / f"{name}.txt").read_text(encoding="utf-8").splitlines()
        articles.append(tmp_path / f"{name}.txt")
        articles[-1].write_text("\n".join(paragraphs[:6]), encoding="utf-8")
    env = {**os.environ, compute.ENV: "onnx-int8"}
    run = subprocess.run(
        [sys.executable, "-c", code, "compare", *map(str, articles), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["parties"]
    assert run.stderr.split()[-2:] == ["False", "False"], run.stderr


def test_auto_picks_bf16_only_where_the_cpu_has_it(monkeypatch, tmp_path):
    monkeypatch.delenv(compute.ENV, raising=False)
    expected_bf16 = compute.native_bf16()
    assert (compute.choose(True, EMBEDDED_DIR) == "bf16") == expected_bf16
    # Without bf16 hardware: ONNX Runtime int8 for the embedded model when its graph is
    # built (else fp32: torch's int8 loses too much F1), fp32 for a user's own BERT and for
    # whatever transformers runs.
    monkeypatch.setattr(compute, "native_bf16", lambda: False)
    built = graph_path(EMBEDDED_DIR, int8=True).is_file()
    assert compute.choose(True, EMBEDDED_DIR) == ("onnx-int8" if built else "fp32")
    assert compute.choose(True, _copy_model(tmp_path)) == "fp32"
    assert compute.choose(False, None) == "fp32"


def test_an_unknown_path_is_one_clear_line(monkeypatch):
    monkeypatch.setenv(compute.ENV, "fp8")
    with pytest.raises(StanceError, match=r"STANCE_BACKEND='fp8' is not a compute path; use one of: auto, bf16"):
        load()


def test_a_forced_onnx_path_without_its_graph_says_how_to_build_it(monkeypatch, tmp_path):
    directory = _copy_model(tmp_path)
    monkeypatch.setenv(compute.ENV, "onnx-int8")
    with pytest.raises(StanceError, match="make onnx"):
        load(str(directory))


def test_paths_only_the_lean_bert_runs_are_refused_for_other_models(monkeypatch):
    monkeypatch.setenv(compute.ENV, "int8")
    with pytest.raises(StanceError, match="only local BERT models"):
        compute.choose(False, None)


def _copy_model(tmp_path):
    directory = tmp_path / "model"
    directory.mkdir()
    for name in ("config.json", "tokenizer.json", "tokenizer_config.json", "stance.json", "model.safetensors"):
        shutil.copy(EMBEDDED_DIR / name, directory / name)
    return directory


def _one_line_error(model_dir) -> str:
    """What `stance score --model DIR` prints: it must fail with exit 1 and one line."""
    run = subprocess.run(
        [sys.executable, "-m", "stance", "score", str(ROOT / "seeds" / "cgtn-2019.txt"), "--party", "Haftar"]
        + ["--model", str(model_dir)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 1
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("stance: error: ")
    return lines[0]


def test_a_truncated_safetensors_file_is_one_line(tmp_path):
    directory = _copy_model(tmp_path)
    weights = directory / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:1_000_000])
    assert "model.safetensors is damaged or cut short" in _one_line_error(directory)


def test_a_directory_that_is_no_model_is_one_full_line(tmp_path):
    (tmp_path / "notes.txt").write_text("not a model")
    with pytest.raises(StanceError, match="is not a model directory: it has no config.json$"):
        load(str(tmp_path))


def test_a_model_transformers_cannot_read_is_one_full_line(tmp_path):
    """A config that is not BERT goes to transformers, whose tokenizer error runs over several
    lines (the first ends at "from one of:"): the message must keep all of it on one line."""
    directory = tmp_path / "odd"
    directory.mkdir()
    config = json.loads((EMBEDDED_DIR / "config.json").read_text())
    config["model_type"] = "distilbert"
    (directory / "config.json").write_text(json.dumps(config))
    with pytest.raises(StanceError) as info:
        load(str(directory))
    message = str(info.value)
    assert message.startswith("cannot load model") and "\n" not in message
    assert not message.rstrip().endswith(":")


@pytest.mark.skipif(not (EMBEDDED_DIR / "onnx" / EMBEDDER_FILE).is_file(), reason="needs `make onnx`")
def test_alignment_runs_on_onnx_only_where_the_nli_model_does(monkeypatch, tmp_path):
    """One decision for both models: the embedder's graph alone does not move alignment to
    ONNX Runtime while the NLI model, its graphs missing, runs on torch."""
    directory = _copy_model(tmp_path)
    (directory / "onnx").mkdir()
    for name in (EMBEDDER_FILE, f"{EMBEDDER_FILE}.data"):
        (directory / "onnx" / name).symlink_to(EMBEDDED_DIR / "onnx" / name)
    monkeypatch.setattr("stance.nli.EMBEDDED_DIR", directory)
    monkeypatch.setattr(compute, "native_bf16", lambda: False)
    monkeypatch.delenv(compute.ENV, raising=False)
    assert (compute.choose(True, directory), compute.embedder_graph()) == ("fp32", None)
    (directory / "onnx" / "model.int8.onnx").symlink_to(graph_path(EMBEDDED_DIR, int8=True))
    assert (compute.choose(True, directory), compute.embedder_graph()) == (
        "onnx-int8",
        directory / "onnx" / EMBEDDER_FILE,
    )
    monkeypatch.setenv(compute.ENV, "fp32")
    assert compute.embedder_graph() is None
