# Two entry points: `make run` (set up and serve on SQLite with the seeds) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-requirements
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_ALLOW_ASYNC_UNSAFE := true

.PHONY: install run setup test lint check-migrations test-sqlite test-postgres bench clean

install: $(STAMP)

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	cp requirements.txt $(STAMP)

setup: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py setup_demo

run: setup
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install lint-js
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The JS linter comes from npm; reinstall only when the lock file changes (or node_modules goes).
NODE_STAMP := node_modules/.installed-lock

.PHONY: lint-js
lint-js: $(NODE_STAMP)
	node_modules/.bin/biome check annotator/static

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	cp package-lock.json $(NODE_STAMP)

check-migrations: install
	$(BIN)/python manage.py makemigrations --check --dry-run

test: lint check-migrations test-sqlite test-postgres

test-sqlite: install
	DATABASE_URL=sqlite:///:memory: scripts/pytest.sh

test-postgres: install
	scripts/with-postgres.sh scripts/pytest.sh

bench: install
	$(BIN)/python bench/export.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
