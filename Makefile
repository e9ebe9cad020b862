# Otklik: the two commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup setup-test system-deps lint typecheck test-sqlite test-postgres bench clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test,dev,bench]"
	touch $@

setup: $(VENV)/.installed

## make run: set up, migrate, load the directory and demo people, start the web server and a task worker.
run: setup
	$(BIN)/otklik migrate --no-input -v0
	OTKLIK_SITE_URL=$${OTKLIK_SITE_URL:-http://$(HOST):$(PORT)} $(BIN)/otklik demo
	@scripts/run-server.sh $(HOST) $(PORT)

# Each test suite keeps its local state (secret key, media, mail) in a directory of its own, so the two can run
# side by side.
TEST_VAR ?= $(abspath $(or $(OTKLIK_VAR_DIR),var/test))

## make test: everything CI checks, installing what the tests need. The SQLite and the PostgreSQL suites run
## side by side (one per core), each line of their output marked with its database as it comes; the run fails if
## either suite does. The tests that touch no database run in the SQLite suite only.
test: setup system-deps lint typecheck
	@$(MAKE) --no-print-directory -j2 LABEL=1 DB_TESTS_ONLY_ON_PG=1 test-sqlite test-postgres

# With LABEL set, a suite's lines are marked «[SQLite] …» / «[PostgreSQL] …» (two suites writing at once).
labelled = set -o pipefail; $(2) $(if $(LABEL),2>&1 | sed -u 's/^/[$(1)] /')

system-deps:
	@scripts/ensure-system-deps.sh

lint: setup
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts

typecheck: setup
	$(BIN)/mypy
	$(BIN)/otklik check --fail-level WARNING
	$(BIN)/otklik makemigrations --check --dry-run -v1

test-sqlite: setup
	$(call labelled,SQLite,OTKLIK_VAR_DIR=$(TEST_VAR)/sqlite $(BIN)/pytest -q -p no:cacheprovider)

# Within `make test` the PostgreSQL suite leaves the tests that touch no database to the SQLite suite (the same
# result twice; tests/conftest.py says how many); `make test-postgres` alone runs them all.
test-postgres: setup
	$(call labelled,PostgreSQL,OTKLIK_VAR_DIR=$(TEST_VAR)/postgres $(if $(DB_TESTS_ONLY_ON_PG),OTKLIK_DB_TESTS_ONLY=1) scripts/with-postgres.sh $(BIN)/pytest -q -p no:cacheprovider)

bench: setup
	$(BIN)/python bench/worktime/run.py

# Russian texts for third-party admin pages: compile the .po after editing it (GNU gettext's msgfmt; the .mo is
# kept in git so that a clone works without gettext).
MESSAGES := src/otklik/locale/ru/LC_MESSAGES/django
messages:
	msgfmt --check -o $(MESSAGES).mo $(MESSAGES).po

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
