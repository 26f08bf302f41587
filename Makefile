# The platform's two commands are `make run` and `make test`; both install what they need.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PYTEST := $(PY) -m pytest -q

.PHONY: run test setup broker tools lint format unit contract integration e2e bench demo docs clean

run: setup broker          ## start broker, store and the four services; Ctrl-C stops them
	@$(PY) -u -m shared.devstack.run

demo: setup                ## sample OCOP data through the real pipeline (after `make run`)
	@$(PY) -u -m shared.devstack.demo

test: setup broker tools lint unit contract integration e2e   ## lint, then every test layer

setup: $(STAMP)

$(STAMP): pyproject.toml deploy/local/bootstrap.sh
	@deploy/local/bootstrap.sh

broker:
	@deploy/local/ensure-rabbitmq.sh

tools:
	@deploy/local/ensure-chromium.sh
	@deploy/local/ensure-test-tools.sh

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy shared services cli

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

unit: setup tools
	$(PYTEST) tests/unit

contract: setup
	$(PYTEST) tests/contract

integration: setup broker
	$(PYTEST) tests/integration

e2e: setup broker tools
	$(PYTEST) tests/e2e

bench: setup broker       ## measurements (N=15000 products by default), never pass/fail
	$(PY) -m tests.bench.catalogue

docs: setup               ## regenerate docs/api/*.json|html and docs/asyncapi.yaml from the code
	$(PY) -m shared.docs

clean:
	rm -rf var $(VENV) .mypy_cache .ruff_cache
