# The platform's two commands are `make run` and `make test`; both install what they need.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PYTEST := $(PY) -m pytest -q

.PHONY: run test setup broker tools lint format unit contract manifests integration e2e chaos-short chaos bench demo docs clean

run: setup broker          ## start broker, store and the four services; Ctrl-C stops them
	@$(PY) -W ignore -m deploy.dev_broker platform
	@$(PY) -u -m shared.devstack.run

demo: setup                ## sample OCOP data through the real pipeline (after `make run`)
	@$(PY) -u -m shared.devstack.demo

test: setup broker tools lint unit contract manifests integration e2e chaos-short   ## lint, then every test layer

setup: $(STAMP)

$(STAMP): pyproject.toml deploy/local/bootstrap.sh
	@deploy/local/bootstrap.sh

broker: setup              # a RabbitMQ on 127.0.0.1 and its administrator ocop-admin (never guest)
	@deploy/local/ensure-rabbitmq.sh
	@$(PY) -W ignore -m deploy.dev_broker admin

tools:
	@deploy/local/ensure-chromium.sh
	@deploy/local/ensure-test-tools.sh

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy shared services cli deploy

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

unit: setup tools
	$(PYTEST) tests/unit

contract: setup
	$(PYTEST) tests/contract

manifests: setup broker    # deploy/: generated files current, compose, Kubernetes and KEDA schemas, broker definitions
	$(PY) -m deploy.generate --check
	$(PYTEST) tests/deploy

integration: setup broker
	$(PYTEST) tests/integration

e2e: setup broker tools
	$(PYTEST) tests/e2e

chaos-short: setup broker    # the fault suite, 40 flows a scenario
	$(PYTEST) -s tests/chaos

chaos: setup broker       ## the fault suite: five faults, FLOWS=1000 flows each; prints the table
	$(PY) -m tests.chaos --flows $(or $(FLOWS),1000)

bench: setup broker       ## measurements (N=15000 products by default), never pass/fail; writes docs/performance.md
	$(PY) -u -m tests.bench -n $(or $(N),15000)

docs: setup               ## regenerate docs/api/*.json|html and docs/asyncapi.yaml from the code
	$(PY) -m cli.docs

clean:
	rm -rf var $(VENV) .mypy_cache .ruff_cache
