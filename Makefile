# The two commands of the README: `make run` and `make test`; `make serve` for production.
# Everything else is a helper.
SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: run serve test setup setup-dev lint format check-migrations messages bench

run: setup
	$(PY) manage.py migrate --no-input -v0
	$(PY) manage.py load_reference
	$(PY) manage.py load_demo
	@echo ""
	@echo "  Jumelage runs at http://127.0.0.1:$(PORT)/espace/ (the officers' workspace; sign in),"
	@echo "  http://127.0.0.1:$(PORT)/admin/ (back office), http://127.0.0.1:$(PORT)/suresnes/ (public page)"
	@echo "  and http://127.0.0.1:$(PORT)/api/v1/projects (API)"
	@echo "  Sign in as admin, officer, contributor or viewer (Suresnes) or officer2 (the fictional"
	@echo "  second authority), password: $${JUMELAGE_DEMO_PASSWORD:-demo}"
	@echo "  The task worker (spreadsheet jobs, e-mails) runs beside the server; Ctrl-C stops both."
	@echo ""
	scripts/with-worker.sh $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Production, from the environment (DEBUG=false, SECRET_KEY, ALLOWED_HOSTS, PORT...): gunicorn
# and the task worker. See docs/operators.md.
serve: setup
	PORT=$(PORT) scripts/serve.sh

test: setup-dev
	scripts/ensure-chromium.sh
	$(VENV)/bin/pytest $(PYTEST_ARGS)

setup:
	scripts/bootstrap.sh

setup-dev:
	scripts/bootstrap.sh dev

lint: setup-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check-migrations: setup-dev
	$(PY) manage.py makemigrations --check --dry-run

# Refresh the French catalogue after changing strings; translate the new entries, then compile.
messages: setup-dev
	$(PY) manage.py makemessages -l fr --ignore=.venv --ignore=bench --ignore=node_modules --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv

bench: setup-dev
	$(PY) bench/run.py
