#!/usr/bin/env bash
# Tools only the tests need: Debian's Chromium for the browser tests (and the
# npm packages, via setup-browser.sh), and PostgreSQL's server binaries.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -x scripts/setup-browser.sh ]; then
  bash scripts/setup-browser.sh
fi
if ! command -v pg_ctl >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  echo "setup: installing PostgreSQL for the database tests"
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
      || echo "setup: could not install PostgreSQL; its tests will say so" >&2
  else
    echo "setup: PostgreSQL is not installed (apt-get install postgresql); its tests will say so" >&2
  fi
fi
# The deployment files' tests (tests/deploy): nginx for `nginx -t`, redis-server for the production
# endpoints, Debian's docker-compose (1.29, with its own Python packages, apart from .venv) for
# `docker-compose config`. Helm is packaged for neither Debian, PyPI nor npm: the Helm values
# are checked against the vendored chart files instead.
missing_tools=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing_tools+=(nginx)
command -v docker-compose >/dev/null 2>&1 || missing_tools+=(docker-compose)
command -v redis-server >/dev/null 2>&1 || missing_tools+=(redis-server)  # tests/deploy/test_production_roles.py
if [ ${#missing_tools[@]} -gt 0 ]; then
  echo "setup: installing ${missing_tools[*]} for the deployment-file tests"
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing_tools[@]}" >/dev/null) \
      || echo "setup: could not install ${missing_tools[*]}; tests/deploy will fail and say so" >&2
  else
    echo "setup: ${missing_tools[*]} missing (apt-get install ${missing_tools[*]}); tests/deploy will fail" >&2
  fi
fi
