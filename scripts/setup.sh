#!/usr/bin/env bash
# Set up everything the assistant needs on this machine; safe to run again.
#   venv + pinned packages -> Danish spaCy pipeline -> database with the sample
#   catalogue -> npm packages for the web page.
# Training is separate (`make train`), and so are the test-only tools.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv
LOCK=requirements.lock

is_python310() {
  [ -n "$1" ] && [ -x "$1" ] && "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null
}

find_python310() {
  local candidate
  # pyenv's shims exist even when the version behind them is not selected: try real paths first.
  for candidate in "${PYTHON310:-}" \
      $( (command -v pyenv >/dev/null 2>&1 && ls -d "$(pyenv root)"/versions/3.10.*/bin/python) 2>/dev/null ) \
      /root/.pyenv/versions/3.10.*/bin/python "${HOME:-/root}"/.pyenv/versions/3.10.*/bin/python \
      "$(command -v python3.10 || true)" /usr/bin/python3.10 /usr/local/bin/python3.10; do
    if is_python310 "$candidate"; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if [ ! -x "$VENV/bin/python" ]; then
  if ! PY=$(find_python310); then
    echo "setup: Python 3.10 is required (Rasa 3.6 does not run on 3.11+). Install it, e.g. 'pyenv install 3.10.13' or 'apt-get install python3.10 python3.10-venv', or set PYTHON310=/path/to/python3.10." >&2
    exit 1
  fi
  echo "setup: creating $VENV with $PY"
  "$PY" -m venv "$VENV"
fi

lock_hash=$(sha256sum "$LOCK" | cut -c1-16)
if [ "$(cat "$VENV/.lock-hash" 2>/dev/null)" != "$lock_hash" ]; then
  echo "setup: installing pinned packages from $LOCK (a few minutes the first time)"
  "$VENV/bin/python" -m pip install --quiet --upgrade "pip==24.0"
  "$VENV/bin/python" -m pip install --quiet -r "$LOCK"
  echo "$lock_hash" > "$VENV/.lock-hash"
fi

mkdir -p var models
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
"$VENV/bin/python" -m bot nlp ensure
"$VENV/bin/python" -m bot setup-data
"$VENV/bin/python" -m bot secrets ensure

if [ -f package-lock.json ] && command -v npm >/dev/null 2>&1; then
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "setup: installing the web page's npm packages"
    npm ci --no-audit --no-fund --loglevel=error
  fi
fi
echo "setup: done"
