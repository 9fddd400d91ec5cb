# Two entry points for a fresh machine (see README):
#   make demo   set everything up, then run `contradict compare` on the bundled example
#   make test   set everything up, then run the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# torch must come from the CPU wheel before anything that depends on it, or pip pulls a CUDA build.
TORCH  ?= torch==2.13.0
# Where pip looks for that wheel: empty = pip's own configuration (here a local CPU wheel); with internet
# and no local wheel, TORCH_INDEX=https://download.pytorch.org/whl/cpu takes PyTorch's CPU build.
TORCH_INDEX ?=

.PHONY: setup demo test test-fast model clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX)) "$(TORCH)"
	$(BIN)/pip install --quiet -e ".[dev,onnx]"
	touch $@

setup: $(VENV)/.installed

# The tests also run the Ray engine on a local Ray (issue 19), so `make test` adds the ray extra.
$(VENV)/.installed-ray: $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[ray]"
	touch $@

demo: setup
	$(BIN)/contradict compare examples/summit --format html --output report.html
	$(BIN)/contradict compare examples/summit --format md

test: setup $(VENV)/.installed-ray
	$(BIN)/python -m pytest -q

test-fast: setup
	$(BIN)/python -m pytest -q -m "not slow"

# Retrain the shipped model from ../shared/data with its one recipe, then export it into
# models/contradict-nli-minilm (about 35 minutes on a 2-core CPU with bf16, 2026-12-06; resumable:
# the same command continues an interrupted run). The model before it: models/recipes/contradict-nli-minilm-stance/.
DATA ?= ../shared/data
model: setup
	$(BIN)/contradict train models/recipes/contradict-nli-minilm.toml --data-dir $(DATA) --output runs/contradict-nli-minilm \
	    --export models/contradict-nli-minilm

clean:
	rm -rf $(VENV) build dist *.egg-info report.html
