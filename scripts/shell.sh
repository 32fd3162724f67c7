#!/usr/bin/env bash
# `make shell`: talk to the assistant in the terminal, for staff testing.
#   Starts the action server in the background (same actions, same database as
#   `make run`), then `rasa shell` on the current model with the same endpoints.yml
#   environment as bot.stack.rasa_environment. The action server stops when the shell ends.
# Ports (defaults in bot/settings.py): ACTION_PORT for the action server; the shell's own
# Rasa server uses RASA_SHELL_PORT (default RASA_PORT+1). A port already in use (say, by a
# running `make run`) is replaced by a free one, so the two never clash.
# RASA_MODEL=path uses another model; SHELL_LOG_DIR moves the action server's log (default var/logs).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
RASA=.venv/bin/rasa
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONWARNINGS="${PYTHONWARNINGS:-ignore}"  # keep library deprecation noise out of the chat

# Ports, model, log directory and library defaults: bot/settings.py decides, as for `make run`.
shell_settings=$("$PY" - <<'EOF'
import shlex, sys
from bot import settings
from bot.training import current_model_path
try:
    action_port, shell_port = settings.action_port(), settings.rasa_shell_port()
except ValueError:
    sys.exit("shell: ACTION_PORT, RASA_PORT og RASA_SHELL_PORT skal være portnumre, fx 5055.")
env = settings.child_environment()
for name in settings.QUIET_TOOLS:
    print(f"export {name}={shlex.quote(env[name])}")
print(f"wanted_action_port={action_port}")
print(f"wanted_shell_port={shell_port}")
print(f"log_dir={shlex.quote(str(settings.shell_log_dir()))}")
print(f"model={shlex.quote(str(settings.model_override() or current_model_path()))}")
EOF
)
eval "$shell_settings"

# A free port: the wanted one if nothing listens on it, otherwise one the system picks.
usable_port() {
  "$PY" - "$1" <<'EOF'
import socket, sys
wanted = int(sys.argv[1])
with socket.socket() as sock:
    try:
        sock.bind(("0.0.0.0", wanted))
    except OSError:
        sock.bind(("127.0.0.1", 0))
    print(sock.getsockname()[1])
EOF
}

action_port=$(usable_port "$wanted_action_port")
shell_port=$(usable_port "$wanted_shell_port")
[ "$action_port" = "$wanted_action_port" ] \
  || echo "shell: port $wanted_action_port er optaget; action-serveren bruger port $action_port."
[ "$shell_port" = "$wanted_shell_port" ] \
  || echo "shell: port $wanted_shell_port er optaget; rasa shell bruger port $shell_port."

if [ ! -f "$model" ]; then
  echo "shell: ingen aktuel model ($(basename "$model")); kør 'make train' først." >&2
  exit 1
fi

# The same variables endpoints.yml and the servers read under `make run`.
eval "$("$PY" - "$action_port" <<'EOF'
import shlex, sys
from bot.stack import rasa_environment
env = rasa_environment(int(sys.argv[1]))
for name in ("ACTION_SERVER_URL", "ACTION_SERVER_TOKEN", "TRACKER_DB_DIALECT", "TRACKER_DB", "DATABASE_URL"):
    print(f"export {name}={shlex.quote(env[name])}")
EOF
)"

mkdir -p "$log_dir"
action_log="$log_dir/shell-actions.log"

# Its own session, so stopping it stops everything it started.
# rasa_sdk behind the shared-secret check (ACTION_SERVER_TOKEN), on loopback unless BIND_HOST says otherwise.
setsid "$PY" -m rasa_adapters.action_server --port "$action_port" --actions actions >>"$action_log" 2>&1 &
action_pid=$!

stop_action_server() {
  if kill -0 "$action_pid" 2>/dev/null; then
    kill -TERM -- "-$action_pid" 2>/dev/null || true
    for _ in $(seq 1 40); do
      kill -0 "$action_pid" 2>/dev/null || break
      sleep 0.25
    done
    kill -KILL -- "-$action_pid" 2>/dev/null || true
  fi
  wait "$action_pid" 2>/dev/null || true
  echo "shell: action-serveren (pid $action_pid) er stoppet."
}
trap stop_action_server EXIT
trap 'exit 130' INT TERM

echo "shell: action-server på http://127.0.0.1:$action_port (pid $action_pid), log: $action_log"
if ! "$PY" - "$action_port" "$action_pid" <<'EOF'
import os, sys, time, urllib.request
port, pid = sys.argv[1], int(sys.argv[2])
deadline = time.monotonic() + 180
while time.monotonic() < deadline:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        sys.exit(1)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as response:
            if response.status == 200:
                sys.exit(0)
    except OSError:
        pass
    time.sleep(0.5)
sys.exit(1)
EOF
then
  echo "shell: action-serveren startede ikke; se $action_log" >&2
  tail -n 20 "$action_log" >&2 || true
  exit 1
fi

database_label=$("$PY" -c 'from sqlalchemy.engine import make_url; from bot import settings
print(make_url(settings.database_url()).render_as_string(hide_password=True))')
echo "shell: model $(basename "$model"), database $database_label"
echo "shell: skriv /stop for at afslutte."
# Not exec: the EXIT trap must run after the shell ends.
"$RASA" shell \
  --model "$model" \
  --endpoints endpoints.yml \
  --credentials credentials.yml \
  --interface "${BIND_HOST:-127.0.0.1}" \
  --port "$shell_port"
