# Two entry points for a newcomer: `make demo` and `make test`. Each sets up .venv from scratch.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INDEX := data/index.sqlite

.PHONY: demo test test-fast lint bench clean chromium wheel-check

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

# The nightly flow, once, on the bundled samples copied into the inbox (originals untouched).
demo: $(BIN)/.installed
	mkdir -p data/inbox
	cp -n data/samples/*.pdf data/inbox/
	$(BIN)/uprdex run --inbox data/inbox --index $(INDEX)
	$(BIN)/uprdex status --index $(INDEX)

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python tools/module_size.py
	$(BIN)/python tools/lint_tree.py >/dev/null
	$(BIN)/mypy
	cd build/lint && PYTHONPATH=. ../../$(BIN)/lint-imports --no-cache --config ../../pyproject.toml

# The report test opens the HTML in headless Chromium: install it when missing (as root), else
# that test skips with a message.
chromium:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) 2>/dev/null || echo "chromium could not be installed: the browser test will be skipped"

# The wheel as users install it, in a fresh venv, indexing a report from another folder.
wheel-check:
	PYTHON=$(PYTHON) bash tools/wheel_check.sh

test: lint chromium wheel-check
	$(BIN)/pytest

# The edit loop: no slow, Prefect, browser or corpus tests, no lint (make test runs everything).
test-fast: $(BIN)/.installed
	$(BIN)/pytest -m "not slow and not prefect and not browser and not corpus"

bench: $(BIN)/.installed
	$(BIN)/python bench/bench_loader.py
	$(BIN)/python bench/bench_wg_counts.py
	$(BIN)/python bench/bench_responses.py
	$(BIN)/python bench/bench_citations.py
	$(BIN)/python bench/bench_themes.py
	$(BIN)/python bench/bench_clusters.py
	$(BIN)/python bench/pair_model_trial.py
	$(BIN)/python bench/bench_search.py
	$(BIN)/python bench/bench_browse.py
	$(BIN)/python bench/bench_paraphrase.py
	$(BIN)/python bench/bench_match_sentences.py
	$(BIN)/python bench/bench_theme_model.py
	$(BIN)/python bench/bench_textcat_spacy.py
	$(BIN)/python bench/bench_hostile.py
	$(BIN)/python bench/bench_nightly.py
	$(BIN)/python bench/bench_tables.py
	$(BIN)/python bench/bench_import_themes.py
	$(BIN)/python bench/bench_startup.py
	$(BIN)/python bench/bench_scale.py

clean:
	rm -rf $(VENV) $(INDEX) $(INDEX)-wal $(INDEX)-shm $(INDEX).lock data/reports data/inbox data/quarantine
