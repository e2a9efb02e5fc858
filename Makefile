# ECPSC back office — everyday commands (see README.md).
#
#   make run                 serve the API on http://127.0.0.1:8000 (embedded SQLite store in ./var/)
#   make run PORT=8001       ... on another port (HOST=0.0.0.0 to listen on every interface)
#   make test                ruff, then the test suite on the embedded store
#   ECPSC_TEST_STORE=postgres make test    the same suite on PostgreSQL
#   make test PYTEST_ARGS="-k uscc -x"     pass arguments to pytest
#   make lint                ruff and mypy
#   make bench CERTIFICATES=100000    every benchmark on PostgreSQL (bench/, see README.md)
#   make clean               remove caches and build leftovers (never ./var/, the event store)

PYTHON ?= python3
VENV ?= .venv
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

VPY := $(VENV)/bin/python
STAMP := $(VENV)/.ecpsc-installed

.DEFAULT_GOAL := help
.PHONY: help install run test lint clean distclean system-deps bench

help:
	@echo "make run | test | lint | clean | distclean   (see README.md)"

# The virtual environment, created once with Python 3.11 or newer.
$(VPY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "ecpsc needs Python 3.11 or newer: make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)

# Installed (editable, with the test tools) again only when pyproject.toml changes.
$(STAMP): pyproject.toml | $(VPY)
	$(VPY) -m pip install -e '.[test]'
	@touch $@

install: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/ecpsc serve --host $(HOST) --port $(PORT)

# Debian packages the browser and document tests use; installed when missing and we are root.
SYSTEM_PACKAGES := chromium fonts-noto-cjk fonts-wqy-zenhei poppler-utils poppler-data

system-deps:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing $$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null); \
	  else echo "please install: $$missing (Debian packages)"; fi; \
	fi

# Two xdist workers (each test opens its own store and read models: an application pool and
# one pool the read models share, up to 5 connections each, and one listening; so two stay far
# under PostgreSQL's default 100); the fuzzing module runs on its
# own, in one process, as schemathesis needs (exit code 5: PYTEST_ARGS selected none of it).
FUZZ := tests/api/test_no_server_errors.py
# The benchmark's smoke run (PostgreSQL only: deselected on the embedded store) starts its own
# API, projector and worker processes, about 70 connections at its peak, so it runs alone.
BENCH_SMOKE := tests/bench

test: $(STAMP) system-deps
	$(VPY) -m ruff check .
	$(VPY) -m mypy
	$(VPY) -m pytest -n 2 --ignore=$(FUZZ) --ignore=$(BENCH_SMOKE) $(PYTEST_ARGS)
	$(VPY) -m pytest $(FUZZ) $(PYTEST_ARGS) || [ $$? -eq 5 ]
	$(VPY) -m pytest $(BENCH_SMOKE) $(PYTEST_ARGS) || [ $$? -eq 5 ]

CERTIFICATES ?= 100000
BENCH_ARGS ?=

bench: $(STAMP)
	$(VPY) -m bench --certificates $(CERTIFICATES) $(BENCH_ARGS)

lint: $(STAMP)
	$(VPY) -m ruff check .
	$(VPY) -m mypy

clean:
	rm -rf build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis $(STAMP)
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

# Also removes the virtual environment (still keeps ./var/).
distclean: clean
	rm -rf $(VENV)
