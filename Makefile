# PAIR Atlas. `make run` serves the app; `make test` runs the whole suite. Both set up
# everything they need on a fresh machine (Python 3.11 with venv; Debian's chromium for the
# browser tests, which .ci/run installs).

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test build store migrate bench bench-load map-assets install install-test clean-store

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed-app: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e ".[test]"
	touch $@ $(VENV)/.installed-app

install: $(VENV)/.installed-app
install-test: $(VENV)/.installed-test

# Build the reference store from the official files if it is not built yet.
store: install
	$(PY) -m data_access build --if-missing

# Rebuild the reference store (the previous one stays in use until the new one is complete).
build: install
	$(PY) -m data_access build

migrate: install
	$(PY) -m data_access migrate

# The live map's library (MapLibre GL JS) from the npm registry, served by the app itself.
map-assets: dashboard/static/vendor/maplibre/VERSION

dashboard/static/vendor/maplibre/VERSION: dashboard/mapcomponent/package-lock.json
	bash dashboard/mapcomponent/build.sh

run: store migrate map-assets
	$(VENV)/bin/streamlit run dashboard/server.py --server.port $(PORT)

test: install-test map-assets
	bash tests/setup_axe.sh
	$(PY) -m pytest

$(VENV)/.installed-bench: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e ".[test,bench]"
	touch $@

bench: $(VENV)/.installed-bench store map-assets
	bash bench/setup_assets.sh
	$(PY) bench/bench_pages.py
	$(PY) bench/profile_pages.py
	$(PY) bench/bench_reach.py
	$(PY) bench/bench_vfm.py

# 20 browser sessions saving scenarios and ratings at once against PostgreSQL (127.0.0.1:5432)
bench-load: $(VENV)/.installed-bench store map-assets
	$(PY) bench/bench_load.py

clean-store:
	rm -rf geodata/store
