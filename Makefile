# Yixian Safety — the two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1:8000

.PHONY: run test install lint messages worker beat bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Exact versions from requirements.lock (regenerate with `make lock` after changing pyproject.toml).
$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.lock
	touch $@

install: $(VENV)/.installed

lock: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	$(BIN)/pip freeze --exclude-editable > requirements.lock

# Compressing the vendored assets takes ~40 s on an idle machine (minutes on a busy one): only
# when our static files or packages changed.
var/staticfiles/staticfiles.json: $(shell find static -type f) $(VENV)/.installed
	@echo "Collecting and compressing the static files (first run: up to a few minutes)…"
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

run: install var/staticfiles/staticfiles.json
	$(BIN)/python manage.py migrate --noinput
	DEMO_TODAY= $(BIN)/python manage.py seed_demo
	@echo "Serving on http://$(HOST)/  (Ctrl-C to stop)$${DEMO_TODAY:+ — pretending today is $$DEMO_TODAY}"
	$(BIN)/python manage.py runserver --noreload $(HOST)

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

messages: install
	$(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=static
	$(BIN)/python manage.py compilemessages -l zh_Hans --ignore=.venv

worker: install
	$(BIN)/celery -A yixian_safety worker --loglevel=info

beat: install
	$(BIN)/python manage.py setup_schedules
	$(BIN)/celery -A yixian_safety beat --loglevel=info --scheduler django_celery_beat.schedulers:DatabaseScheduler

bench: install
	$(BIN)/python benchmarks/dashboard_bench.py 2000 20000
