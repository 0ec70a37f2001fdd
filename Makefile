# Jiceng: `make demo` and `make test` are the two commands a newcomer needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/jiceng
PYTEST_WORKERS ?= 2

.PHONY: demo test check test-sqlite test-postgres bench install assets messages clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/activate pyproject.toml constraints.txt
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed
assets: node_modules/.installed
messages: install
	$(PY) tools/compilemessages.py

## make demo: a fresh machine → venv, packages, assets, embedded database, demo county, server on :8000.
demo: install assets messages
	$(BIN)/jiceng demo --port $${PORT:-8000}

## make test: lint + layer + migration checks, the suite on SQLite, again on PostgreSQL under CI
## (or when JICENG_TEST_DATABASE_URL is set), with the real-browser tests.
test: install assets messages check test-sqlite test-postgres

check: install
	tools/check

test-sqlite: install assets messages
	JICENG_TESTING=1 JICENG_TEST_DATABASE_URL= $(PY) -m pytest -q -n $(PYTEST_WORKERS) -p no:cacheprovider

test-postgres: install assets messages
	@if [ "$${CI:-}" = "true" ] || [ -n "$${JICENG_TEST_DATABASE_URL:-}" ]; then \
		echo "== the suite on PostgreSQL"; \
		JICENG_TESTING=1 JICENG_TEST_DATABASE_URL=$${JICENG_TEST_DATABASE_URL:-$(PG_TEST_URL)} \
			$(PY) -m pytest -q -n $(PYTEST_WORKERS) -p no:cacheprovider -m "not browser"; \
	else \
		echo "== PostgreSQL run skipped locally (set JICENG_TEST_DATABASE_URL or CI=true to run it)"; \
	fi

## make bench: benchmarks on PostgreSQL (figures as ratios to a baseline measured in the same run);
## `make bench BENCH=person_list` runs one (docs/benchmarks.md).
bench: install
	$(PY) -m bench $(BENCH)

clean:
	rm -rf $(VENV) node_modules var test-output .pytest_cache
