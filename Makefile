# Chorus — the two commands: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test lint types contracts unit browser-deps report-deps servers install dev clean messages

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(STAMP)
dev: $(DEV_STAMP)

## Start Chorus: SQLite in var/, web server and worker together, at http://127.0.0.1:8000
run: $(STAMP) report-deps
	$(VENV)/bin/chorus serve

## Pango for WeasyPrint's PDF reports, needed when Chorus runs, not only in tests (Debian's packages; only as root)
report-deps:
	@# WeasyPrint (PDF reports) draws text with Pango, from the system.
	@if ! ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0'; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; \
	  else echo "Pango is missing: PDF reports cannot be built (install libpango-1.0-0 and libpangoft2-1.0-0)."; fi; \
	fi

## Chromium for the browser tests, poppler-utils for the PDF report tests (Debian's packages; only as root on Debian, where it can be installed)
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium is missing: browser tests will be skipped (install the chromium package)."; fi; \
	fi
	@# pdftotext / pdftoppm read back the PDF reports in the tests (Debian's poppler-utils).
	@if ! command -v pdftotext >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; \
	  else echo "pdftotext is missing: the report tests will fail (install the poppler-utils package)."; fi; \
	fi

## Real servers the tests talk to (Synapse, Bluesky PDS), installed once in ~/.cache
servers: $(DEV_STAMP)
	@for server in tests/servers/*.py; do \
	  [ -f "$$server" ] || continue; name=$$(basename $$server .py); \
	  [ "$$name" = "__init__" ] && continue; \
	  $(PY) -m tests.servers.$$name --install || exit 1; \
	done

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check $(wildcard chorus tests bench)
	$(VENV)/bin/ruff format --check $(wildcard chorus tests bench)

types: $(DEV_STAMP)
	$(VENV)/bin/mypy chorus

## The loop's layers (import-linter) and models that match their migrations
contracts: $(DEV_STAMP)
	PYTHONPATH=. $(VENV)/bin/lint-imports
	CHORUS_SECRET_KEY=contracts-only $(PY) -m django makemigrations --check --dry-run --settings=chorus.settings

unit: $(DEV_STAMP)
	$(VENV)/bin/pytest -q

## The whole suite: lint, types, unit, integration, browser tests
test: $(DEV_STAMP) browser-deps report-deps servers lint types contracts unit

messages: $(DEV_STAMP)
	cd chorus && ../$(PY) -m django makemessages -l fr --no-obsolete && ../$(PY) -m django compilemessages

clean:
	rm -rf $(VENV) var/static
