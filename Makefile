# Entry points: `make run` (try it: SQLite, the seeds, Django's server) and `make test`;
# in production `make serve` and `make worker` (docs/deploy.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Packages are installed by uv (a fast installer, kept in .tools/, outside the environment),
# or by pip where uv cannot be had. No byte-compiling: modules compile when first imported.
UV := .tools/uv/bin/uv
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check --no-compile
INSTALL = { test -x $(UV) || $(BIN)/python -m pip install --quiet --disable-pip-version-check \
	--target .tools/uv uv==0.13.9; } && $(UV) pip install --quiet --python $(BIN)/python $(1) \
	|| $(PIP) $(1)
STAMP := $(VENV)/.installed-requirements
DEV_STAMP := $(VENV)/.installed-requirements-dev
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install install-dev lock run setup serve worker test lint check-migrations test-sqlite \
	test-postgres bench clean

# What the tool needs to run; test and lint tools come with install-dev (make test).
install: $(STAMP)

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(call INSTALL,-r requirements.txt)
	cp requirements.txt $(STAMP)

install-dev: $(DEV_STAMP)

$(DEV_STAMP): $(STAMP) requirements-dev.txt
	$(call INSTALL,-r requirements.txt -r requirements-dev.txt)
	cp requirements-dev.txt $(DEV_STAMP)

# The checks run when the server starts; skipping them here saves importing everything twice.
# Pin requirements*.in into requirements*.txt, keeping the pins that still fit.
lock: install
	$(UV) pip compile --quiet --python-version 3.11 requirements.in -o requirements.txt
	$(UV) pip compile --quiet --python-version 3.11 requirements-dev.in -o requirements-dev.txt

setup: install
	$(BIN)/python manage.py migrate --no-input --skip-checks
	$(BIN)/python manage.py setup_demo

# Django's development server and a job worker; DEBUG on for 127.0.0.1 only (scripts/run.sh).
run: setup
	scripts/run.sh $(HOST) $(PORT)

# Production: gunicorn on PostgreSQL, settings from the environment (scripts/serve.sh).
serve: install
	scripts/serve.sh $(HOST) $(PORT)

# Runs queued background jobs (claims.jobs) and takes back those of workers that died; run one
# or more beside the app servers.
worker: install
	$(BIN)/python manage.py jobs_worker --no-reload

lint: install-dev lint-js
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

# Both databases at once (scripts/test-databases.sh); test-sqlite / test-postgres run one.
test: lint check-migrations install-dev
	scripts/test-databases.sh

# The browser tests call the ORM from Playwright's event loop.
test-sqlite: install-dev
	DJANGO_ALLOW_ASYNC_UNSAFE=true DATABASE_URL=sqlite:///:memory: scripts/pytest.sh

test-postgres: install-dev
	DJANGO_ALLOW_ASYNC_UNSAFE=true scripts/with-postgres.sh scripts/pytest.sh

bench: install-dev
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/python bench/export.py

clean:
	rm -rf $(VENV) .tools db.sqlite3 staticfiles
