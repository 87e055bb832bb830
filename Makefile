# Two commands: `make run` serves the portal on http://127.0.0.1:8000, `make test` runs every check.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
# Django 6.1 needs Python 3.12 or newer; take the first one this machine has.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.14 $(wildcard /root/.pyenv/versions/3.1[234]*/bin/python3) python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; done)
# The PDFs as UNODC published them (the text renditions stay for tests and as a fallback).
INGEST_FILES ?= $(wildcard fixtures/*.pdf)

.PHONY: run serve worker test lint ingest migrate install bench clean vendor typesetting typesetting-deps typesetting-sweep messages

# The web server and one task worker (e-mail, admin ingests); Ctrl-C stops both.
WORKER := $(MANAGE) db_worker --queue-name '*' --no-reload
run: $(VENV)/.installed migrate ingest
	@$(WORKER) & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	$(MANAGE) runserver 127.0.0.1:8000

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

# Front-end packages from package-lock.json: axe-core for the accessibility tests, htmx,
# whose copy in static/vendor/ is committed so that `make run` needs no npm, and world-atlas
# (Natural Earth's country outlines), converted once into projects/data/world-110m.json.
node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

vendor: node_modules/.installed $(VENV)/.installed
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js
	$(MANAGE) build_world_map

migrate: $(VENV)/.installed
	$(MANAGE) migrate --no-input -v 0

ingest: migrate
	$(MANAGE) ingest $(INGEST_FILES)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

# The typesetting tests (tests/typesetting) render PDFs and read them back without touching
# the database, so they run in the SQLite pass only: when DATABASE_URL points at PostgreSQL
# they would only repeat the same ~2 minutes of rendering (`make typesetting` runs them alone).
# Every CI rendition of both documents reads exactly as its text rendition (issue 11).
TEST_MARKERS := $(if $(DATABASE_URL),-m "not typesetting",)

# One test process per CPU (pytest-xdist); the renditions and the ops tests each stay in one
# worker (their xdist_group). TEST_JOBS=0 runs everything in this process.
TEST_JOBS ?= auto

test: lint node_modules/.installed typesetting-deps
	$(BIN)/python -m pytest -n $(TEST_JOBS) --dist loadgroup $(TEST_MARKERS)

typesetting: $(VENV)/.installed typesetting-deps
	$(BIN)/python -m pytest -m typesetting tests/typesetting

# What the typesetting generator needs from Debian: LibreOffice (one of its two PDF producers),
# the fonts it draws from, and Pango/HarfBuzz for WeasyPrint (installed when missing and
# apt-get is at hand, as root).
TYPESETTING_DEBS := libreoffice-writer-nogui fonts-dejavu fonts-liberation fonts-liberation2 \
	fonts-noto-core hyphen-en-us poppler-utils libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
typesetting-deps:
	@missing=$$(for p in $(TYPESETTING_DEBS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		{ command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; } \
			|| { echo "Debian packages needed: apt-get install" $$missing >&2; exit 1; }; \
		echo "Installing" $$missing; \
		apt-get install -y -qq --no-install-recommends $$missing >/dev/null \
			|| { apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null; }; \
	fi

# N random typesettings of the brochure and the report (WeasyPrint and LibreOffice), each read
# back: prints how many read exactly and, for the others, the first differing field and the
# typesetting; their PDFs are kept in var/typesetting-sweep/. SEED=… repeats a sweep.
N ?= 200
typesetting-sweep: $(VENV)/.installed typesetting-deps
	$(BIN)/python -m tests.typesetting.sweep -n $(N) $(if $(SEED),--seed $(SEED),)

# Production settings (DJANGO_DEBUG=0) under gunicorn, configured by the environment: DATABASE_URL,
# WEB_CONCURRENCY, GUNICORN_THREADS, PORT... (see gunicorn.conf.py and README "Deploying"), with
# TASK_WORKERS task workers beside it (default 1; 0 when workers run elsewhere: `make worker`).
# Without DJANGO_SECRET_KEY it is a local trial: a key is generated once into var/dev-secret-key
# and the HTTPS redirect is off, as there is no TLS in front of it.
DEV_SECRET := var/dev-secret-key
serve: $(VENV)/.installed
	@export DJANGO_DEBUG="$${DJANGO_DEBUG:-0}"; \
	if [ -z "$$DJANGO_SECRET_KEY" ]; then \
		mkdir -p $(dir $(DEV_SECRET)); \
		test -s $(DEV_SECRET) || $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(60))' > $(DEV_SECRET); \
		export DJANGO_SECRET_KEY="$$(cat $(DEV_SECRET))"; \
		export DJANGO_SECURE_SSL_REDIRECT="$${DJANGO_SECURE_SSL_REDIRECT:-0}"; \
		echo "DJANGO_SECRET_KEY is not set: using the local key in $(DEV_SECRET), HTTPS redirect off."; \
		echo "Set DJANGO_SECRET_KEY (and DATABASE_URL, DJANGO_ALLOWED_HOSTS) for a real deployment."; \
	fi; \
	if [ "$${SERVE_MIGRATE:-1}" = 1 ]; then $(MANAGE) migrate --no-input -v 0 || exit 1; fi; \
	$(MANAGE) collectstatic --no-input -v 0 || exit 1; \
	workers=(); for _ in $$(seq $${TASK_WORKERS:-1}); do $(WORKER) -v 0 & workers+=($$!); done; \
	$(BIN)/gunicorn -c gunicorn.conf.py & web=$$!; \
	trap 'kill $$web $${workers[@]} 2>/dev/null' INT TERM; \
	wait $$web; status=$$?; kill $${workers[@]} 2>/dev/null; wait; exit $$status

# Task workers alone (TASK_WORKERS of them, default 1), e.g. on a machine of their own beside
# the gunicorn instances: same environment (DATABASE_URL, mail settings) as the web processes.
worker: $(VENV)/.installed
	@export DJANGO_DEBUG="$${DJANGO_DEBUG:-0}"; \
	if [ -z "$$DJANGO_SECRET_KEY" ] && [ -s $(DEV_SECRET) ]; then \
		export DJANGO_SECRET_KEY="$$(cat $(DEV_SECRET))"; fi; \
	workers=(); for _ in $$(seq $${TASK_WORKERS:-1}); do $(WORKER) & workers+=($$!); done; \
	trap 'kill $${workers[@]} 2>/dev/null' INT TERM; wait

# Ingest timings, then the web figures: a synthetic 10,000-project portfolio in a scratch
# PostgreSQL database (BENCH_DATABASE_URL, dropped and re-created), served by gunicorn, loaded
# with wrk (Debian package `wrk`, installed here when missing and apt-get is at hand).
bench: $(VENV)/.installed
	@command -v wrk >/dev/null || { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] \
		&& { echo "Installing wrk (apt-get install wrk)"; apt-get install -y -qq wrk >/dev/null \
		|| { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }; }; } \
		|| { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
	$(BIN)/python -m tests.bench

# Lighthouse (npm, pinned) on the overview, list, a project, the shortlist and the interest form,
# served by gunicorn with production settings from a scratch database of the fixtures; drives
# Debian's Chromium (CHROME_PATH). Prints the four scores per page; not part of `make test`.
lighthouse: $(VENV)/.installed node_modules/.installed
	$(BIN)/python -m tests.lighthouse

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache node_modules var

# French and Spanish catalogues: extract the marked strings into locale/*/LC_MESSAGES/django.po
# (GNU gettext: apt-get install gettext), translate what is new, then compile the .mo files
# that are committed beside them.
messages: $(VENV)/.installed
	$(MANAGE) makemessages -l fr -l es --no-obsolete -i '.venv/*' -i 'node_modules/*' -i 'var/*' -i 'staticfiles/*' -i 'tests/*'
	$(MANAGE) compilemessages -l fr -l es
