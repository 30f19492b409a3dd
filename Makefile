# innosim: `make demo` and `make test` work on a fresh machine.
# PYTHON: the first Python >= 3.12 found (python3.12 on PATH, pyenv's installs, then python3).
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= $(shell for c in python3.13 python3.12 $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 python3; do \
	  p=$$(command -v $$c 2>/dev/null) || continue; \
	  $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; done)
SCENARIO := scenarios/sanliang-qisheng-2024-2026.toml
REPS ?= 200

.PHONY: setup demo test test-quick fuzz lint schema notebooks bench baseline clean app

$(BIN)/innosim: pyproject.toml
	@test -n "$(PYTHON)" || { echo "error: no Python >= 3.12 found (tried python3.13, python3.12, ~/.pyenv/versions/3.12+, python3)"; exit 2; }
	@echo "using $(PYTHON) ($$($(PYTHON) --version))"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[dev,app]'
	@touch $@

setup: $(BIN)/innosim

demo: setup
	$(BIN)/innosim run $(SCENARIO) --replications $(REPS)

# The suite runs on TEST_WORKERS processes (pytest-xdist; default one per core, TEST_WORKERS=0 runs it in this
# process), each taking whole test modules (--dist loadfile), so a module's shared fixtures run once. The slowest
# tests are listed at the end, so a CI log shows where the time went.
TEST_WORKERS ?= auto
PYTEST := $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --durations=15

test: setup
	$(PYTEST)

# The quick tier, before each commit: everything but the tests conftest.py marks slow (ensembles,
# calibrations, campaigns, notebooks). `make test` (and CI) runs everything.
test-quick: setup
	$(PYTEST) -m "not slow"

# The planner's web app on http://127.0.0.1:8765/ (PORT=... to change); Ctrl-C stops it.
PORT ?= 8765
app: setup
	$(BIN)/innosim app --port $(PORT)

# The input fuzz campaign: thousands of generated scenario files through validate and run (about 15 min on 2 cores).
fuzz: setup
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests/test_fuzz.py --hypothesis-show-statistics

lint: setup
	$(BIN)/ruff check model tests benchmarks

# Rewrite the regression baseline tests/baseline.json on purpose (docs/developing.md, Regression baseline).
baseline: setup
	$(BIN)/python tests/baseline.py

# Speed and memory against the reference engine and a trivial numpy update, ensemble and calibration throughput (docs/developing.md, Performance); ~9 min.
bench: setup
	$(BIN)/python benchmarks/bench.py

notebooks: setup
	cd notebooks && ../$(BIN)/python execute.py

schema: setup
	$(BIN)/innosim schema --out scenarios/scenario.schema.json

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
