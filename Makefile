# XHHT — two commands: `make demo` serves the product with demo data; `make test` passes.
# Both create and use .venv themselves. Nothing is needed but the machine's Python 3.11.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
PYTEST_ARGS ?=
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: setup demo serve test test-browser bench lint format messages clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	@echo "→ cài đặt thư viện vào $(VENV) (installing dependencies)"
	@$(BIN)/pip install -q -e '.[dev]'
	@rm -f $(VENV)/.installed-*; touch $@

setup: $(STAMP) messages

messages: $(STAMP)
	@$(BIN)/python scripts/compilemessages.py

demo: setup
	@DEBUG=1 $(BIN)/xhht demo --host $(HOST) --port $(PORT)
	@DEBUG=1 exec $(BIN)/xhht runserver $(HOST):$(PORT) --skip-checks

serve: setup
	@DEBUG=1 exec $(BIN)/xhht runserver $(HOST):$(PORT)

test: setup
	@scripts/ensure-browser.sh
	@XHHT_TESTING=1 $(BIN)/pytest $(PYTEST_ARGS)

bench: setup
	@XHHT_TESTING=1 $(BIN)/python bench/run.py $(ONLY)

lint: setup
	@$(BIN)/ruff check src tests bench scripts
	@$(BIN)/ruff format --check src tests bench scripts
	@DEBUG=1 $(BIN)/xhht makemigrations --check --dry-run >/dev/null || (echo "Thiếu migration: chạy xhht makemigrations"; exit 1)
	@DEBUG=1 $(BIN)/xhht check

format: setup
	@$(BIN)/ruff check --fix src tests bench scripts
	@$(BIN)/ruff format src tests bench scripts

clean:
	rm -rf $(VENV) var .pytest_cache
