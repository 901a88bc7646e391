# Two entry points for a newcomer: `make demo` and `make test`. Each sets up .venv from scratch.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INDEX := data/index.sqlite

.PHONY: demo test lint bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

# The nightly flow, once, on the bundled samples copied into the inbox (originals untouched).
demo: $(BIN)/.installed
	mkdir -p data/inbox
	cp -n data/samples/*.pdf data/inbox/
	PREFECT_LOGGING_LEVEL=WARNING $(BIN)/uprdex run --inbox data/inbox --index $(INDEX)
	$(BIN)/uprdex status --index $(INDEX)

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

bench: $(BIN)/.installed
	$(BIN)/python bench/bench_loader.py
	$(BIN)/python bench/bench_wg_counts.py

clean:
	rm -rf $(VENV) $(INDEX) $(INDEX)-wal $(INDEX)-shm $(INDEX).lock data/reports data/inbox data/quarantine
