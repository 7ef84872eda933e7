# Two commands for a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-fast lint setup clean

setup: $(STAMP)

# (Re)install when pyproject.toml changes; the project is installed editable, so code edits need nothing.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/trotsky-map $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check app geodata tests
	$(BIN)/ruff format --check app geodata tests
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

# The Qt-free tests only (model, validation, queries, page code, tooling): seconds, no QtWebEngine.
test-fast: $(STAMP)
	TROTSKY_MAP_FUZZ_MUTATIONS=200 QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -m "not gui" -q

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
