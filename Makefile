# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench lint format install messages demo check clean

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
run: SITE_URL ?= http://$(HOST):$(PORT)
run: export SITE_URL := $(SITE_URL)
run: install messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo "Serving the portal at http://$(HOST):$(PORT)/ — links in messages use SITE_URL=$(SITE_URL)"
	$(PY) manage.py runserver $(HOST):$(PORT)

demo: install messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo

test: install messages
	$(PY) -m pytest $(PYTEST_ARGS)

bench: install messages
	$(PY) manage.py bench

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
