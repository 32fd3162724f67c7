#!/usr/bin/env bash
# The server programs of the production profile (`make run-prod`, tests/production):
# PostgreSQL, Redis and nginx. Installed with apt-get when we run as root; otherwise this
# says exactly what is missing and how to install it. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  missing+=(postgresql)
fi
if ! command -v redis-server >/dev/null 2>&1; then missing+=(redis-server); fi
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then missing+=(nginx); fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ]; then
  echo "setup: installing ${missing[*]} for the production profile"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null) \
    || { echo "setup: could not install ${missing[*]}; the production profile and its tests will fail" >&2; exit 1; }
  # The profile runs its own servers on its own free ports; Debian's services are left alone.
else
  echo "setup: the production profile needs ${missing[*]}: apt-get install -y ${missing[*]} (as root)" >&2
  exit 1
fi
