# Two commands matter: `make run` and `make test`. Both are idempotent.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
# The demo shows the 2014 campaign as it stood on this day (deadlines, lateness, reminders).
DEMO_DATE ?= 2014-06-20

.PHONY: run test install check lint format typecheck migrate demo messages web worker clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check ".[dev]"
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo --as-of $(DEMO_DATE)

# Web server, Celery worker and Celery beat (-B) on SQLite and the filesystem
# broker under ./var. Ctrl-C stops all of them.
run: demo
	@echo "Web: http://$(HOST):$(PORT)/   (worker and beat log below)"
	@trap 'kill 0' INT TERM; export CAMPAIGN_CLOCK_DATE=$(DEMO_DATE); \
	$(BIN)/celery -A campaign worker -B --loglevel=INFO --concurrency=2 \
		--schedule=var/celerybeat-schedule & \
	$(BIN)/python manage.py runserver $(HOST):$(PORT) & \
	wait

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: install
	$(BIN)/mypy .

check: install
	@mkdir -p var
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

test: lint typecheck check
	$(BIN)/pytest

# Regenerate the English catalogue after changing user-facing strings.
messages: install
	$(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=var
	$(BIN)/python manage.py compilemessages -l en --ignore=.venv

clean:
	rm -rf $(VENV) var staticfiles
