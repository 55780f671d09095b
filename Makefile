# Set-up and everyday tasks. `make demo` and `make test` install first when needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DATA   ?= ../shared/data

.PHONY: install onnx demo test model judge bench lint clean

install: $(STAMP) onnx

# torch first, pinned: 2.13.0 is the CPU build on disk here; anything looser pulls CUDA.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: install
	$(BIN)/stance compare seeds/alarabiya-2020.txt seeds/cgtn-2019.txt \
		--label-a "Al Arabiya 2020" --label-b "CGTN 2019" --html report.html

test: install
	$(BIN)/python -m pytest -q

# Retrain the embedded model from scratch (about an hour on 2 CPU cores).
model: install
	$(BIN)/python models/train.py --data $(DATA) --out models/stance-minilm
	$(BIN)/python models/export_onnx.py

# ONNX Runtime graphs of the embedded model (fp32 and int8) and of the sentence embedder (fp32),
# built from the committed weights and the installed embedder package rather than committed:
# 204 MB more in every clone for what takes under a minute to make.
ONNX := models/stance-minilm/onnx/model.int8.onnx
EMBEDDER_ONNX := models/stance-minilm/onnx/embedder.onnx
onnx: $(ONNX) $(EMBEDDER_ONNX)

$(ONNX): models/stance-minilm/model.safetensors models/export_onnx.py $(STAMP)
	$(BIN)/python models/export_onnx.py --only nli

$(EMBEDDER_ONNX): models/export_onnx.py $(STAMP)
	$(BIN)/python models/export_onnx.py --only embedder

# Refit the article-level aggregator (judge.json) on held-out PerSenT dev and BASIL; NLI
# outputs are cached under /tmp/judge, so a re-run after the first takes minutes, not hours.
# The cross-validation rule picks the variant (models/README.md); JUDGE_VARIANT="<name>"
# ships another one instead.
JUDGE_VARIANT ?=
judge: install
	$(BIN)/python models/fit_judge.py --data $(DATA) --out models/stance-minilm/judge.json $(if $(JUDGE_VARIANT),--choose "$(JUDGE_VARIANT)")

bench: install
	DATA=$(DATA) $(BIN)/python benchmarks/bench.py
	$(BIN)/python benchmarks/scaling.py --data $(DATA)

lint: install
	$(BIN)/ruff check stance tests models benchmarks
	$(BIN)/ruff format --check stance tests models benchmarks

clean:
	rm -rf $(VENV) report.html .pytest_cache

# A study of all 50 BASIL events (150 articles by Fox News, the New York Times and HuffPost),
# from a CSV written the way a user would bring one; rerunning it resumes where it stopped.
STUDY_OUT ?= study-demo
.PHONY: study-demo
study-demo: install
	$(BIN)/python -m stance.studies.demo $(DATA)/basil $(STUDY_OUT)/basil.csv
	$(BIN)/stance study $(STUDY_OUT)/basil.csv --out $(STUDY_OUT)
