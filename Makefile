# silosim — the two commands of the README, plus the longer jobs.
#   make run    set up .venv (Python 3.12) and run the default what-if comparison → report
#   make test   set up .venv and run the test suite
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.12 2>/dev/null || echo $(HOME)/.pyenv/versions/3.12.1/bin/python3.12)
VENV := .venv
BIN := $(VENV)/bin
REPLICATIONS ?= 50
EXTRAS ?= dev,dashboard   # .ci/run adds ray (the Ray launcher tests: ~400 MB)

.PHONY: setup run test validate validate-full bench dash test-ray lint
setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 12), "silosim needs Python 3.12+"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[$(strip $(EXTRAS))]'
	touch $@

run: setup
	$(BIN)/silosim -m scenario=baseline,five_actions replications=$(REPLICATIONS)

test: setup
	$(BIN)/pytest -n 2

validate: setup
	$(BIN)/silosim-validate --replications 60

validate-full: setup
	$(BIN)/silosim-validate --replications 400 --strict

# make bench: model sizes, the engine's overhead, memory and determinism, profiles (15-25 min; QUICK=1: ~4 min)
bench: setup
	$(BIN)/python benchmarks/bench_model.py $(if $(QUICK),--quick)
	$(BIN)/python benchmarks/bench_sweep.py $(if $(QUICK),--quick)
	$(BIN)/python benchmarks/profile_model.py $(if $(QUICK),--quick)

dash: setup
	$(BIN)/silosim-dash

test-ray: setup
	$(BIN)/pip install --quiet -e '.[ray]'
	$(BIN)/pytest tests/test_ray.py

lint: setup
	$(BIN)/ruff check .
