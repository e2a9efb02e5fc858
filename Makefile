# ECPSC back office — everyday commands (see README.md).
#
#   make run                 serve the API on http://127.0.0.1:8000 (embedded SQLite store in ./var/)
#   make run PORT=8001       ... on another port (HOST=0.0.0.0 to listen on every interface)
#   make demo                fill ./var/'s empty store with demonstration data; prints the staff's
#                            sign-in names, passwords and API tokens (DEMO_CERTIFICATES=200)
#   make test                system packages (Debian, as root), ruff, mypy, then the test suite
#   ECPSC_TEST_STORE=postgres make test    the same suite on PostgreSQL
#   make test PYTEST_ARGS="-k uscc -x"     pass arguments to pytest
#   make lint                ruff and mypy
#   make bench CERTIFICATES=100000    every benchmark on PostgreSQL (see bench/README.md)
#   make lock                re-pin every Python package in requirements-dev.lock (newest allowed)
#   make screenshots         PNG pictures of printed documents into docs/screenshots/
#   make screenshots-pages   the verification and register pages at phone size, docs/screenshots/
#   make clean               remove caches and build leftovers (never ./var/, the event store)

PYTHON ?= python3
VENV ?= .venv
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

VPY := $(VENV)/bin/python
# Every Python package pinned (pip freeze), used as constraints: a new release of ruff, mypy or
# pytest reaches CI only through `make lock` and a commit.
LOCK := requirements-dev.lock
RUN_STAMP := $(VENV)/.ecpsc-run-installed
TEST_STAMP := $(VENV)/.ecpsc-test-installed

.DEFAULT_GOAL := help
.PHONY: help install install-test run demo test lint lock clean distclean system-deps bench \
	screenshots screenshots-pages

help:
	@echo "make run | demo | test | lint | lock | clean | distclean   (see README.md)"

# The virtual environment, created once with Python 3.11 or newer.
$(VPY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "ecpsc needs Python 3.11 or newer: make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)

# Installed (editable) again only when pyproject.toml or the lock changes: the application
# alone for `make run` and `make demo`, with the test and development tools for the rest.
$(RUN_STAMP): pyproject.toml $(LOCK) | $(VPY)
	$(VPY) -m pip install -q -c $(LOCK) -e .
	@touch $@

$(TEST_STAMP): pyproject.toml $(LOCK) | $(VPY)
	$(VPY) -m pip install -q -c $(LOCK) -e '.[test]'
	@touch $@ $(RUN_STAMP)

install: $(RUN_STAMP)

install-test: $(TEST_STAMP)

run: $(RUN_STAMP)
	$(VENV)/bin/ecpsc serve --host $(HOST) --port $(PORT)

DEMO_CERTIFICATES ?= 200

# ecpsc demo-data refuses (exit 2) a store that already holds organizations.
demo: $(RUN_STAMP)
	$(VENV)/bin/ecpsc demo-data --certificates $(DEMO_CERTIFICATES)
	@echo "then: ECPSC_ADMIN_TOKEN=change-me make run, and sign in at http://$(HOST):$(PORT)/ with a name and password above"

# A fresh virtual environment resolves the newest versions pyproject.toml allows; their pins
# replace the lock. Run the tests before committing it.
lock:
	rm -rf $(VENV)-lock
	$(PYTHON) -m venv $(VENV)-lock
	$(VENV)-lock/bin/pip install -q -e '.[test]'
	{ echo "# Every Python package of ecpsc and its tests, pinned: make uses this file as pip constraints."; \
	  echo "# Regenerate with 'make lock' (Python $$($(VENV)-lock/bin/python -c 'import platform; print(platform.python_version())'))."; \
	  $(VENV)-lock/bin/pip freeze --exclude-editable; } > $(LOCK)
	rm -rf $(VENV)-lock

# Debian packages the tests use (README.md, "What the tests need"): PostgreSQL's server programs
# (initdb, pg_ctl) for the fault tests' private servers, Redis and RabbitMQ for the broker tests,
# jq and curl for README's walk, chromium and CJK fonts for the browser tests, poppler for PDFs.
# Installed when missing and we are root; silent when all are there.
SYSTEM_PACKAGES := postgresql redis-server rabbitmq-server jq curl chromium fonts-noto-cjk \
	fonts-wqy-zenhei fonts-droid-fallback poppler-utils poppler-data

system-deps:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing" $$missing; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null); \
	  else echo "please install:" $$missing "(Debian packages)"; fi; \
	fi
	@# initdb refuses root: as root, the fault tests run PostgreSQL as the `postgres` user.
	@if [ "$$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then \
	  echo "adding the system user postgres"; useradd --system --home-dir /var/lib/postgresql postgres; \
	fi

# Two xdist workers (each test opens its own store and read models: an application pool and
# one pool the read models share, up to 5 connections each, and one listening; so two stay far
# under PostgreSQL's default 100); the fuzzing module runs on its
# own, in one process, as schemathesis needs (exit code 5: PYTEST_ARGS selected none of it).
FUZZ := tests/api/test_no_server_errors.py
# The benchmark's smoke run (PostgreSQL only: deselected on the embedded store) starts its own
# API, projector and worker processes, about 70 connections at its peak, so it runs alone.
BENCH_SMOKE := tests/bench

test: $(TEST_STAMP) system-deps
	$(VPY) -m ruff check .
	$(VPY) -m mypy
	$(VPY) -m pytest -n 2 --ignore=$(FUZZ) --ignore=$(BENCH_SMOKE) $(PYTEST_ARGS)
	$(VPY) -m pytest $(FUZZ) $(PYTEST_ARGS) || [ $$? -eq 5 ]
	$(VPY) -m pytest $(BENCH_SMOKE) $(PYTEST_ARGS) || [ $$? -eq 5 ]

CERTIFICATES ?= 100000
BENCH_ARGS ?=

bench: $(TEST_STAMP)
	$(VPY) -m bench --certificates $(CERTIFICATES) $(BENCH_ARGS)

# A certificate (with its annex of sites) and a suspension notice, printed as PDF and turned
# into PNG pages by poppler's pdftoppm, for README.
screenshots: $(RUN_STAMP) system-deps
	$(VPY) -m api.reports.samples docs/screenshots

lint: $(TEST_STAMP)
	$(VPY) -m ruff check .
	$(VPY) -m mypy

clean:
	rm -rf build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis \
	  $(RUN_STAMP) $(TEST_STAMP)
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

# Also removes the virtual environment (still keeps ./var/).
distclean: clean
	rm -rf $(VENV)

# The public pages at phone size for README, from a throwaway store filled through the API.
screenshots-pages: $(TEST_STAMP) system-deps
	$(VPY) -m tests.browser.page_screenshots docs/screenshots
