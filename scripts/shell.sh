#!/usr/bin/env bash
# `make shell`: talk to the assistant in the terminal, for staff testing.
# Starts the action server and our own Rasa server (same channels, actions and database as
# `make run`, so a CPR number is masked on arrival as in every other channel), then Rasa's own
# terminal loop (as `rasa shell`) against the REST webhook. /stop or Ctrl-C stops everything.
# Details, ports and variables: rasa_adapters/shell.py.
set -euo pipefail
cd "$(dirname "$0")/.."

export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONWARNINGS="${PYTHONWARNINGS:-ignore}"  # keep library deprecation noise out of the chat
exec .venv/bin/python -m rasa_adapters.shell "$@"
