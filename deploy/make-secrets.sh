#!/usr/bin/env bash
# Write the secret files compose.yml mounts (deploy/secrets/, mode 0600, never committed).
# Existing files are kept: run it again after deleting one to rotate that secret (docs/deploy.md).
#   deploy/make-secrets.sh
set -euo pipefail
cd "$(dirname "$0")"
# The directory is root's alone (0700); the files inside are 0644 so that the non-root users in
# the containers (uid 10001, nginx 101, redis 999) can read the one file bind-mounted for them.
mkdir -p secrets
chmod 700 secrets
umask 022
new() { python3 -c 'import secrets; print(secrets.token_hex(32))'; }   # hex: safe in URLs and argv
keep_or_write() {  # name value
  if [ ! -s "secrets/$1" ]; then printf '%s' "$2" > "secrets/$1"; echo "wrote secrets/$1"; fi
}
keep_or_write postgres_password "$(new)"
keep_or_write redis_password "$(new)"
pg=$(cat secrets/postgres_password)
redis=$(cat secrets/redis_password)
# Derived from the two passwords: rewritten whenever a password changes.
printf 'postgresql+psycopg2://sundhedshus:%s@postgres:5432/sundhedshus' "$pg" > secrets/database_url
printf 'postgresql+psycopg2://sundhedshus:%s@postgres:5432/rasa_tracker' "$pg" > secrets/tracker_db_url
printf 'redis://:%s@redis:6379/0' "$redis" > secrets/rate_limit_storage
keep_or_write rasa_auth_token "$(new)"
keep_or_write action_server_token "$(new)"
keep_or_write widget_session_secret "$(new)"
keep_or_write microsoft_app_password ""   # fill in for Teams (docs/teams.md); empty: Teams refuses all
if [ ! -s secrets/tls_cert.pem ]; then
  echo "Put the site's TLS certificate chain in deploy/secrets/tls_cert.pem and its key in tls_key.pem." >&2
fi
chmod 644 secrets/*
