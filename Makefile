# Two commands: `make run` (install, migrate, demo data, serve) and `make test` (the whole suite).
# Both are idempotent: the second run only checks what is already there.

SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# System packages: Graphviz draws Table 4; Pango/HarfBuzz/fontconfig lay out the PDF (WeasyPrint);
# poppler-utils reads PDFs back in tests and turns them into images; Chromium runs browser tests.
# librsvg2-bin rasterises chart SVGs for the Word export; LibreOffice opens that .docx in a test.
APT_PACKAGES := graphviz fontconfig libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
	poppler-utils chromium fonts-thai-tlwg librsvg2-bin libreoffice-writer-nogui
SYSTEM_STAMP := var/.system-ok
VENV_STAMP := $(VENV)/.installed

-include .env
export

.PHONY: run test system venv migrate demo serve worker lint format browser-test clean bpmn-tools

$(SYSTEM_STAMP):
	@missing=""; \
	for pkg in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages:$$missing"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@mkdir -p var && touch $@

system: $(SYSTEM_STAMP)

# bpmn-moddle (the parser bpmn.io uses) checks our BPMN export in the tests: Node and npm from
# Debian, the package pinned by tools/bpmn/package-lock.json.
BPMN_STAMP := tools/bpmn/node_modules/.installed
$(BPMN_STAMP): tools/bpmn/package-lock.json
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends nodejs npm; }
	npm ci --prefix tools/bpmn --no-audit --no-fund --loglevel=error
	@touch $@

bpmn-tools: $(BPMN_STAMP)

$(VENV_STAMP): pyproject.toml | $(SYSTEM_STAMP)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	@touch $@

venv: $(VENV_STAMP)

migrate: venv
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: demo
	@echo "Serving at http://$(HOST):$(PORT)  (PDF worker runs alongside; Ctrl-C stops both)"
	@$(PY) manage.py db_worker --interval 1 & worker=$$!; \
	trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

worker: migrate
	$(PY) manage.py db_worker

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: venv bpmn-tools
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

browser-test: venv
	$(PY) -m pytest -m browser $(PYTEST_ARGS)

clean:
	rm -rf var/cache var/media var/pdf
