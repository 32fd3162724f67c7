# The two commands: `make run` and `make test`. Everything else is a step of those.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
export PYTHONPATH := $(CURDIR)
# Ports, paths and library defaults are bot/settings.py's (python -m bot and the tests apply them).

.PHONY: run run-prod test setup train shell lint bench eval lock test-setup clean

setup:
	@bash scripts/setup.sh

train: setup
	@$(PY) -m bot train

run: train
	@$(PY) -m bot run

# The production profile on this machine: PostgreSQL, Redis, PROD_INSTANCES Rasa and action
# servers behind nginx (README "Production profile"). `make run` stays the embedded default.
run-prod: train
	@bash scripts/setup-production.sh
	@$(PY) -m bot run --production

test-setup: setup
	@bash scripts/setup-test-tools.sh

# Training is CPU work and the test tools' installs (apt, npm) are network work: side by side.
test:
	@$(MAKE) --no-print-directory -j2 train test-setup
	@$(VENV)/bin/ruff check bot actions rasa_adapters tests scripts
	@$(VENV)/bin/ruff format --check bot actions rasa_adapters tests scripts
	@$(PY) -m pytest

shell: train
	@bash scripts/shell.sh

lint: setup
	@$(VENV)/bin/ruff check bot actions rasa_adapters tests scripts
	@$(VENV)/bin/ruff format --check bot actions rasa_adapters tests scripts

bench: train
	@$(PY) -m bot bench
	@$(PY) -m bot bench --scaling

# Understanding, measured (held-out set, 5-fold cross-validation, out-of-domain rejection): docs/nlu.md.
eval: train
	@$(PY) -m bot eval

# Re-resolve requirements.in into the pinned requirements.lock.
lock:
	@$(PY) -m pip install -r requirements.in && $(PY) -m pip freeze --exclude-editable > requirements.lock

clean:
	rm -rf var models results .pytest_cache
