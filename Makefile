# The two commands of the README: `make run` and `make test`. Everything else is a step of them.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed-$(shell sha256sum requirements-dev.lock | cut -c1-12)

# Production-like values for the checks and the tests (never used to serve anything).
TEST_ENV := DEBUG=false \
	SECRET_KEY=test-only-8c1f0e3b9a7d4c2e6f5b1a0d9c8e7f6a5b4c3d2e1f0a9b8c7d6e5f4 \
	ALLOWED_HOSTS=testserver,localhost,127.0.0.1,guichet.example.gouv.fr \
	CSRF_TRUSTED_ORIGINS=https://guichet.example.gouv.fr \
	SITE_URL=https://guichet.example.gouv.fr \
	DEFAULT_FROM_EMAIL=ne-pas-repondre@guichet.example.gouv.fr

.PHONY: run test install lint check pytest browser db-stop lock clean bench wrk

install: $(STAMP)

$(STAMP): requirements-dev.lock
	@test -n "$(PYTHON)" || { echo "Python 3.11 est introuvable : installez python3.11."; exit 1; }
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 requis"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-dev.lock
	rm -f $(VENV)/.installed-*
	touch $@

# The development server answers each client in a thread of its own: a connection per request
# (none kept by an idle keep-alive thread) and at most 20 at once, queued beyond (the embedded
# PostgreSQL accepts 100). tests/production/test_serveur_de_developpement.py runs this line.
RUN_DB := DATABASE_CONN_MAX_AGE=$${DATABASE_CONN_MAX_AGE:-0} DATABASE_CONNEXIONS_MAX=$${DATABASE_CONNEXIONS_MAX:-20}

# Links in e-mails come from SITE_URL: without one, it follows PORT so a demo on another port works.
# Every step gets it (migrate writes it in the Site row too).
RUN_ENV = DEBUG=$${DEBUG:-true} SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)}

run: install
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py import_territoires
	$(RUN_ENV) $(BIN)/python manage.py charger_demo
	@echo ""
	@echo "Le portail est servi sur http://127.0.0.1:$(PORT)/ (administration : /gestion/)"
	$(RUN_ENV) $(RUN_DB) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install browser lint check pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo

check: install
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(TEST_ENV) SECURE_SSL_REDIRECT=true $(BIN)/python manage.py check --deploy --fail-level WARNING

# Over every core (pytest-xdist, one test database per worker; tests handed out in collection
# order, so each worker runs pytest-django's transactional tests after the others, as a single
# process does: their flush would empty the communes loaded once per worker). One test at a
# time, a module with a costly module fixture as one unit (xdist_group): xdist's default
# (--dist load) handed a quarter of what was left to a worker running low, and one worker then
# ran the last 235 s alone. The long tests head their group (tests/conftest.py).
# PYTEST_WORKERS=0 runs in this process, e.g. to debug one test.
PYTEST_WORKERS ?= auto
pytest: install
	$(TEST_ENV) SECURE_SSL_REDIRECT=false $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup --no-loadscope-reorder $(PYTEST_ARGS)

# The browser tests drive Debian's chromium; install it when it is missing and we are allowed to.
browser:
	@if command -v chromium >/dev/null 2>&1; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installation du paquet Debian chromium…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
		sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "Le navigateur chromium est requis pour les tests : sudo apt-get install chromium"; exit 1; \
	fi; \
	command -v chromium >/dev/null || { echo "L'installation de chromium a échoué."; exit 1; }

# Performance benchmark (not part of `make test`): see "Banc d'essai" in the README.
# BENCH_QUICK=1 for a smaller dataset and shorter rounds.
bench: install wrk
	$(BIN)/python -m benchmarks.run

# The load generator of the benchmark: Debian's wrk, installed when missing and allowed.
wrk:
	@if command -v wrk >/dev/null 2>&1; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installation du paquet Debian wrk…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
		sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	else \
		echo "Le banc d'essai utilise wrk : sudo apt-get install wrk"; exit 1; \
	fi; \
	command -v wrk >/dev/null || { echo "L'installation de wrk a échoué."; exit 1; }

db-stop: install
	$(BIN)/python -m guichet.embedded_db stop

# Regenerate the lock files after a change of pyproject.toml.
lock: install
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -o requirements.lock -q
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements-dev.lock -q

clean:
	rm -rf $(VENV) .data/staticfiles
