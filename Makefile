# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# bench-national: see portal/national.py (PostgreSQL only; LOAD_SECONDS per page, default 10).
.PHONY: run test bench bench-national lint format install messages demo check clean

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

install: $(VENV)/.installed

# Compiled catalogues are build output: made from the committed .po files.
messages: install
	$(PY) manage.py compilemessages --ignore=.venv -v0

# Links in e-mails, SMS, letters and QR codes use SITE_URL; by default the address served.
# Without REDIS_URL the worker and the web server share a queue in files (var/celery):
# a real Celery worker beside the web server, no extra service. Ctrl-C stops both.
WORKER_CONCURRENCY ?= 2
run: SITE_URL ?= http://$(HOST):$(PORT)
run: export SITE_URL := $(SITE_URL)
run: install messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo "Serving the portal at http://$(HOST):$(PORT)/ — links in messages use SITE_URL=$(SITE_URL)"
	CELERY_EMBEDDED=$${CELERY_EMBEDDED:-true}; export CELERY_EMBEDDED; \
	$(VENV)/bin/celery -A portal worker --beat --loglevel=INFO --concurrency=$(WORKER_CONCURRENCY) \
		--without-gossip --without-mingle --without-heartbeat & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; timeout 15 tail --pid=$$worker -f /dev/null; kill -9 $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

demo: install messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo

test: install messages
	$(PY) -m pytest $(PYTEST_ARGS)

bench: install messages
	$(PY) manage.py bench

BENCH_SECRET ?= bench-national-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz
bench-national: install messages
	SECRET_KEY=$${SECRET_KEY:-$(BENCH_SECRET)} $(PY) manage.py migrate --noinput -v0
	SECRET_KEY=$${SECRET_KEY:-$(BENCH_SECRET)} $(PY) manage.py collectstatic --noinput -v0
	SECRET_KEY=$${SECRET_KEY:-$(BENCH_SECRET)} $(PY) manage.py bench_national $(BENCH_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check: install
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
