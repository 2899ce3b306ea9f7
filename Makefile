# Waiban: `make run` for a demo on http://127.0.0.1:8000 (web server and background worker),
# `make test` for the test suite.
# Everything installs into .venv; system packages (Chromium, CJK fonts) via `make setup-system`.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VAR_DIR := $(or $(WAIBAN_VAR_DIR),var)
HOST := 127.0.0.1:8000

.PHONY: run test lint venv setup-system bench bench-notices

venv: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when pyproject.toml changed since the last install.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: venv
	@mkdir -p "$(VAR_DIR)"
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --if-empty
	@echo
	@echo "Waiban runs on http://$(HOST)  (admin: http://$(HOST)/admin/)  -- Ctrl+C to stop"
	@echo
	@# The background worker (documents, reminders, daily jobs) runs beside the web server and
	@# stops with it, however runserver ends.
	@# Both share one cache of reference data (a folder), so a change either makes counts in
	@# the other at once.
	@export DJANGO_DEBUG=1 WAIBAN_CACHE_URL="$${WAIBAN_CACHE_URL:-file://$(abspath $(VAR_DIR))/cache}"; \
	$(BIN)/python manage.py worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST)

test: venv
	@mkdir -p "$(VAR_DIR)"
	$(BIN)/pytest $(PYTEST_ARGS)

lint: venv
	@mkdir -p "$(VAR_DIR)"
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

# Chromium for the browser tests, CJK fonts for PDFs and screenshots, gettext for messages.
setup-system:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing="$$missing fonts-noto-cjk"; \
	command -v msgfmt >/dev/null 2>&1 || missing="$$missing gettext"; \
	command -v $(PYTHON) >/dev/null 2>&1 || missing="$$missing python3"; \
	$(PYTHON) -c 'import ensurepip' >/dev/null 2>&1 || missing="$$missing python3-venv"; \
	if [ -z "$$missing" ]; then echo "System packages: all present."; exit 0; fi; \
	sudo=""; [ "$$(id -u)" = 0 ] || sudo="sudo"; \
	echo "Installing:$$missing"; \
	$$sudo apt-get update && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing

# Waiban under gunicorn next to a raw WSGI + psycopg baseline, on >= 1,000,000 delegations in
# PostgreSQL (loaded once with seed_demo, reused afterwards): prints one table, writes
# bench/results/<timestamp>.json. DATABASE_URL defaults to the waiban_scale database.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/waiban_scale
bench: venv
	@command -v wrk >/dev/null 2>&1 || { sudo=""; [ "$$(id -u)" = 0 ] || sudo="sudo"; \
		$$sudo apt-get update && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y wrk; }
	DATABASE_URL=$${DATABASE_URL:-$(BENCH_DATABASE_URL)} $(BIN)/python bench/web_bench.py $(BENCH_ARGS)

# Notices (bench/notices_bench.py): what telling people adds to a move of a case, and delivering
# the notices per channel. A throw-away SQLite file, or with DATABASE_URL that PostgreSQL server
# (in a database of its own, waiban_bench_notices). BENCH_ARGS="--quick" for 500 moves.
bench-notices: venv
	$(BIN)/python bench/notices_bench.py $(BENCH_ARGS)
