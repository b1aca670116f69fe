# MotCua: `make run` serves the demo province, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/motcua
HOST ?= 127.0.0.1:8000

.PHONY: browsers softhsm messages run test test-sqlite test-postgres lint typecheck bench demo worker clean venv

venv: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "MotCua needs Python 3.11 or newer"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

demo: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo

run: demo
	DEBUG=1 $(PY) manage.py runserver $(HOST)

worker: $(STAMP)
	$(PY) manage.py db_worker --queue-name default,notify

# Debian's Chromium for the page tests (Playwright drives it); installed once, when missing.
browsers:
	@command -v chromium >/dev/null 2>&1 || test -x /usr/bin/chromium || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "No root: browser tests will be skipped. Install the 'chromium' package."; fi; }

# Debian's SoftHSM2 for the tests of keys in a PKCS#11 token (docs/signing.md); installed once, when missing.
softhsm:
	@test -e /usr/lib/softhsm/libsofthsm2.so || { \
	  echo "Installing Debian's softhsm2 for the PKCS#11 signing tests"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq softhsm2; \
	  elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq softhsm2; \
	  else echo "No root: PKCS#11 signing tests will be skipped. Install the 'softhsm2' package."; fi; }

# The whole suite: on DATABASE_URL if set; otherwise on SQLite, and on PostgreSQL too when one answers.
test: $(STAMP) browsers softhsm
	@bash scripts/test.sh

test-sqlite: $(STAMP)
	DATABASE_URL=sqlite:///:memory: $(PY) -m pytest -n auto

test-postgres: $(STAMP)
	DATABASE_URL=$(PG_URL) $(PY) -m pytest -n auto

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy motcua

bench: $(STAMP)
	$(PY) -m bench

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .hypothesis

# Refresh the Vietnamese message catalog after changing user-facing strings, then translate and compile.
messages: $(STAMP)
	$(PY) manage.py makemessages -l vi --ignore ".venv/*" --ignore "bench/*" --no-obsolete
	$(PY) manage.py compilemessages --ignore ".venv/*"
