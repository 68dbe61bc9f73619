# Two commands do everything on a fresh machine: `make run` and `make test`.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-test lint format migrations-check migrate demo superuser clean bench

run: install migrate demo ## Install, migrate, load the demo case and serve on http://127.0.0.1:8000
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install-test lint migrations-check ## Lint, check migrations and run the whole suite
	$(BIN)/pytest

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

lint: install-test ## Check code style with ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test ## Reformat the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install-test ## Fail if a model change has no migration
	$(BIN)/python manage.py makemigrations --check --dry-run

migrate: install
	$(BIN)/python manage.py migrate --no-input

demo: install ## Load the reference case (safe to run again)
	$(BIN)/python manage.py load_demo

superuser: install ## Create an admin login for yourself
	$(BIN)/python manage.py createsuperuser

# The benchmark: see bench/README.md. Override any of these, e.g. `make bench BENCH_REQUESTS=100000`.
BENCH_REQUESTS ?= 1000
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/tracker_bench
BENCH_DURATION ?= 10
BENCH_SKIP_SEED ?=
BENCH_MARKDOWN ?=
BENCH_LABEL ?=

bench: install ## Seed a data set, serve it with gunicorn and measure every public page with wrk
	$(BIN)/python bench/run.py --requests "$(BENCH_REQUESTS)" \
		--database-url "$(BENCH_DATABASE_URL)" --duration "$(BENCH_DURATION)" \
		$(if $(BENCH_SKIP_SEED),--skip-seed) $(if $(BENCH_MARKDOWN),--markdown "$(BENCH_MARKDOWN)") \
		$(if $(BENCH_LABEL),--label "$(BENCH_LABEL)")

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache *.egg-info
