# Two commands do all set-up on a fresh machine: `make demo` and `make test` (see README.md).
SHELL := /bin/bash
PY := .venv/bin/python
UV := python3 -m uv
PG_URL ?= postgres://postgres@127.0.0.1:5432/truongchuan
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install install-python install-node install-system demo serve test test-sqlite test-postgres lint bench preview prod-check clean

install: install-python install-node

# uv itself comes from PyPI; uv.lock pins every Python package.
install-python:
	@python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet --disable-pip-version-check uv
	$(UV) sync --frozen --quiet

# Bootstrap, Bootstrap Icons and Chart.js from npm, pinned by package-lock.json.
install-node:
	@if [ ! -d node_modules/bootstrap ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
		npm ci --no-audit --no-fund --loglevel=error; fi

# Debian packages the test suite drives for real: Chromium (browser tests), LibreOffice
# (docx → PDF), poppler-utils (PDF → text/PNG) and Liberation fonts (metric-compatible with
# Times New Roman, so PDFs paginate like Word).
# fonts-liberation2: Times New Roman's metric twin with Vietnamese glyphs, for the PDFs.
# fonts-liberation 1.x (no Vietnamese) still comes with chromium, so documents/fonts.conf hides
# it from LibreOffice rather than relying on which of the two same-named families wins.
SYSTEM_PACKAGES := chromium libreoffice-writer-nogui poppler-utils fonts-liberation2
install-system:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Cài gói hệ thống:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_units
	$(PY) manage.py load_frameworks
	$(PY) manage.py load_demo
	$(PY) manage.py load_programme_demo
	$(PY) manage.py refresh_recognition_status
	$(PY) manage.py load_assessment_demo
	$(PY) manage.py load_evaluation_demo
	@HOST="$(HOST)" PORT="$(PORT)" $(PY) manage.py demo_accounts
	HOST="$(HOST)" TC_PORT="$(PORT)" $(PY) -m honcho -f Procfile.dev start

# The web server and the background worker (PDFs), as `make demo` runs them (Procfile.dev).
serve:
	HOST="$(HOST)" TC_PORT="$(PORT)" $(PY) -m honcho -f Procfile.dev start

lint: install-python
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run >/dev/null

test: install install-system lint
	$(PY) -m pytest -n auto --dist loadfile

test-postgres: install install-system
	DATABASE_URL=$(PG_URL) $(PY) -m pytest -n auto --dist loadfile

bench: install
	$(PY) -m bench

# Every demo document (statistics, six-month report, plans; each demo self-assessment's
# decision, plan, sheets, report, catalogue, improvement plan) as .docx, PDF (LibreOffice) and a
# PNG of every page under build/preview/, with the document check's findings, on a database of
# its own (db.sqlite3 is left alone).
PREVIEW_DB := build/preview/demo.sqlite3
preview: install install-system
	@mkdir -p build/preview && rm -f $(PREVIEW_DB)
	@export DATABASE_URL=sqlite:///$(PREVIEW_DB); set -e; \
	$(PY) manage.py migrate --noinput >/dev/null; \
	$(PY) manage.py load_units >/dev/null; \
	$(PY) manage.py load_frameworks >/dev/null; \
	$(PY) manage.py load_demo >/dev/null; \
	$(PY) manage.py load_programme_demo >/dev/null; \
	$(PY) manage.py refresh_recognition_status >/dev/null; \
	$(PY) manage.py load_assessment_demo; \
	$(PY) manage.py load_evaluation_demo >/dev/null; \
	$(PY) manage.py preview_report --output-dir build/preview

# The production stack (deploy/: gunicorn + WhiteNoise, db_worker, scheduler; DEBUG=0) on a
# PostgreSQL database of its own, with a smoke test through it; every process stopped by SIGTERM.
PRODCHECK_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/truongchuan_prodcheck
prod-check: install install-system
	PRODCHECK_DATABASE_URL=$(PRODCHECK_DATABASE_URL) $(PY) deploy/prod_check.py

clean:
	rm -rf .venv node_modules build db.sqlite3* media
