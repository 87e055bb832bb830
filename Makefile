# Two commands: `make run` serves the portal on http://127.0.0.1:8000, `make test` runs every check.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
# Django 6.1 needs Python 3.12 or newer; take the first one this machine has.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.14 $(wildcard /root/.pyenv/versions/3.1[234]*/bin/python3) python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; done)
INGEST_FILES ?= $(wildcard fixtures/*.txt)

.PHONY: run test lint ingest migrate install bench clean vendor

run: $(VENV)/.installed migrate ingest
	$(MANAGE) runserver 127.0.0.1:8000

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

# Front-end packages from package-lock.json: axe-core for the accessibility tests, and htmx,
# whose copy in static/vendor/ is committed so that `make run` needs no npm.
node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

vendor: node_modules/.installed
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js

migrate: $(VENV)/.installed
	$(MANAGE) migrate --no-input -v 0

ingest: migrate
	$(MANAGE) ingest $(INGEST_FILES)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

test: lint node_modules/.installed
	$(BIN)/python -m pytest

bench: $(VENV)/.installed
	$(BIN)/python -m tests.bench

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache node_modules var
