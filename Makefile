# Taskforce: `make run` serves the demo, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Two workers per core keep the suite (with its browser tests) within minutes.
PYTEST_ARGS ?= -n 4

.PHONY: run test lint bench seed-scale lock clean

$(VENV)/.installed: requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

run: $(VENV)/.installed
	DEBUG=True $(PY) manage.py migrate --noinput
	DEBUG=True $(PY) manage.py load_demo
	@echo
	@echo "Taskforce is at http://127.0.0.1:$(PORT)/  (Ctrl-C stops the site, the worker and beat)"
	@echo "Demo sign-ins, all with the password taskforce-demo:"
	@echo "  coordinator@example.org  cochair@example.org  lead@example.org"
	@echo "  member@example.org       observer@example.org admin@example.org (Django admin)"
	@echo
	@trap 'kill 0' INT TERM EXIT; \
	DEBUG=True $(VENV)/bin/celery -A taskforce worker --beat --loglevel=INFO --concurrency=2 & \
	DEBUG=True $(PY) manage.py runserver 127.0.0.1:$(PORT) & \
	wait

test: $(VENV)/.installed
	@$(PY) -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: that is a failure here"; exit 1; fi; \
	exit $$rc

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

seed-scale: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_scale

bench: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_scale
	$(PY) manage.py bench

# Rewrite requirements.lock from pyproject.toml's pins (in a throw-away venv).
lock:
	rm -rf /tmp/taskforce-lock && $(PYTHON) -m venv /tmp/taskforce-lock
	/tmp/taskforce-lock/bin/pip install --quiet --upgrade pip
	$(PYTHON) -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; \
	print('\n'.join(p['dependencies'] + p['optional-dependencies']['dev']))" > /tmp/taskforce-lock/pins.txt
	/tmp/taskforce-lock/bin/pip install --quiet -r /tmp/taskforce-lock/pins.txt
	/tmp/taskforce-lock/bin/pip freeze > requirements.lock

clean:
	rm -rf $(VENV) var db.sqlite3
