# The commands people type. `make demo` and `make test` are all a fresh machine needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
LANGS := it en fr es ar uk sq ro zh_Hans bn ur pa ps fa_AF ti so
PYTEST_ARGS ?=

.PHONY: demo install migrate messages compilemessages test test-fast lint format check bench clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

# GNU gettext's msgfmt when present (it checks formats strictly); Babel's compiler otherwise,
# so a machine without gettext still gets every language.
compilemessages: install
	@if command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages --ignore=$(VENV) -v0; \
	else $(VENV)/bin/pybabel compile -q -d locale -D django; fi

migrate: install
	$(PY) manage.py migrate --no-input -v0

demo: install compilemessages migrate
	$(PY) manage.py load_demo
	$(PY) -m config.devserver

messages: install
	$(PY) manage.py makemessages --ignore=$(VENV) --ignore=tests --ignore=benchmarks --no-obsolete $(addprefix -l ,$(LANGS))

test: install compilemessages
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

bench: install compilemessages
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
