# The two commands: `make run` (serve the app on SQLite) and `make test` (the whole suite).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install install-dev catalogues messages run serve test bench bench-load mutation lint format check clean

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

$(VENV)/.installed-mutation: $(VENV)/.installed-dev requirements-mutation.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-mutation.txt
	touch $@

# The Nu HTML Checker for the tests, from the npm registry (package-lock.json pins it). Its
# install script, which would download a Java runtime, is not run: the machine's Java runs it.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "npm not found: the Nu HTML Checker's tests will be skipped (install Node.js and npm to run them)"; \
	fi

install: $(VENV)/.installed catalogues
install-dev: $(VENV)/.installed-dev node_modules/.installed catalogues

## catalogues: compile the interface's translations (locale/*/django.po) with translate-toolkit: no gettext needed
catalogues: $(VENV)/.installed
	DJANGO_DEBUG=1 $(BIN)/python manage.py compile_catalogues -v 0

## messages: gather the marked strings into the catalogues (needs GNU gettext: apt-get install gettext)
messages: install-dev
	DJANGO_DEBUG=1 $(BIN)/python manage.py update_catalogues

## run: install, migrate SQLite, load the seed data if empty, ensure an admin account, serve on :8000
run: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 $(BIN)/python manage.py load_seed
	DJANGO_DEBUG=1 $(BIN)/python manage.py ensure_admin --site http://$(HOST):$(PORT)
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

## test: install the test tools and run the whole suite (on PostgreSQL when DATABASE_URL is set)
test: install-dev
	$(BIN)/pytest $(PYTEST_ARGS)

## bench: the scale benchmark, on throwaway databases (SQLite; PostgreSQL too when DATABASE_URL is set)
## e.g. make bench BENCH_ARGS="--sizes 100,1000 --repeat 5"
bench: install-dev
	$(BIN)/python bench/run.py $(BENCH_ARGS)

## bench-load: gunicorn (3 workers) on PostgreSQL with 10,000 tasks x 10 updates, driven by wrk on loopback
bench-load: install-dev
	command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	$(BIN)/python bench/load.py $(LOAD_ARGS)

## mutation: mutmut 3 over the modules listed in pyproject.toml's [tool.mutmut]; slow, so not part of `make test`.
## Each mutant runs only the tests that reach its function, on a copy of a database migrated once; a re-run
## tests only the functions changed since.
## e.g. make mutation MUTATION_CHILDREN=4; `.venv/bin/mutmut show NAME` shows one mutant
MUTATION_CHILDREN ?= 2
MUTATION_DB = $(CURDIR)/$(VENV)/mutation-template.sqlite3
mutation: $(VENV)/.installed-mutation catalogues
	rm -rf $(MUTATION_DB) $(VENV)/mutation-runs
	DJANGO_DEBUG=1 DATABASE_URL=sqlite:///$(MUTATION_DB) $(BIN)/python manage.py migrate -v 0
	ROADMAP_TEST_DB_TEMPLATE=$(MUTATION_DB) $(BIN)/mutmut run --max-children $(MUTATION_CHILDREN)
	$(BIN)/mutmut results

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: lint
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache mutants locale/*/LC_MESSAGES/*.mo
