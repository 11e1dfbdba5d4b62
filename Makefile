# pyriver's commands. Every target uses the Makefile's own virtual environment
# in .venv/, created on demand, so a fresh clone needs only Go, Python and make.

export GOTOOLCHAIN := local
export GOFLAGS := -trimpath -buildvcs=false

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
GO_SOURCES := $(shell find go -name '*.go' -o -name go.mod -o -name go.sum)
LIBRARY := src/pyriver/_pyriver.so
BUILD_DEPS := setuptools>=69 wheel>=0.42 setuptools-golang>=2.9 cffi>=1.16

.PHONY: build demo test test-go test-py lint bench clean

GO_PROGRAMS := bin/pyriver-worker bin/interopcheck

build: $(VENV)/.installed $(LIBRARY) $(GO_PROGRAMS)

# The Go worker program (the Go half of a mixed deployment) and the Go side
# of the interoperability tests.
bin/%: $(GO_SOURCES)
	cd go && go build -o ../$@ ./cmd/$*

$(VENV)/.installed: pyproject.toml setup.py build.py
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet $(BUILD_DEPS)
	$(PY) -m pip install --quiet --no-build-isolation --editable '.[test]'
	touch $@

# Rebuild only the Go library (and cffi module) in place after Go changes.
$(LIBRARY): $(GO_SOURCES) $(VENV)/.installed
	$(PY) setup.py --quiet build_ext --inplace
	touch $@

demo: build
	$(PY) examples/demo.py

test: build test-go test-py lint

test-go:
	cd go && go vet ./... && go test ./...

test-py: build
	$(PY) -m pytest

lint: build
	$(PY) -m mypy

clean:
	rm -rf $(VENV) build bin src/pyriver/_pyriver.so src/pyriver/_ffi.py src/*.egg-info

bench: build
	$(PY) bench/roundtrip.py
	@ls -l $(LIBRARY) | awk '{printf "library size: %.1f MB\n", $$5/1e6}'
