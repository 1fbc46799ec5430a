# Markedsplassen: `make run` and `make test` do all the set-up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
VENDOR := static/vendor/.installed
MO := marketplace/locale/nb/LC_MESSAGES/django.mo
PYTEST_ARGS ?= -n 2

.PHONY: run test bench install assets messages migrate demo check clean

run: install assets messages
	DEBUG=$${DEBUG:-true} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-true} $(PY) manage.py seed_demo --if-empty
	@echo "Markedsplassen: open http://127.0.0.1:$${PORT:-8000}/ (demo users are listed in README.md, password: demo-passord)"
	DEBUG=$${DEBUG:-true} PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/honcho -f Procfile.dev start

test: install assets messages chromium
	$(PY) -m pytest $(PYTEST_ARGS)

bench: install assets messages
	$(PY) -m bench $(BENCH_ARGS)

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

assets: $(VENDOR)

$(VENDOR): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p static/vendor
	cp node_modules/@digdir/designsystemet-css/dist/src/index.css static/vendor/designsystemet.css
	cp node_modules/@digdir/designsystemet-theme/brand/digdir.css static/vendor/designsystemet-theme.css
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js
	cp node_modules/axe-core/axe.min.js static/vendor/axe.min.js
	touch $@

# Translations are committed as .po files and compiled here (msgfmt comes with Debian's gettext).
messages: install
	command -v msgfmt >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext)
	DEBUG=true $(PY) manage.py compilemessages --ignore '.venv' --ignore 'node_modules' -v 0

# Browser journeys run in Debian's Chromium; install it when the machine lacks it.
chromium:
	test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

check: install
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles var
