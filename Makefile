# usip_cms: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
# make bench: how many articles, and how long each page is measured (seconds).
SIZE ?= 1000
DURATION ?= 10
# Seconds of reads while editors save drafts and publish (make bench).
EDIT_DURATION ?= 120

SHARED_BENCH ?= ../shared/bench
# make serve FRONT_CACHE=varnish: the app behind Varnish.
FRONT_CACHE ?=

.PHONY: run serve reload reload-check bench bench-peers test lint format check-python install \
	install-dev migrate demo demo-reset clean

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' || { \
		echo "usip_cms needs Python 3.12 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>&1)."; \
		echo "Install 3.12 (pyenv reads .python-version) or run: make PYTHON=python3.12 ..."; \
		exit 1; }

$(VENV)/.installed: requirements.txt | check-python
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	mkdir -p var
	$(PY) manage.py migrate --noinput

# Settings derive SITE_URL (absolute links, the printed admin address) from
# HOST and PORT, so the commands that serve or print it get them.
SERVED_AT := HOST=$(HOST) PORT=$(PORT)

# Creates what is missing and keeps what exists (editors' changes, passwords).
demo: migrate
	$(SERVED_AT) $(PY) manage.py load_demo
	$(PY) manage.py renditions

# Puts the demo articles back to the demo text and gives the accounts new passwords.
demo-reset: migrate
	$(SERVED_AT) $(PY) manage.py load_demo --reset

run: demo
	@echo "Serving at http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	$(SERVED_AT) $(PY) manage.py runserver $(HOST):$(PORT)

# Production settings on http://$(HOST):$(PORT)/ under gunicorn
# (deploy/gunicorn.conf.py). A SECRET_KEY is made up for this run unless one
# is given; set REDIS_URL for the page cache and fragments. FRONT_CACHE=varnish:
# Varnish on PORT in front of gunicorn on PORT+1 (deploy/behind_varnish.sh), as
# in production.
serve: install
	mkdir -p var
	@if [ "$(FRONT_CACHE)" = varnish ] && ! command -v varnishd >/dev/null; then \
		apt-get update -qq && apt-get install -y -qq varnish varnish-modules; fi
	export DEBUG=0 SECURE_SSL_REDIRECT=$${SECURE_SSL_REDIRECT:-0} \
		ALLOWED_HOSTS=$${ALLOWED_HOSTS:-127.0.0.1,localhost} \
		SECRET_KEY=$${SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')} \
		$(SERVED_AT) WORKERS=$(WORKERS) \
		&& $(PY) manage.py collectstatic --noinput --verbosity 0 \
		&& $(PY) manage.py migrate --noinput \
		&& $(PY) manage.py renditions \
		&& $(PY) manage.py expire_pages \
		&& echo "Serving at http://$(HOST):$(PORT)/ with $(WORKERS) workers (DEBUG off)" \
		&& if [ "$(FRONT_CACHE)" = varnish ]; then \
			exec deploy/behind_varnish.sh $(VENV)/bin/gunicorn -c deploy/gunicorn.conf.py; \
		else exec $(VENV)/bin/gunicorn -c deploy/gunicorn.conf.py; fi

# Restart `make serve` on PORT without losing a request: new workers with the
# code as it is now, then the old ones finish their requests and exit.
reload:
	@test -f var/gunicorn-$(PORT).pid || { \
		echo "No gunicorn serves port $(PORT) (no var/gunicorn-$(PORT).pid); start one with make serve."; \
		exit 1; }
	kill -HUP $$(cat var/gunicorn-$(PORT).pid)

# Measures it: gunicorn on a free port with the demo, DURATION seconds of
# requests, two restarts (RESTART=hup, upgrade or stop-start); fails if a
# request failed.
RESTART ?= hup
reload-check: demo
	$(PY) deploy/reload_check.py --duration $(DURATION) --workers $(WORKERS) --restart $(RESTART)

# A benchmark, not a test: SIZE articles on PostgreSQL, pages measured with wrk
# under gunicorn, uncached and cached, against a bare Django view. Writes
# var/bench/<time>.md. DATABASE_URL and REDIS_URL may point elsewhere.
bench: install
	command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk)
	export DEBUG=0 SECURE_SSL_REDIRECT=0 ALLOWED_HOSTS=127.0.0.1,localhost \
		DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/usip_bench} \
		REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} CACHE_KEY_PREFIX=usip-bench \
		SECRET_KEY=$${SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')} \
		&& $(PY) manage.py bench --size $(SIZE) --duration $(DURATION) --edit-duration $(EDIT_DURATION)

# The side-by-side benchmark of ../shared/bench: our project (page cache off,
# on, and behind Varnish) beside Wagtail, a bare Django view and nginx.
# Writes var/bench/peers-<time>.md. QUICK=1 for one short round.
bench-peers: install
	command -v varnishd >/dev/null || (apt-get update && apt-get install -y varnish varnish-modules)
	$(PY) manage.py bench_peers --harness $(SHARED_BENCH) $(if $(QUICK),--quick)

test: install-dev
	$(PY) -m pytest

# Fault drills (tests/faults/): the site under gunicorn with a PostgreSQL
# cluster and a redis-server of its own, stopped and paused on purpose; then
# req/s while Redis hangs against the uncached site (var/bench/faults-*.md).
.PHONY: faults
faults: install-dev
	command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk)
	$(PY) -m pytest -m faults
	$(PY) -m tests.faults.bench_redis_hang

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Lint, and no model change without its migration.
.PHONY: check
check: lint
	$(PY) manage.py makemigrations --check --dry-run

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The interface strings' catalogs (locale/): extracted from the templates and
# the code, then compiled. Needs GNU gettext (apt-get install gettext); the
# compiled .mo files are committed, so running the site does not.
.PHONY: messages
messages: install
	$(PY) manage.py makemessages --locale fr --locale ar --no-obsolete \
		--ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*'
	$(PY) manage.py compilemessages --locale fr --locale ar --ignore '.venv/*'

clean:
	rm -rf var .pytest_cache .ruff_cache
